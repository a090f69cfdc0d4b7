// Everything routes and socket handlers need, built once per app from its dependencies.
// Feature code receives Services (or the parts it needs), never an Elysia Context.
import type { AppDeps } from "./app.ts";
import { createAccounts } from "./accounts/accounts.ts";
import { createSessionTokens } from "./accounts/session-jwt.ts";
import { createAuditTrail } from "./audit/trail.ts";
import { createFileService } from "./files/service.ts";
import { createExportService } from "./exports/service.ts";
import { MemoryLimiter } from "./limits/shared-limiter.ts";
import { createChat } from "./messages/chat.ts";
import { limitsForMessageRate } from "./messages/chat-limits.ts";
import { createSearch } from "./search/search.ts";
import { createNotifications } from "./notifications/notifications.ts";
import { createPush } from "./push/push.ts";
import { countingLimiter } from "./metrics/counting-limiter.ts";
import { databaseSize } from "./metrics/database-size.ts";
import { createMetrics } from "./metrics/metrics.ts";
import { createModeration } from "./moderation/moderation.ts";
import { createRetention } from "./retention/retention.ts";

export function createServices(deps: AppDeps) {
  const metrics = createMetrics();
  deps.store.observeBatches((items, seconds) => {
    metrics.batchSize.observe(items);
    metrics.commitSeconds.observe(seconds);
  });
  const limiter = countingLimiter(deps.cluster?.limiter ?? new MemoryLimiter(), metrics);
  // Rooms, DMs, messages, presence, typing, and the socket registry that delivers what commits announce.
  const chat = createChat(
    { store: deps.store, logger: deps.logger, metrics },
    { limits: limitsForMessageRate(deps.config.messageRate), limiter, cluster: deps.cluster ?? null },
  );
  const push = createPush({ store: deps.store, chat, config: deps.config, secrets: deps.secrets, logger: deps.logger });
  // Users, settings, invites, audit log, password hashing and login/register rate limits.
  const accounts = createAccounts({ store: deps.store, logger: deps.logger, limiter, totpKey: deps.secrets.totpKey, limits: deps.config.authLimits });
  metrics.watch({
    engine: deps.store.engine,
    sockets: () => chat.hub.socketTotal,
    connectedUsers: () => chat.hub.connectedUsers,
    argon2Load: () => accounts.passwords.load(),
    databaseSize: () => databaseSize(deps.store),
    certificateExpiry: () => deps.certificate?.expirySeconds() ?? null,
  });
  const files = createFileService({ store: deps.store, config: deps.config, logger: deps.logger });
  return {
    ...deps,
    metrics,
    tokens: createSessionTokens(deps.secrets.sessionKey),
    accounts,
    chat,
    /** presence.onlineUserIds() / isOnline(id), e.g. for the admin dashboard. */
    presence: chat.presence,
    // Shared files: storage on disk, quota, sweeps of leftovers and deleted files' bytes.
    files,
    // Notification levels, mute, do-not-disturb, the Mentions view (issue 12).
    notifications: createNotifications({ store: deps.store }),
    // Web Push: subscriptions, the per-message decisions and the sender's queue.
    push,
    // Data exports built in the background (a user's own data, an admin's room), kept 24 h.
    exports: createExportService({ store: deps.store, config: deps.config, logger: deps.logger, storage: files.storage }),
    /** The audit log's hash chain and signed checkpoints (src/audit/). */
    audit: createAuditTrail({ store: deps.store, key: deps.secrets.auditKey, logger: deps.logger }),
    /** Reports, bans and moderators' deletions (src/moderation/). */
    moderation: createModeration({ store: deps.store, chat }),
    /** Message and file retention, disappearing messages (src/retention/). */
    retention: createRetention({ store: deps.store, logger: deps.logger, files, metrics }),
    // Search over the reader's conversations (issue 13), priced per user like the chat's reads.
    search: createSearch({ store: deps.store, logger: deps.logger, limiter, takeCost: chat.takeCost, messageRate: deps.config.messageRate }),
  };
}

export type Services = ReturnType<typeof createServices>;
