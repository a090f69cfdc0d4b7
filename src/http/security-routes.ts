// Two-factor sign-in from both sides: the login's second step (public, driven by the half-session
// cookie only), and my account's sign-in settings (TOTP, recovery codes, re-authentication). Reset
// links are used here too, by someone who is not logged in. Passkeys have routes of their own.
import { Elysia, t } from "elysia";
import { reauthenticateWithPassword } from "../accounts/account-settings.ts";
import { HALF_SESSION_COOKIE, halfSessions } from "../accounts/half-sessions.ts";
import { resetLinkAccount, useResetLink } from "../accounts/reset-links.ts";
import { abandonSignIn, submitCode } from "../accounts/second-step.ts";
import { SESSION_COOKIE } from "../accounts/session-tokens.ts";
import { beginTotp, disableTotp, enableTotp, regenerateRecoveryCodes, securityOverview } from "../accounts/two-factor.ts";
import type { ReauthResponse, RecoveryCodesResponse, SecurityOverview, TotpSetupResponse, UserResponse } from "../accounts/types.ts";
import { users } from "../accounts/users.ts";
import type { Services } from "../services.ts";
import { authContext, clearSessionCookie, requireSession, setSessionCookie } from "./auth-context.ts";
import { clearHalfSessionCookie, halfSessionToken } from "./half-session-cookie.ts";
import { requestMeta } from "./session-meta.ts";

export function securityRoutes(services: Services) {
  const accounts = services.accounts;
  const db = services.store.read;
  return new Elysia({ prefix: "/api" })
    .use(authContext(services))
    .post(
      "/auth/second-factor",
      async ({ body, cookie, request, server }): Promise<UserResponse> => {
        const { user, claims } = await submitCode(accounts, halfSessionToken(cookie), body.code, requestMeta(request, server));
        setSessionCookie(cookie[SESSION_COOKIE]!, await services.tokens.sign(claims));
        clearHalfSessionCookie(cookie[HALF_SESSION_COOKIE]!);
        return { user: (await users.get(db, user.id)) ?? user };
      },
      { body: t.Object({ code: t.String({ maxLength: 64 }) }) },
    )
    .post("/auth/second-factor/cancel", async ({ cookie, set }) => {
      const half = await halfSessions.find(db, halfSessionToken(cookie));
      if (half) await services.store.write(abandonSignIn, half.id);
      clearHalfSessionCookie(cookie[HALF_SESSION_COOKIE]!);
      set.status = 204;
    })
    .post(
      "/auth/reset-password",
      async ({ body, cookie, request, server, set }) => {
        await useResetLink(accounts, body.token, body.newPassword, requestMeta(request, server));
        // Whoever was logged in on this browser is logged out with every other session of the account.
        clearSessionCookie(cookie[SESSION_COOKIE]!);
        set.status = 204;
      },
      { body: t.Object({ token: t.String({ maxLength: 128 }), newPassword: t.String() }) },
    )
    // A POST, as for using the link: the token stays out of URLs and so out of every log.
    .post("/auth/reset-password/account", ({ body }) => resetLinkAccount(accounts, body.token), {
      body: t.Object({ token: t.String({ maxLength: 128 }) }),
    })
    .get("/account/security", async ({ actor }): Promise<SecurityOverview> => securityOverview(accounts, requireSession(actor)))
    .post(
      "/account/reauth",
      async ({ actor, body, request, server }): Promise<ReauthResponse> => ({
        reauthUntil: await reauthenticateWithPassword(accounts, requireSession(actor), body.password, requestMeta(request, server)),
      }),
      { body: t.Object({ password: t.String() }) },
    )
    .post("/account/totp/setup", async ({ actor }): Promise<TotpSetupResponse> => beginTotp(accounts, requireSession(actor)))
    .post(
      "/account/totp/enable",
      async ({ actor, body, request, server }): Promise<RecoveryCodesResponse> =>
        enableTotp(accounts, requireSession(actor), body.code, requestMeta(request, server)),
      { body: t.Object({ code: t.String({ maxLength: 16 }) }) },
    )
    .post("/account/totp/disable", async ({ actor, request, server, set }) => {
      await disableTotp(accounts, requireSession(actor), requestMeta(request, server));
      set.status = 204;
    })
    .post("/account/recovery-codes", async ({ actor, request, server }): Promise<RecoveryCodesResponse> =>
      regenerateRecoveryCodes(accounts, requireSession(actor), requestMeta(request, server)),
    );
}
