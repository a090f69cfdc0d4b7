// Logging in. An unknown user and a wrong password get the same answer after the same work (the
// unknown user is verified against a dummy hash), so the login form cannot be used to find accounts.
import { AppError, errors } from "../http/errors.ts";
import type { Accounts, RequestMeta } from "./accounts.ts";
import { assertPasswordLength } from "./password-rules.ts";
import type { User } from "./types.ts";
import { usernameKey } from "./usernames.ts";

export interface LoginInput {
  username: string;
  password: string;
}

export const invalidCredentials = () =>
  new AppError(401, "invalid_credentials", "The username or password is not right.");

export async function login(accounts: Accounts, input: LoginInput, meta: RequestMeta): Promise<User> {
  assertPasswordLength(input.password);
  const key = usernameKey(input.username.slice(0, 256));
  const user = accounts.users.findByKey(key);
  // Taken before the password is checked: a correct password is refused too once the bucket is empty.
  // A lockout names the account only when there is one: what was typed may be a misplaced password.
  accounts.limits.take("login", meta.ip, key, accounts.audit, user?.username ?? null);

  const ok = user
    ? await accounts.passwords.verify(input.password, user.passwordHash, meta.ip)
    : await accounts.passwords.verifyDummy(input.password, meta.ip);
  if (!user || !ok) {
    // The attempted name is kept only when it names a real account: a password typed into the
    // username field by mistake must not end up in the log.
    accounts.audit.record("login_failed", {
      target: user?.username ?? null,
      ip: meta.ip,
      detail: { reason: user ? "wrong_password" : "unknown_user" },
    });
    throw invalidCredentials();
  }
  if (user.disabled) {
    // Only someone who knows the password learns that the account exists but is disabled.
    accounts.audit.record("login_refused", { actorId: user.id, target: user.username, ip: meta.ip, detail: { reason: "disabled" } });
    throw errors.forbidden("account_disabled", "This account has been disabled by an administrator.");
  }
  const { passwordHash: _secret, ...safe } = user;
  return safe;
}

const SWEEP_INTERVAL_MS = 3600_000;
const lastSweep = new WeakMap<Accounts, number>();

/** Drops expired sessions now and then (on logins, not on a timer a test would have to stop). */
function sweepExpiredSessions(accounts: Accounts, now = Date.now()): void {
  if (now - (lastSweep.get(accounts) ?? 0) < SWEEP_INTERVAL_MS) return;
  lastSweep.set(accounts, now);
  accounts.sessionEvents.ended(accounts.sessions.sweepExpired(now), "expired");
}

/** Starts a new session for a freshly authenticated user (a new id on every login: no fixation). */
export function startSession(accounts: Accounts, user: User, meta: RequestMeta, replacing: string | null) {
  sweepExpiredSessions(accounts);
  // The browser's previous session (if any) is replaced, not left behind.
  if (replacing && accounts.sessions.end(replacing)) accounts.sessionEvents.ended([replacing], "replaced");
  const claims = accounts.sessions.create(user.id, meta);
  accounts.sessionEvents.ended(accounts.sessions.endBeyond(user.id), "too_many_sessions");
  accounts.users.markSeen(user.id);
  accounts.audit.record("login_succeeded", { actorId: user.id, target: user.username, ip: meta.ip, detail: { sessionId: claims.sid } });
  return claims;
}
