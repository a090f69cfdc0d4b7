// Registration, login, logout and "who am I".
import { Elysia, t } from "elysia";
import { login, startSession } from "../accounts/login.ts";
import { register } from "../accounts/registration.ts";
import { SESSION_COOKIE } from "../accounts/session-tokens.ts";
import type { RegistrationInfo, UserResponse } from "../accounts/types.ts";
import type { Services } from "../services.ts";
import { authContext, clearSessionCookie, requireSession, setSessionCookie } from "./auth-context.ts";
import { errors } from "./errors.ts";
import { requestMeta } from "./session-meta.ts";

// Passwords carry no maxLength here: the domain answers an over-long one with its own clear error.
const credentials = {
  username: t.String({ maxLength: 1024 }),
  password: t.String(),
};

export function authRoutes(services: Services) {
  const accounts = services.accounts;
  return new Elysia({ prefix: "/api" })
    .use(authContext(services))
    .get("/auth/registration", (): RegistrationInfo => ({ mode: accounts.settings.registrationMode() }))
    .post(
      "/auth/register",
      async ({ body, request, server, cookie, actor, set }): Promise<UserResponse> => {
        const meta = requestMeta(request, server);
        const user = await register(accounts, body, meta);
        const claims = startSession(accounts, user, meta, actor?.sessionId ?? null);
        setSessionCookie(cookie[SESSION_COOKIE]!, await services.tokens.sign(claims));
        set.status = 201;
        return { user: accounts.users.get(user.id) ?? user };
      },
      {
        body: t.Object({
          ...credentials,
          displayName: t.Optional(t.Nullable(t.String({ maxLength: 1024 }))),
          invite: t.Optional(t.String({ maxLength: 256 })),
        }),
      },
    )
    .post(
      "/auth/login",
      async ({ body, request, server, cookie, actor }): Promise<UserResponse> => {
        const meta = requestMeta(request, server);
        const user = await login(accounts, body, meta);
        const claims = startSession(accounts, user, meta, actor?.sessionId ?? null);
        setSessionCookie(cookie[SESSION_COOKIE]!, await services.tokens.sign(claims));
        // Read back so lastSeenAt reflects this login.
        return { user: accounts.users.get(user.id) ?? user };
      },
      { body: t.Object(credentials) },
    )
    .post("/auth/logout", ({ actor, cookie, request, server, set }) => {
      if (actor && accounts.sessions.end(actor.sessionId)) {
        services.sessionEvents.ended([actor.sessionId], "logout");
        accounts.audit.record("logout", { actorId: actor.userId, target: actor.username, ip: requestMeta(request, server).ip });
      }
      clearSessionCookie(cookie[SESSION_COOKIE]!);
      set.status = 204;
    })
    .get("/me", ({ actor }): UserResponse => {
      const user = accounts.users.get(requireSession(actor).userId);
      if (!user) throw errors.unauthorized();
      return { user };
    });
}
