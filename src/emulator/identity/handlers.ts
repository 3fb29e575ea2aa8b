/**
 * The identity service's handlers: the tenant's token endpoint (OAuth 2.0 client credentials, the
 * owner application's secret being the emulator's token), its OpenID configuration and keys, and
 * the managed-identity endpoint of the processes the emulator starts, in both protocols the Azure
 * SDKs speak (App Service 2019-08-01 and Azure Machine Learning 2017-09-01).
 */
import { tokenMatches } from "../core/bearer";
import type { EmulatorRequest, EmulatorResponse } from "../core/service";
import {
  APP_SERVICE_MSI_API_VERSION,
  AZURE_ML_MSI_API_VERSION,
  LOCAL_EMULATOR_CLIENT_ID,
  LOCAL_EMULATOR_OWNER_OBJECT_ID,
  LOCAL_MANAGED_IDENTITY_CLIENT_ID,
  LOCAL_MANAGED_IDENTITY_OBJECT_ID,
  tokenPath,
} from "./constants";
import { azureAdError, managedIdentityError, missingParameter } from "./errors";
import type { Principal, TokenIssuer } from "./tokens";

/** What the handlers need. */
export interface IdentityHandlerOptions {
  readonly issuer: TokenIssuer;
  /** The emulator's token: the owner application's client secret. */
  readonly ownerToken: string;
  /** The per-start secret a managed-identity request must carry (`IDENTITY_HEADER`, `MSI_SECRET`). */
  readonly managedIdentitySecret: string;
  /** The emulator's time, for error timestamps. */
  readonly now: () => Date;
}

const OWNER: Principal = { appId: LOCAL_EMULATOR_CLIENT_ID, objectId: LOCAL_EMULATOR_OWNER_OBJECT_ID };
const MANAGED_IDENTITY: Principal = { appId: LOCAL_MANAGED_IDENTITY_CLIENT_ID, objectId: LOCAL_MANAGED_IDENTITY_OBJECT_ID };

