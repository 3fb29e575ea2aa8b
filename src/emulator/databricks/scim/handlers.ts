/** SCIM 2.0 `Me`: the one user of the emulated workspace, who creates every object and run. */
import type { EmulatorResponse } from "../../core/service";
import { EMULATOR_USER, EMULATOR_USER_ID } from "../config";
import { ok } from "../response";

/** The SCIM handlers. */
export function createScimHandlers() {
  return {
    me(): EmulatorResponse {
      return ok({
        id: EMULATOR_USER_ID,
        userName: EMULATOR_USER,
        displayName: "Local Emulator",
        active: true,
        emails: [{ value: EMULATOR_USER, type: "work", primary: true }],
        schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
      });
    },
  };
}

/** The handlers' type. */
export type ScimHandlers = ReturnType<typeof createScimHandlers>;
