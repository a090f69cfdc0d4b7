// Everything routes and socket handlers need, built once per app from its dependencies.
// Feature code receives Services (or the parts it needs), never an Elysia Context.
import type { AppDeps } from "./app.ts";
import { SessionEvents } from "./accounts/session-events.ts";
import { createSessionTokens } from "./accounts/session-tokens.ts";
import { createSessionStore } from "./accounts/sessions.ts";
import { createAccounts } from "./accounts/accounts.ts";
import { createChat } from "./messages/chat.ts";
import { limitsForMessageRate } from "./messages/chat-limits.ts";
import { createFileService } from "./files/service.ts";

export function createServices(deps: AppDeps) {
  const sessions = createSessionStore(deps.db);
  const sessionEvents = new SessionEvents();
  // Rooms, DMs, messages (with the group-commit write queue), presence, typing, socket registry.
  const chat = createChat({ db: deps.db, logger: deps.logger }, { limits: limitsForMessageRate(deps.config.messageRate) });
  return {
    ...deps,
    sessions,
    tokens: createSessionTokens(deps.secrets.sessionKey),
    sessionEvents,
    // Users, settings, invites, audit log, password hashing and login/register rate limits.
    accounts: createAccounts({ db: deps.db, logger: deps.logger, sessions, sessionEvents }),
    chat,
    /** presence.onlineUserIds() / isOnline(id), e.g. for the admin dashboard. */
    presence: chat.presence,
    // Shared files: storage under <data>/files, quota, start-up sweep of leftovers.
    files: createFileService({ db: deps.db, config: deps.config, logger: deps.logger }),
  };
}

export type Services = ReturnType<typeof createServices>;
