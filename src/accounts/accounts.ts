// Everything the accounts domain needs, built once per app (or once per CLI run) from the store.
import type { Store } from "../db/store.ts";
import type { Logger } from "../log.ts";
import type { SharedLimiter } from "../limits/shared-limiter.ts";
import { MemoryLimiter } from "../limits/shared-limiter.ts";
import { createAuditLog, type AuditLog } from "./audit.ts";
import { createAuthLimits, type AuthLimitOptions, type AuthLimits } from "./auth-limits.ts";
import { createPasswordHasher, type PasswordHasher, type PasswordHasherOptions } from "./password-hasher.ts";
import { createSecretBox, type SecretBox } from "./secret-box.ts";

export interface Accounts {
  store: Store;
  logger: Logger;
  audit: AuditLog;
  passwords: PasswordHasher;
  limits: AuthLimits;
  /** Seals TOTP secrets under the secrets file's key (absent in CLI runs that never touch them). */
  secretBox: SecretBox;
  /** What time it is for TOTP codes (tests move it forward to get fresh time steps). */
  clock: { now(): number };
}

export interface AccountsDeps {
  store: Store;
  logger: Logger;
  limiter?: SharedLimiter;
  limits?: AuthLimitOptions;
  hashing?: PasswordHasherOptions;
  /** The secrets file's TOTP key. */
  totpKey?: string;
}

const noSecretBox: SecretBox = {
  seal: () => {
    throw new Error("no TOTP key was given to this command");
  },
  open: () => null,
};

export function createAccounts(deps: AccountsDeps): Accounts {
  return {
    store: deps.store,
    logger: deps.logger,
    audit: createAuditLog(deps.store),
    passwords: createPasswordHasher(deps.hashing),
    limits: createAuthLimits(deps.limiter ?? new MemoryLimiter(), deps.limits),
    secretBox: deps.totpKey ? createSecretBox(deps.totpKey) : noSecretBox,
    clock: { now: () => Date.now() },
  };
}

/** Where a request came from, for sessions and the audit log. */
export interface RequestMeta {
  ip: string;
  userAgent: string;
}
