// Logging in. An unknown user and a wrong password get the same answer after the same work (the
// unknown user is verified against a dummy hash), so the login form cannot be used to find accounts.
import { command, type Tx } from "../db/store.ts";
import { AppError, errors } from "../errors.ts";
import type { Accounts, RequestMeta } from "./accounts.ts";
import { appendAudit } from "./audit.ts";
import { assertPasswordLength } from "./password-rules.ts";
import { reauth } from "./reauth.ts";
import { secondFactors } from "./second-factors.ts";
import { sessions } from "./sessions.ts";
import type { User } from "./types.ts";
import { usernameKey } from "./usernames.ts";
import { users } from "./users.ts";

export interface LoginInput {
  username: string;
  password: string;
}

export const invalidCredentials = () => new AppError(401, "invalid_credentials", "The username or password is not right.");

export async function login(accounts: Accounts, input: LoginInput, meta: RequestMeta): Promise<User> {
  assertPasswordLength(input.password);
  const key = usernameKey(input.username.slice(0, 256));
  const user = await users.findByKey(accounts.store.read, key);
  // Taken before the password is checked: a correct password is refused too once the bucket is empty.
  // A lockout names the account only when there is one: what was typed may be a misplaced password.
  await accounts.limits.take("login", meta.ip, key, accounts.audit, user?.username ?? null);

  const ok = user
    ? await accounts.passwords.verify(input.password, user.passwordHash, meta.ip)
    : await accounts.passwords.verifyDummy(input.password, meta.ip);
  if (!user || !ok) {
    // The attempted name is kept only when it names a real account: a password typed into the
    // username field by mistake must not end up in the log.
    await accounts.audit.record("login_failed", {
      target: user?.username ?? null,
      ip: meta.ip,
      detail: { reason: user ? "wrong_password" : "unknown_user" },
    });
    throw invalidCredentials();
  }
  if (user.disabled) {
    // Only someone who knows the password learns that the account exists but is disabled.
    await accounts.audit.record("login_refused", { actorId: user.id, target: user.username, ip: meta.ip, detail: { reason: "disabled" } });
    throw errors.forbidden("account_disabled", "This account has been disabled by an administrator.");
  }
  const { passwordHash: _secret, ...safe } = user;
  return safe;
}

export interface SessionStart {
  userId: number;
  username: string;
  meta: RequestMeta;
  replacing: string | null;
  now: number;
  /** How the login was proved, for the audit log: "password", "password+totp", "passkey"... */
  method: string;
  /** The admin's policy asks this account for a second factor it lacks: count the login against its grace. */
  countGrace?: boolean;
}

/** Inside a command: the session of a login that has been fully proved. */
export async function openSession(tx: Tx, input: SessionStart) {
  // The browser's previous session (if any) is replaced, not left behind.
  if (input.replacing) await sessions.end(tx, input.replacing, "replaced");
  const claims = await sessions.create(tx, input.userId, input.meta, input.now);
  await sessions.endBeyond(tx, input.userId);
  await users.markSeen(tx, input.userId, input.now);
  if (input.countGrace) await secondFactors.bumpGrace(tx, input.userId);
  // Proving the password (or a passkey) just now counts as a re-authentication of the new session.
  await reauth.record(tx, claims.sid, input.now);
  await appendAudit(tx, "login_succeeded", {
    actorId: input.userId,
    target: input.username,
    ip: input.meta.ip,
    detail: { sessionId: claims.sid, method: input.method },
  });
  return claims;
}

const startSessionCommand = command("sessions.start", openSession);

/** Starts a new session for a freshly authenticated user (a new id on every login: no fixation). */
export function startSession(accounts: Accounts, user: User, meta: RequestMeta, replacing: string | null, extra: { method?: string; countGrace?: boolean } = {}) {
  return accounts.store.write(startSessionCommand, {
    userId: user.id,
    username: user.username,
    meta,
    replacing,
    now: Date.now(),
    method: extra.method ?? "password",
    countGrace: extra.countGrace,
  });
}
