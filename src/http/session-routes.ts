// My sessions (devices): list them, end one, end all but this one.
import { Elysia, t } from "elysia";
import { SESSION_COOKIE } from "../accounts/session-tokens.ts";
import type { RevokedResponse, SessionsResponse } from "../accounts/types.ts";
import type { Services } from "../services.ts";
import { authContext, clearSessionCookie, requireSession } from "./auth-context.ts";
import { errors } from "./errors.ts";
import { requestMeta } from "./session-meta.ts";

export function sessionRoutes(services: Services) {
  const { accounts, sessionEvents } = services;
  return new Elysia({ prefix: "/api/sessions" })
    .use(authContext(services))
    .get("/", ({ actor }): SessionsResponse => {
      const me = requireSession(actor);
      return { sessions: accounts.sessions.list(me.userId).map((s) => ({ ...s, current: s.id === me.sessionId })) };
    })
    .delete(
      "/:id",
      ({ actor, params, cookie, request, server, set }) => {
        const me = requireSession(actor);
        // Another user's session id gets the same answer as one that does not exist.
        if (!accounts.sessions.endOwn(me.userId, params.id)) throw errors.notFound("session_not_found", "There is no such session.");
        sessionEvents.ended([params.id], "revoked");
        accounts.audit.record("session_revoked", { actorId: me.userId, target: params.id, ip: requestMeta(request, server).ip });
        if (params.id === me.sessionId) clearSessionCookie(cookie[SESSION_COOKIE]!);
        set.status = 204;
      },
      { params: t.Object({ id: t.String({ maxLength: 64 }) }) },
    )
    .post("/revoke-others", ({ actor, request, server }): RevokedResponse => {
      const me = requireSession(actor);
      const ended = accounts.sessions.endAllForUser(me.userId, me.sessionId);
      sessionEvents.ended(ended, "revoked");
      if (ended.length) {
        accounts.audit.record("session_revoked", {
          actorId: me.userId,
          target: "others",
          ip: requestMeta(request, server).ip,
          detail: { count: ended.length },
        });
      }
      return { revoked: ended.length };
    });
}
