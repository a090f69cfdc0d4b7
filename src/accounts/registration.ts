// Creating accounts: through the register page (subject to the registration mode, invites and rate
// limits) or by the operator's CLI. The first account on a server without an admin becomes the admin,
// whatever the mode, so a fresh install can always be claimed.
import { errors } from "../http/errors.ts";
import type { Accounts, RequestMeta } from "./accounts.ts";
import { assertPasswordLength, assertPasswordRules } from "./password-rules.ts";
import type { User } from "./types.ts";
import { normalizeDisplayName, normalizeUsername, type NormalizedUsername } from "./usernames.ts";
import { hasAdmin } from "./users.ts";

export interface RegisterInput {
  username: string;
  password: string;
  displayName?: string | null;
  invite?: string;
}

export interface OperatorOptions {
  isAdmin: boolean;
  mustChangePassword: boolean;
}

export async function register(accounts: Accounts, input: RegisterInput, meta: RequestMeta): Promise<User> {
  // Cheap checks first: an over-long password or a bad name never reaches the hasher or a limiter.
  assertPasswordLength(input.password);
  const name = normalizeUsername(input.username);
  assertPasswordRules(input.password, name.key);
  const displayName = normalizeDisplayName(input.displayName);
  // Answer early, before spending a hash, when the answer is already no. The mode and invite checks
  // reveal nothing about other accounts (invite tokens are 256 random bits), so they come before the
  // rate limit; whether a name is taken does, so probing names is limited.
  checkAdmission(accounts, input.invite);
  accounts.limits.take("register", meta.ip, name.key, accounts.audit);
  // Reserved names are for the server's first account (its administrator) and the operator.
  const mayUseReserved = !hasAdmin(accounts.db);
  assertNameFree(accounts, name, displayName, mayUseReserved);

  const passwordHash = await accounts.passwords.hash(input.password, meta.ip);
  const { user, invite } = accounts.db
    .transaction(() => {
      // Re-checked inside the transaction: the mode, the invite or the name may have changed while hashing.
      const firstAdmin = !hasAdmin(accounts.db);
      const used = checkAdmission(accounts, input.invite, { consume: true });
      assertNameFree(accounts, name, displayName, mayUseReserved || firstAdmin);
      const created = accounts.users.insert({ ...name, displayName, passwordHash, isAdmin: firstAdmin, mustChangePassword: false });
      accounts.names.recordDisplayName(created.id, displayName);
      return { user: created, invite: used };
    })
    .immediate();
  accounts.audit.record("user_registered", {
    actorId: user.id,
    target: user.username,
    ip: meta.ip,
    detail: { admin: user.isAdmin, invite: invite?.id ?? null },
  });
  return user;
}

/** The operator's `vaultroom user create`: no registration mode, invite or rate limit applies. */
export async function createUserAsOperator(accounts: Accounts, username: string, password: string, options: OperatorOptions): Promise<User> {
  const name = normalizeUsername(username);
  assertPasswordRules(password, name.key);
  assertNameFree(accounts, name, null, true);
  const passwordHash = await accounts.passwords.hash(password);
  const user = accounts.db
    .transaction(() => {
      assertNameFree(accounts, name, null, true);
      const isAdmin = options.isAdmin || !hasAdmin(accounts.db);
      return accounts.users.insert({ ...name, displayName: null, passwordHash, isAdmin, mustChangePassword: options.mustChangePassword });
    })
    .immediate();
  accounts.audit.record("user_created", { target: user.username, detail: { by: "cli", admin: user.isAdmin } });
  return user;
}

/**
 * Whether the registration mode lets a newcomer in; with `consume`, counts the invite's use.
 * A server without an admin admits its first account in every mode.
 */
function checkAdmission(accounts: Accounts, invite: string | undefined, options: { consume?: boolean } = {}) {
  if (!hasAdmin(accounts.db)) return null;
  const mode = accounts.settings.registrationMode();
  if (mode === "closed") throw errors.forbidden("registration_closed", "Registration is closed on this server.");
  if (mode === "open") return null;
  if (!invite) throw errors.forbidden("invite_required", "You need an invite link to register on this server.");
  return options.consume ? accounts.invites.consume(invite) : accounts.invites.check(invite);
}

function assertNameFree(accounts: Accounts, name: NormalizedUsername, displayName: string | null, mayUseReserved: boolean): void {
  if (accounts.users.isKeyTaken(name.key)) throw errors.conflict("username_taken", "This username is already taken.");
  if (accounts.users.isSkeletonTaken(name.skeleton)) {
    throw errors.conflict("username_confusable", "This username looks too much like an existing one; choose another.");
  }
  accounts.names.assertUsernameFree(name.skeleton, { mayUseReserved, username: name.username });
  accounts.names.assertDisplayNameFree(displayName, 0, { mayUseReserved });
}
