// Resolves the actor from the session cookie, the same lookup the socket upgrade uses.
// Tokens are only ever read from the cookie, never from the URL or a header an attacker can set.
import { Elysia, type Cookie } from "elysia";
import type { Services } from "../services.ts";
import type { Actor } from "../accounts/sessions.ts";
import { SESSION_COOKIE, SESSION_IDLE_MS, TOKEN_REFRESH_MS } from "../accounts/session-tokens.ts";
import { authenticateToken } from "../accounts/sessions.ts";
import { errors } from "../errors.ts";

export function setSessionCookie(cookie: Cookie<unknown>, token: string): void {
  cookie.set({
    value: token,
    path: "/",
    secure: true,
    httpOnly: true,
    sameSite: "strict",
    maxAge: SESSION_IDLE_MS / 1000,
  });
}

export function clearSessionCookie(cookie: Cookie<unknown>): void {
  cookie.set({ value: "", path: "/", secure: true, httpOnly: true, sameSite: "strict", maxAge: 0 });
}

export function authContext(services: Services) {
  return new Elysia({ name: "auth-context" }).resolve({ as: "global" }, async ({ cookie }) => {
    const jar = cookie[SESSION_COOKIE];
    const token = typeof jar?.value === "string" ? jar.value : undefined;
    if (!token) return { actor: null as Actor | null };
    const found = await authenticateToken(services.tokens, services.store, token);
    if (!found) return { actor: null as Actor | null };
    // Slide the cookie's own expiry with use: re-sign a token older than a day.
    if (jar && Date.now() - found.claims.iat * 1000 > TOKEN_REFRESH_MS) {
      setSessionCookie(jar, await services.tokens.sign({ sid: found.claims.sid, sec: found.claims.sec }));
    }
    return { actor: found.actor as Actor | null };
  });
}

/** Any logged-in session, even one that must change its password first (me, logout, sessions, password). */
export function requireSession(actor: Actor | null): Actor {
  if (!actor) throw errors.unauthorized();
  return actor;
}

/**
 * A logged-in user who may use the app: after a password reset only the password change is open, and
 * while the admin's policy wants a second factor the account lacks, only enrolling one.
 */
export function requireActor(actor: Actor | null): Actor {
  const user = requireSession(actor);
  if (user.mustChangePassword) {
    throw errors.forbidden("password_change_required", "Choose a new password before going on.");
  }
  if (user.mustEnrolSecondFactor) {
    throw errors.forbidden("second_factor_enrolment_required", "Set up two-factor sign-in (an authenticator app or a passkey) before going on.");
  }
  return user;
}

export function requireAdmin(actor: Actor | null): Actor {
  const user = requireActor(actor);
  if (!user.isAdmin) throw errors.forbidden("admin_only", "Only an administrator can do this.");
  return user;
}
