// Registration, login, logout and "who am I".
import { Elysia, t } from "elysia";
import { login, startSession } from "../accounts/login.ts";
import { beginSignIn } from "../accounts/second-step.ts";
import { HALF_SESSION_COOKIE } from "../accounts/half-sessions.ts";
import { enrolmentFor } from "../accounts/enrolment.ts";
import { setHalfSessionCookie, clearHalfSessionCookie } from "./half-session-cookie.ts";
import { AppError } from "../errors.ts";
import { describeInvite, register, registrationInfo } from "../accounts/registration.ts";
import { serverProfile } from "../accounts/server-profile.ts";
import { SESSION_COOKIE } from "../accounts/session-tokens.ts";
import type { InviteInfo, LoginResponse, RegistrationInfo, SessionProbe, UserResponse } from "../accounts/types.ts";
import { logout } from "../accounts/session-ends.ts";
import { settings } from "../accounts/settings.ts";
import { users } from "../accounts/users.ts";
import type { Services } from "../services.ts";
import { authContext, clearSessionCookie, requireSession, setSessionCookie } from "./auth-context.ts";
import { errors } from "../errors.ts";
import { requestMeta } from "./session-meta.ts";

// Passwords carry no maxLength here: the domain answers an over-long one with its own clear error.
const credentials = {
  username: t.String({ maxLength: 1024 }),
  password: t.String(),
};

export function authRoutes(services: Services) {
  const accounts = services.accounts;
  const db = services.store.read;
  return new Elysia({ prefix: "/api" })
    .use(authContext(services))
    .get("/auth/registration", (): Promise<RegistrationInfo> => registrationInfo(db))
    // An invite link's landing page: who invited me, to which server and room. POST, so the token
    // travels in the body and never in a URL a log could keep.
    .post("/auth/invite", async ({ body }): Promise<InviteInfo> => describeInvite(db, body.token), {
      body: t.Object({ token: t.String({ minLength: 1, maxLength: 256 }) }),
    })
    // "Am I logged in?" for the web client's first paint. /api/me answers a stranger 401 (specified),
    // which browsers log as a failed request; this answers 200 either way. Like /api/me it is open to
    // a session that must change its password, so the client can send it to the password form.
    .get("/auth/session", async ({ actor }): Promise<SessionProbe> => ({
      user: actor ? await users.get(db, actor.userId) : null,
      registrationMode: await settings.registrationMode(db),
      serverName: await serverProfile.name(db),
      setupNeeded: actor?.isAdmin === true && !(await serverProfile.setupCompleted(db)),
      enrolment: actor ? await enrolmentFor(db, actor) : null,
    }))
    .post(
      "/auth/register",
      async ({ body, request, server, cookie, actor, set }): Promise<UserResponse> => {
        const meta = requestMeta(request, server);
        const user = await register(accounts, body, meta);
        const claims = await startSession(accounts, user, meta, actor?.sessionId ?? null);
        setSessionCookie(cookie[SESSION_COOKIE]!, await services.tokens.sign(claims));
        set.status = 201;
        return { user: (await users.get(db, user.id)) ?? user };
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
      async ({ body, request, server, cookie, actor }): Promise<LoginResponse> => {
        const meta = requestMeta(request, server);
        let user;
        try {
          user = await login(accounts, body, meta);
        } catch (error) {
          // Refusals by a rate limit or a busy hasher are counted where they happen, not as failures.
          if (error instanceof AppError && (error.code === "invalid_credentials" || error.code === "account_disabled")) {
            services.metrics.logins.inc({ result: "failure" });
          }
          throw error;
        }
        const next = await beginSignIn(accounts, user, meta, actor?.sessionId ?? null);
        if (next.kind === "second_factor") {
          // No session cookie: only the half-session's, which nothing but the second step reads.
          setHalfSessionCookie(cookie[HALF_SESSION_COOKIE]!, next.token);
          return { secondFactor: "required", methods: next.methods };
        }
        services.metrics.logins.inc({ result: "success" });
        setSessionCookie(cookie[SESSION_COOKIE]!, await services.tokens.sign(next.claims));
        clearHalfSessionCookie(cookie[HALF_SESSION_COOKIE]!);
        // Read back so lastSeenAt reflects this login.
        return { user: (await users.get(db, user.id)) ?? user };
      },
      { body: t.Object(credentials) },
    )
    .post("/auth/logout", async ({ actor, cookie, request, server, set }) => {
      if (actor) {
        await services.store.write(logout, { sessionId: actor.sessionId, userId: actor.userId, username: actor.username, ip: requestMeta(request, server).ip });
      }
      clearSessionCookie(cookie[SESSION_COOKIE]!);
      set.status = 204;
    })
    .get("/me", async ({ actor }): Promise<UserResponse> => {
      const user = await users.get(db, requireSession(actor).userId);
      if (!user) throw errors.unauthorized();
      return { user };
    });
}