/** The identity handlers. */
export function createIdentityHandlers(o: IdentityHandlerOptions) {
  const tenantId = o.issuer.tenantId;
  const unknownTenant = (req: EmulatorRequest): EmulatorResponse | undefined =>
    req.params.tenant.toLowerCase() === tenantId.toLowerCase()
      ? undefined
      : azureAdError(
          400,
          "invalid_request",
          90002,
          `Tenant '${req.params.tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. The emulator's tenant is ${tenantId}.`,
          o.now(),
        );

  return {
    /** `POST /{tenant}/oauth2/v2.0/token`: client credentials for one resource's `/.default` scope. */
    async token(req: EmulatorRequest): Promise<EmulatorResponse> {
      const wrongTenant = unknownTenant(req);
      if (wrongTenant) return wrongTenant;
      const form = isForm(req) ? new URLSearchParams(await req.readText()) : new URLSearchParams();
      const basic = basicCredentials(req);
      const grantType = form.get("grant_type");
      if (!grantType) return missingParameter("grant_type", o.now());
      if (grantType !== "client_credentials") {
        return azureAdError(400, "unsupported_grant_type", 70003, `The app requested an unsupported grant type '${grantType}'. The emulator issues tokens for client credentials only.`, o.now());
      }
      const clientId = basic?.clientId ?? form.get("client_id");
      if (!clientId) return missingParameter("client_id", o.now());
      if (clientId.toLowerCase() !== LOCAL_EMULATOR_CLIENT_ID) {
        return azureAdError(
          400,
          "unauthorized_client",
          700016,
          `Application with identifier '${clientId}' was not found in the directory '${tenantId}'. The emulator's one application is ${LOCAL_EMULATOR_CLIENT_ID}, with the emulator's token as its client secret.`,
          o.now(),
        );
      }
      const secret = basic?.secret ?? form.get("client_secret");
      if (!secret) return azureAdError(401, "invalid_client", 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.", o.now());
      if (!tokenMatches(secret, o.ownerToken)) {
        return azureAdError(
          401,
          "invalid_client",
          7000215,
          `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
          o.now(),
        );
      }
      const scope = form.get("scope");
      if (!scope) return missingParameter("scope", o.now());
      const resource = /^\S+\/\.default$/.exec(scope) ? scope.slice(0, -"/.default".length) : undefined;
      if (!resource) {
        return azureAdError(
          400,
          "invalid_scope",
          1002012,
          `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
          o.now(),
        );
      }
      const issued = o.issuer.issue(OWNER, resource);
      return { status: 200, headers: { "Cache-Control": "no-store", Pragma: "no-cache" }, body: { token_type: "Bearer", expires_in: issued.expiresIn, ext_expires_in: issued.expiresIn, access_token: issued.accessToken } };
    },

    /** `GET /{tenant}/v2.0/.well-known/openid-configuration`. */
    openidConfiguration(req: EmulatorRequest): EmulatorResponse {
      const wrongTenant = unknownTenant(req);
      if (wrongTenant) return wrongTenant;
      const base = `${req.baseUrl}/${tenantId}`;
      return {
        status: 200,
        body: {
          token_endpoint: `${req.baseUrl}${tokenPath(tenantId)}`,
          token_endpoint_auth_methods_supported: ["client_secret_post", "client_secret_basic"],
          jwks_uri: `${base}/discovery/v2.0/keys`,
          response_modes_supported: ["query", "fragment", "form_post"],
          subject_types_supported: ["pairwise"],
          id_token_signing_alg_values_supported: ["RS256"],
          response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
          scopes_supported: ["openid", "profile", "email", "offline_access"],
          issuer: o.issuer.issuer,
          authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
          tenant_region_scope: null,
          cloud_instance_name: "emulator.local",
        },
      };
    },

    /** `GET /{tenant}/discovery/v2.0/keys`: the public key the tokens are signed with. */
    keys(req: EmulatorRequest): EmulatorResponse {
      return unknownTenant(req) ?? { status: 200, body: o.issuer.jwks() };
    },

    /**
     * `GET /msi/token?api-version=...&resource=...`: App Service (`2019-08-01`, header
     * `X-IDENTITY-HEADER`, `client_id`/`object_id` to name the identity) or Azure Machine Learning
     * (`2017-09-01`, header `secret`, `clientid`). The one managed identity is the emulator's.
     */
    managedIdentityToken(req: EmulatorRequest): EmulatorResponse {
      const version = req.query.get("api-version");
      const appService = version === APP_SERVICE_MSI_API_VERSION;
      if (!appService && version !== AZURE_ML_MSI_API_VERSION) {
        return managedIdentityError(400, `api-version must be ${APP_SERVICE_MSI_API_VERSION} (IDENTITY_ENDPOINT) or ${AZURE_ML_MSI_API_VERSION} (MSI_ENDPOINT), not ${version ?? "missing"}.`);
      }
      const header = appService ? "x-identity-header" : "secret";
      const given = req.headers[header];
      if (typeof given !== "string" || !tokenMatches(given, o.managedIdentitySecret)) {
        return managedIdentityError(401, `The ${appService ? "X-IDENTITY-HEADER" : "secret"} header is missing or is not the ${appService ? "IDENTITY_HEADER" : "MSI_SECRET"} of this process.`);
      }
      const resource = req.query.get("resource");
      if (!resource) return managedIdentityError(400, "The resource parameter is required.");
      const named = appService
        ? [req.query.get("client_id"), req.query.get("object_id") ?? req.query.get("principal_id"), req.query.get("mi_res_id")]
        : [req.query.get("clientid")];
      const wrong = named.find((id) => id !== null && ![LOCAL_MANAGED_IDENTITY_CLIENT_ID, LOCAL_MANAGED_IDENTITY_OBJECT_ID].includes(id.toLowerCase()));
      if (wrong !== undefined && wrong !== null) {
        return managedIdentityError(400, `No managed identity ${wrong} is assigned to this resource; the emulator's managed identity is ${LOCAL_MANAGED_IDENTITY_CLIENT_ID}.`);
      }
      const issued = o.issuer.issue(MANAGED_IDENTITY, resource);
      return {
        status: 200,
        headers: { "Cache-Control": "no-store" },
        body: {
          access_token: issued.accessToken,
          // App Service writes the expiry as a string of unix seconds, Azure Machine Learning as a number.
          expires_on: appService ? String(issued.expiresOn) : issued.expiresOn,
          resource,
          token_type: "Bearer",
          client_id: LOCAL_MANAGED_IDENTITY_CLIENT_ID,
        },
      };
    },
  };
}

/** The handlers' type. */
export type IdentityHandlers = ReturnType<typeof createIdentityHandlers>;

function isForm(req: EmulatorRequest): boolean {
  return (req.headers["content-type"] ?? "").split(";")[0].trim().toLowerCase() === "application/x-www-form-urlencoded";
}

/** Client id and secret of `Authorization: Basic` (client_secret_basic), when sent. */
function basicCredentials(req: EmulatorRequest): { clientId: string; secret: string } | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(req.headers.authorization ?? "");
  if (!match) return undefined;
  const text = Buffer.from(match[1], "base64").toString("utf8");
  const colon = text.indexOf(":");
  if (colon < 0) return undefined;
  return { clientId: decodeURIComponent(text.slice(0, colon)), secret: decodeURIComponent(text.slice(colon + 1)) };
}
