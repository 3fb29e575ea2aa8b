/** The sign-in page: one field for the emulator's token (see `./sessions`). */
import type { EmulatorResponse } from "../core/service";
import { html, page } from "./html";

/** The sign-in form, going on to `next` (a local path); `refused` after a wrong token. */
export function loginPage(next: string, refused = false): EmulatorResponse {
  return page(
    "Sign in — local Databricks workspace",
    html`<h1>Sign in to the local emulator</h1>
${refused ? html`<p class="state">That is not the emulator's token.</p>` : ""}
<p>Give the token the emulator was started with (<code>AMLDB_LOCAL_TOKEN</code>). It stays in this browser only as a session that ends when the emulator stops.</p>
<form method="post" action="/login.html">
<input type="hidden" name="next" value="${next}">
<label>Token <input type="password" name="token" autocomplete="off" autofocus required></label>
<button type="submit">Sign in</button>
</form>`,
    { status: refused ? 401 : 200 },
  );
}
