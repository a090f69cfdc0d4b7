// Everything the accounts domain needs, built once per app (or once per CLI run) from the database.
import type { Database } from "bun:sqlite";
import type { Logger } from "../log.ts";
import type { SessionEvents } from "./session-events.ts";
import type { SessionStore } from "./sessions.ts";
import { createAuditLog, type AuditLog } from "./audit.ts";
import { createAuthLimits, type AuthLimitOptions, type AuthLimits } from "./auth-limits.ts";
import { createInviteStore, type InviteStore } from "./invites.ts";
import { createNameClashes, type NameClashes } from "./name-clashes.ts";
import { refreshNameSkeletons } from "./name-skeletons.ts";
import { createPasswordHasher, type PasswordHasher, type PasswordHasherOptions } from "./password-hasher.ts";
import { createSettingsStore, type SettingsStore } from "./settings.ts";
import { createUserStore, type UserStore } from "./users.ts";

export interface Accounts {
  db: Database;
  users: UserStore;
  sessions: SessionStore;
  sessionEvents: SessionEvents;
  settings: SettingsStore;
  invites: InviteStore;
  audit: AuditLog;
  passwords: PasswordHasher;
  limits: AuthLimits;
  names: NameClashes;
}

export interface AccountsDeps {
  db: Database;
  logger: Logger;
  sessions: SessionStore;
  sessionEvents: SessionEvents;
  limits?: AuthLimitOptions;
  hashing?: PasswordHasherOptions;
}

export function createAccounts(deps: AccountsDeps): Accounts {
  refreshNameSkeletons(deps.db, deps.logger);
  return {
    db: deps.db,
    users: createUserStore(deps.db),
    sessions: deps.sessions,
    sessionEvents: deps.sessionEvents,
    settings: createSettingsStore(deps.db),
    invites: createInviteStore(deps.db),
    audit: createAuditLog(deps.db, deps.logger),
    passwords: createPasswordHasher(deps.hashing),
    limits: createAuthLimits(deps.limits),
    names: createNameClashes(deps.db),
  };
}

/** Where a request came from, for sessions and the audit log. */
export interface RequestMeta {
  ip: string;
  userAgent: string;
}
