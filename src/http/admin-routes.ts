// The admin API: users, invites, registration mode, server stats, audit log. Admins only; everyone
// else gets 403 (401 when not logged in).
import { Elysia, t } from "elysia";
import { createInvite, resetPassword, revokeInvite, setRegistrationMode, updateUser } from "../accounts/admin.ts";
import { INVITE_MAX_HOURS, INVITE_MAX_USES } from "../accounts/invites.ts";
import { serverStats, type PresenceSource } from "../accounts/stats.ts";
import type {
  AdminUsersResponse,
  AuditResponse,
  CreatedInviteResponse,
  InvitesResponse,
  ResetPasswordResponse,
  ServerStats,
  SettingsResponse,
  UserResponse,
} from "../accounts/types.ts";
import type { Services } from "../services.ts";
import type { CertificateStatus } from "../tls/certificate-status.ts";
import { authContext, requireAdmin } from "./auth-context.ts";
import { requestMeta } from "./session-meta.ts";

/** The counts, plus the served certificate (issuer, expiry, renewal) for the dashboard. */
export type AdminServerStats = ServerStats & { certificate: CertificateStatus | null };

const userId = t.Object({ id: t.Numeric({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }) });

export function adminRoutes(services: Services) {
  const accounts = services.accounts;
  // Presence belongs to the socket layer and may not exist in every build of the app.
  const presence = () => (services as { presence?: PresenceSource }).presence;

  return new Elysia({ prefix: "/api/admin" })
    .use(authContext(services))
    .get("/users", ({ actor }): AdminUsersResponse => {
      requireAdmin(actor);
      const online = presence()?.onlineUserIds?.();
      const onlineIds = online ? new Set(online) : null;
      const users = accounts.users.list();
      return { users: onlineIds ? users.map((user) => ({ ...user, online: onlineIds.has(user.id) })) : users };
    })
    .patch(
      "/users/:id",
      ({ actor, params, body, request, server }): UserResponse => ({
        user: updateUser(accounts, requireAdmin(actor), params.id, body, requestMeta(request, server)),
      }),
      { params: userId, body: t.Object({ isAdmin: t.Optional(t.Boolean()), disabled: t.Optional(t.Boolean()) }) },
    )
    .post(
      "/users/:id/reset-password",
      async ({ actor, params, request, server }): Promise<ResetPasswordResponse> =>
        resetPassword(accounts, requireAdmin(actor), params.id, requestMeta(request, server)),
      { params: userId },
    )
    .get("/settings", ({ actor }): SettingsResponse => {
      requireAdmin(actor);
      return { registrationMode: accounts.settings.registrationMode() };
    })
    .patch(
      "/settings",
      ({ actor, body, request, server }): SettingsResponse => ({
        registrationMode: setRegistrationMode(accounts, requireAdmin(actor), body.registrationMode, requestMeta(request, server)),
      }),
      { body: t.Object({ registrationMode: t.Union([t.Literal("open"), t.Literal("invite"), t.Literal("closed")]) }) },
    )
    .get("/invites", ({ actor }): InvitesResponse => {
      requireAdmin(actor);
      return { invites: accounts.invites.list() };
    })
    .post(
      "/invites",
      ({ actor, body, request, server, set }): CreatedInviteResponse => {
        const created = createInvite(accounts, requireAdmin(actor), body, requestMeta(request, server));
        set.status = 201;
        return created;
      },
      {
        body: t.Object({
          expiresInHours: t.Optional(t.Integer({ minimum: 1, maximum: INVITE_MAX_HOURS })),
          maxUses: t.Optional(t.Integer({ minimum: 1, maximum: INVITE_MAX_USES })),
        }),
      },
    )
    .delete(
      "/invites/:id",
      ({ actor, params, request, server }) => ({
        invite: revokeInvite(accounts, requireAdmin(actor), params.id, requestMeta(request, server)),
      }),
      { params: t.Object({ id: t.String({ maxLength: 64 }) }) },
    )
    .get("/stats", ({ actor }): AdminServerStats => {
      requireAdmin(actor);
      return { ...serverStats(accounts, presence()), certificate: services.certificate?.status() ?? null };
    })
    .get(
      "/audit",
      ({ actor, query }): AuditResponse => {
        requireAdmin(actor);
        return { entries: accounts.audit.list(query) };
      },
      {
        query: t.Object({
          before: t.Optional(t.Numeric({ minimum: 1 })),
          limit: t.Optional(t.Numeric({ minimum: 1, maximum: 500 })),
          event: t.Optional(t.String({ maxLength: 64 })),
        }),
      },
    );
}
