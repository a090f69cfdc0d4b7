// Everything routes and socket handlers need, built once per app from its dependencies.
// Feature code receives Services (or the parts it needs), never an Elysia Context.
import type { AppDeps } from "./app.ts";
import { createAccounts } from "./accounts/accounts.ts";
import { createSessionTokens } from "./accounts/session-tokens.ts";
import { createFileService } from "./files/service.ts";
import { createExportService } from "./exports/service.ts";
import { MemoryLimiter } from "./limits/shared-limiter.ts";
import { createChat } from "./messages/chat.ts";
import { limitsForMessageRate } from "./messages/chat-limits.ts";

export function createServices(deps: AppDeps) {
  const limiter = deps.cluster?.limiter ?? new MemoryLimiter();
  // Rooms, DMs, messages, presence, typing, and the socket registry that delivers what commits announce.
  const chat = createChat(
    { store: deps.store, logger: deps.logger },
    { limits: limitsForMessageRate(deps.config.messageRate), limiter, cluster: deps.cluster ?? null },
  );
  const files = createFileService({ store: deps.store, config: deps.config, logger: deps.logger });
  return {
    ...deps,
    tokens: createSessionTokens(deps.secrets.sessionKey),
    // Users, settings, invites, audit log, password hashing and login/register rate limits.
    accounts: createAccounts({ store: deps.store, logger: deps.logger, limiter, totpKey: deps.secrets.totpKey, limits: deps.config.authLimits }),
    chat,
    /** presence.onlineUserIds() / isOnline(id), e.g. for the admin dashboard. */
    presence: chat.presence,
    // Shared files: storage on disk, quota, sweeps of leftovers and deleted files' bytes.
    files,
    // Data exports built in the background (a user's own data, an admin's room), kept 24 h.
    exports: createExportService({ store: deps.store, config: deps.config, logger: deps.logger, storage: files.storage }),
  };
}

export type Services = ReturnType<typeof createServices>;
