// Everything the accounts domain needs, built once per app (or once per CLI run) from the store.
import type { Store } from "../db/store.ts";
import type { Logger } from "../log.ts";
import type { SharedLimiter } from "../limits/shared-limiter.ts";
import { MemoryLimiter } from "../limits/shared-limiter.ts";
import { createAuditLog, type AuditLog } from "./audit.ts";
import { createAuthLimits, type AuthLimitOptions, type AuthLimits } from "./auth-limits.ts";
import { createPasswordHasher, type PasswordHasher, type PasswordHasherOptions } from "./password-hasher.ts";

export interface Accounts {
  store: Store;
  logger: Logger;
  audit: AuditLog;
  passwords: PasswordHasher;
  limits: AuthLimits;
}

export interface AccountsDeps {
  store: Store;
  logger: Logger;
  limiter?: SharedLimiter;
  limits?: AuthLimitOptions;
  hashing?: PasswordHasherOptions;
}

export function createAccounts(deps: AccountsDeps): Accounts {
  return {
    store: deps.store,
    logger: deps.logger,
    audit: createAuditLog(deps.store),
    passwords: createPasswordHasher(deps.hashing),
    limits: createAuthLimits(deps.limiter ?? new MemoryLimiter(), deps.limits),
  };
}

/** Where a request came from, for sessions and the audit log. */
export interface RequestMeta {
  ip: string;
  userAgent: string;
}
