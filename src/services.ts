// Everything routes and socket handlers need, built once per app from its dependencies.
// Feature code receives Services (or the parts it needs), never an Elysia Context.
import type { AppDeps } from "./app.ts";
import { SessionEvents } from "./accounts/session-events.ts";
import { createSessionTokens } from "./accounts/session-tokens.ts";
import { createSessionStore } from "./accounts/sessions.ts";

export function createServices(deps: AppDeps) {
  return {
    ...deps,
    sessions: createSessionStore(deps.db),
    tokens: createSessionTokens(deps.secrets.sessionKey),
    sessionEvents: new SessionEvents(),
  };
}

export type Services = ReturnType<typeof createServices>;
