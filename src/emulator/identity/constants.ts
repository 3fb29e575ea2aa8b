/**
 * Well-known values of the emulator's directory (its one Azure AD tenant). Like the owner token,
 * they are public on purpose: the identities exist only in the emulator.
 */

/** The application (client) id of the emulator's owner: its client secret is the emulator's token. */
export const LOCAL_EMULATOR_CLIENT_ID = "00000000-0000-0000-0000-000000000001";
/** The object id of the owner application's service principal (`oid` of its tokens). */
export const LOCAL_EMULATOR_OWNER_OBJECT_ID = "00000000-0000-0000-0000-000000000011";
/** The client id of the emulator's managed identity (the identity of steps the emulator runs). */
export const LOCAL_MANAGED_IDENTITY_CLIENT_ID = "00000000-0000-0000-0000-000000000002";
/** The object id of the managed identity (`oid` of its tokens). */
export const LOCAL_MANAGED_IDENTITY_OBJECT_ID = "00000000-0000-0000-0000-000000000012";

/** How long an access token is valid, in seconds (Azure AD's default is 60 to 90 minutes). */
export const ACCESS_TOKEN_LIFETIME_SECONDS = 3600;

/** Path of the managed-identity endpoint (the `IDENTITY_ENDPOINT` / `MSI_ENDPOINT` of the processes the emulator starts). */
export const MANAGED_IDENTITY_PATH = "/msi/token";

/** api-version of the App Service managed-identity protocol (`IDENTITY_ENDPOINT` + `X-IDENTITY-HEADER`). */
export const APP_SERVICE_MSI_API_VERSION = "2019-08-01";
/** api-version of the Azure Machine Learning managed-identity protocol (`MSI_ENDPOINT` + `secret`). */
export const AZURE_ML_MSI_API_VERSION = "2017-09-01";

/** The issuer of the emulator's tokens in `tenantId`: Azure AD's v1 issuer. */
export function issuerOf(tenantId: string): string {
  return `https://sts.windows.net/${tenantId}/`;
}

/** The token endpoint path of `tenantId` (client credentials, OAuth 2.0 v2). */
export function tokenPath(tenantId: string): string {
  return `/${tenantId}/oauth2/v2.0/token`;
}
