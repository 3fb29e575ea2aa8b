/** Names the Secrets API accepts, shared by scopes, secrets and the mounts that read them. */

/** Secret scope names: 1-128 letters, digits and `_ . @ / -`. */
export const SCOPE_NAME_PATTERN = /^[\w.@/-]{1,128}$/;
/** Secret keys: 1-128 letters, digits and `_ . -`. */
export const SECRET_KEY_PATTERN = /^[\w.-]{1,128}$/;
