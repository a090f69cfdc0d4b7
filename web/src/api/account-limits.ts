// The account limits the server enforces, for the web forms' hints and checks. Restated here because
// the web app imports nothing from src/ at run time; each is typed as the server's own literal, so
// changing a limit on the server fails `bun run typecheck` until it changes here too.
import type * as Passwords from "../../../src/accounts/password-rules.ts";
import type * as Usernames from "../../../src/accounts/usernames.ts";

/** In characters (code points), after NFKC. */
export const USERNAME_MIN: typeof Usernames.USERNAME_MIN = 3;
export const USERNAME_MAX: typeof Usernames.USERNAME_MAX = 32;
export const DISPLAY_NAME_MAX: typeof Usernames.DISPLAY_NAME_MAX = 64;
export const PASSWORD_MIN: typeof Passwords.PASSWORD_MIN = 10;
export const PASSWORD_MAX: typeof Passwords.PASSWORD_MAX = 256;
