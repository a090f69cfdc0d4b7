// My sessions (devices): list them, end one, end all but this one.
import { Elysia, t } from "elysia";
import { SESSION_COOKIE } from "../accounts/session-tokens.ts";
import type { RevokedResponse, SessionsResponse } from "../accounts/types.ts";
import { revokeOtherSessions, revokeOwnSession } from "../accounts/session-ends.ts";
import { sessions } from "../accounts/sessions.ts";
import type { Services } from "../services.ts";
import { authContext, clearSessionCookie, requireSession } from "./auth-context.ts";
import { requestMeta } from "./session-meta.ts";

export function sessionRoutes(services: Services) {
  const { store } = services;
  return new Elysia({ prefix: "/api/sessions" })
    .use(authContext(services))
    .get("/", async ({ actor }): Promise<SessionsResponse> => {
      const me = requireSession(actor);
      const mine = await sessions.list(store.read, me.userId);
      return { sessions: mine.map((s) => ({ ...s, current: s.id === me.sessionId })) };
    })
    .delete(
      "/:id",
      async ({ actor, params, cookie, request, server, set }) => {
        const me = requireSession(actor);
        await store.write(revokeOwnSession, { userId: me.userId, sessionId: params.id, ip: requestMeta(request, server).ip });
        if (params.id === me.sessionId) clearSessionCookie(cookie[SESSION_COOKIE]!);
        set.status = 204;
      },
      { params: t.Object({ id: t.String({ maxLength: 64 }) }) },
    )
    .post("/revoke-others", async ({ actor, request, server }): Promise<RevokedResponse> => {
      const me = requireSession(actor);
      return { revoked: await store.write(revokeOtherSessions, { userId: me.userId, keep: me.sessionId, ip: requestMeta(request, server).ip }) };
    });
}
