// My account: change password, change display name, delete the account.
import { Elysia, t } from "elysia";
import { changePassword, deleteAccount, updateDisplayName } from "../accounts/account-settings.ts";
import { SESSION_COOKIE } from "../accounts/session-tokens.ts";
import type { UserResponse } from "../accounts/types.ts";
import type { Services } from "../services.ts";
import { authContext, clearSessionCookie, requireActor, requireSession } from "./auth-context.ts";
import { throwIfRateLimited } from "../errors.ts";
import { requestMeta } from "./session-meta.ts";

export function accountRoutes(services: Services) {
  const accounts = services.accounts;
  return new Elysia({ prefix: "/api/account" })
    .use(authContext(services))
    .post(
      "/password",
      async ({ actor, body, request, server }): Promise<UserResponse> => ({
        user: await changePassword(accounts, requireSession(actor), body, requestMeta(request, server)),
      }),
      { body: t.Object({ currentPassword: t.String(), newPassword: t.String() }) },
    )
    .patch(
      "/",
      async ({ actor, body }): Promise<UserResponse> => {
        const me = requireActor(actor);
        // A display-name change is a commit and a broadcast to everyone who shares a room: the chat's action bucket.
        throwIfRateLimited(await services.chat.takeAction(me.userId));
        return { user: await updateDisplayName(accounts, me, body.displayName) };
      },
      { body: t.Object({ displayName: t.Nullable(t.String({ maxLength: 1024 })) }) },
    )
    .delete(
      "/",
      async ({ actor, body, request, server, cookie, set }) => {
        await deleteAccount(accounts, requireSession(actor), body.password, requestMeta(request, server));
        clearSessionCookie(cookie[SESSION_COOKIE]!);
        set.status = 204;
      },
      // Without the password, a re-authentication within the last 5 minutes will do (a passkey user).
      { body: t.Object({ password: t.Optional(t.String()) }) },
    );
}
