"""The official Python clients against the emulator, unchanged: trust comes from REQUESTS_CA_BUNDLE
and SSL_CERT_FILE, credentials from the emulator's identity endpoint. Prints one JSON object of
what each client saw; any failure is an exception (exit status 1)."""
import json
import os
import sys

from azure.identity import ClientSecretCredential, ManagedIdentityCredential
from azure.keyvault.secrets import SecretClient
from databricks.sdk import WorkspaceClient

vault_url = os.environ["VAULT_URL"]
seen = {}

# Azure ML's managed identity: MSI_ENDPOINT and MSI_SECRET in the environment (api-version 2017-09-01).
managed = ManagedIdentityCredential()
# A vault on loopback is not under vault.azure.net, whose name the client checks the challenge against by default.
vault = SecretClient(vault_url, managed, verify_challenge_resource=False)
vault.set_secret("from-python", "python-value", tags={"by": "azure-keyvault-secrets"})
got = vault.get_secret("from-python")
seen["managedIdentity"] = {"value": got.value, "tags": got.properties.tags, "names": sorted(p.name for p in vault.list_properties_of_secrets())}

# A service principal of the emulator's tenant, signing in at the emulator's authority (a private
# authority, so no instance discovery at login.microsoftonline.com).
service_principal = ClientSecretCredential(
    os.environ["EMULATOR_TENANT_ID"],
    os.environ["EMULATOR_CLIENT_ID"],
    os.environ["EMULATOR_CLIENT_SECRET"],
    authority=os.environ["EMULATOR_AUTHORITY_HOST"],
    disable_instance_discovery=True,
)
token = service_principal.get_token("https://vault.azure.net/.default")
seen["servicePrincipal"] = {"value": SecretClient(vault_url, service_principal, verify_challenge_resource=False).get_secret("from-python").value, "tokenParts": len(token.token.split("."))}

# Databricks with the emulator's token as a personal access token.
w = WorkspaceClient(host=os.environ["DATABRICKS_HOST"], token=os.environ["DATABRICKS_TOKEN"], auth_type="pat")
w.secrets.create_scope(scope="py")
w.secrets.put_secret(scope="py", key="k", string_value="v")
w.dbfs.put("/python/hello.txt", contents="aGVsbG8=", overwrite=True)
seen["databricks"] = {
    "me": w.current_user.me().user_name,
    "scopes": [s.name for s in w.secrets.list_scopes()],
    "keys": [s.key for s in w.secrets.list_secrets(scope="py")],
    "file": w.dbfs.get_status("/python/hello.txt").file_size,
}
json.dump(seen, sys.stdout, sort_keys=True)
