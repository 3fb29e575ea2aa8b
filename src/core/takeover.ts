/**
 * The one takeover policy of every resource: `create` never overwrites or adopts an object that
 * already exists. A program that means to manage such an object sets {@link ADOPT} (`adopt:
 * true`) on the resource; the object is then the resource's, and `pulumi destroy` deletes it like
 * one the resource created. Only `create` reads the input; updates act on the resource's own object.
 */
import { checkBoolean, Fail } from "./check";
import { ServiceError, withContext } from "./errors";

/** The name of the opt-in input, the same on every resource that can meet an existing object. */
export const ADOPT = "adopt";

/** What a refused takeover tells the user. */
export interface Takeover {
  /** The object that is already there, e.g. `Key Vault secret "db-token" in https://v.vault.azure.net`. */
  object: string;
  /** What `pulumi up` does to it once adopted, e.g. `writes a new version of it`. */
  adopting: string;
  /** What `pulumi destroy` then does to it, e.g. `soft-deletes it`. */
  destroy: string;
  /** The other way out, e.g. `choose another name`. */
  otherwise: string;
}

/** `create` found an object it did not make and was not told to adopt it. */
export class TakeoverRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TakeoverRefused";
  }
}

/** The sentence every refusal ends with: the opt-in, what adopting does, what destroy then does. */
export function takeoverHint(t: Takeover): string {
  return (
    `pulumi up does not take over an existing object unless told to: set ${ADOPT}: true on this resource to manage it from now on ` +
    `(up ${t.adopting}, and destroy then ${t.destroy}), or ${t.otherwise}.`
  );
}

/**
 * The error of a create that found `t.object` already there. When the service itself refused
 * (e.g. an import without overwrite), its error keeps the service's code and message and gets the
 * policy as its hint.
 */
export function takeoverRefused(t: Takeover, refusedBy?: ServiceError): Error {
  const text = `${t.object} already exists. ${takeoverHint(t)}`;
  return refusedBy ? withContext(refusedBy, { hint: text }) : new TakeoverRefused(text);
}

/** `adopt`, when given, must be a boolean. */
export function checkAdopt(inputs: Record<string, unknown>, fail: Fail): void {
  checkBoolean(inputs[ADOPT], ADOPT, fail);
}
