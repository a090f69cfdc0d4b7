// The admin API: users, invites, registration mode, server stats, audit log. Admins only; everyone
// else gets 403 (401 when not logged in).
import { Elysia, t } from "elysia";
import { createInvite, resetPassword, revokeInvite, setRegistrationMode, setServerName, updateUser } from "../accounts/admin.ts";
import { completeSetup, skipSetup } from "../accounts/setup.ts";
import { MAX_SERVER_NAME_LENGTH, serverProfile } from "../accounts/server-profile.ts";
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
  SetupResponse,
  UserResponse,
} from "../accounts/types.ts";
import { invites } from "../accounts/invites.ts";
import { settings } from "../accounts/settings.ts";
import { users } from "../accounts/users.ts";
import type { Services } from "../services.ts";
import type { CertificateStatus } from "../tls/certificate-status.ts";
import { authContext, requireAdmin } from "./auth-context.ts";
import { requestMeta } from "./session-meta.ts";
import type { VerifyReport } from "../audit/verify.ts";

/** The counts, plus the served certificate (issuer, expiry, renewal) for the dashboard. */
export type AdminServerStats = ServerStats & { certificate: CertificateStatus | null };

const userId = t.Object({ id: t.Numeric({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }) });

export function adminRoutes(services: Services) {
  const accounts = services.accounts;
  const db = services.store.read;
  // Presence belongs to the socket layer and may not exist in every build of the app.
  const presence = () => (services as { presence?: PresenceSource }).presence;

  return new Elysia({ prefix: "/api/admin" })
    .use(authContext(services))
    .get("/users", async ({ actor }): Promise<AdminUsersResponse> => {
      requireAdmin(actor);
      const online = presence()?.onlineUserIds?.();
      const onlineIds = online ? new Set(online) : null;
      const list = await users.list(db);
      // A disabled account has no session left: its last socket may still be closing, but it is not online.
      return { users: onlineIds ? list.map((user) => ({ ...user, online: !user.disabled && onlineIds.has(user.id) })) : list };
    })
    .patch(
      "/users/:id",
      async ({ actor, params, body, request, server }): Promise<UserResponse> => ({
        user: await updateUser(accounts, requireAdmin(actor), params.id, body, requestMeta(request, server)),
      }),
      { params: userId, body: t.Object({ isAdmin: t.Optional(t.Boolean()), disabled: t.Optional(t.Boolean()) }) },
    )
    .post(
      "/users/:id/reset-password",
      async ({ actor, params, request, server }): Promise<ResetPasswordResponse> =>
        resetPassword(accounts, requireAdmin(actor), params.id, requestMeta(request, server)),
      { params: userId },
    )
    .get("/settings", async ({ actor }): Promise<SettingsResponse> => {
      requireAdmin(actor);
      return { registrationMode: await settings.registrationMode(db), serverName: await serverProfile.name(db) };
    })
    .patch(
      "/settings",
      async ({ actor, body, request, server }): Promise<SettingsResponse> => {
        const admin = requireAdmin(actor);
        const meta = requestMeta(request, server);
        if (body.serverName !== undefined) await setServerName(accounts, admin, body.serverName, meta);
        if (body.registrationMode !== undefined) await setRegistrationMode(accounts, admin, body.registrationMode, meta);
        return { registrationMode: await settings.registrationMode(db), serverName: await serverProfile.name(db) };
      },
      {
        body: t.Object({
          registrationMode: t.Optional(t.Union([t.Literal("open"), t.Literal("invite"), t.Literal("closed")])),
          serverName: t.Optional(t.Nullable(t.String({ maxLength: MAX_SERVER_NAME_LENGTH * 4 }))),
        }),
      },
    )
    // The first administrator's welcome (accounts/setup.ts): done once, or skipped once.
    .post(
      "/setup",
      async ({ actor, body, request, server }): Promise<SetupResponse> => completeSetup(accounts, requireAdmin(actor), body, requestMeta(request, server)),
      {
        body: t.Object({
          serverName: t.Optional(t.Nullable(t.String({ maxLength: MAX_SERVER_NAME_LENGTH * 4 }))),
          registrationMode: t.Union([t.Literal("open"), t.Literal("invite"), t.Literal("closed")]),
          createGeneral: t.Boolean(),
          generalTopic: t.Optional(t.String({ maxLength: 500 })),
        }),
      },
    )
    .post("/setup/skip", async ({ actor, request, server }) => skipSetup(accounts, requireAdmin(actor), requestMeta(request, server)))
    .get("/invites", async ({ actor }): Promise<InvitesResponse> => {
      requireAdmin(actor);
      return { invites: await invites.list(db) };
    })
    .post(
      "/invites",
      async ({ actor, body, request, server, set }): Promise<CreatedInviteResponse> => {
        const created = await createInvite(accounts, requireAdmin(actor), body, requestMeta(request, server));
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
      async ({ actor, params, request, server }) => ({
        invite: await revokeInvite(accounts, requireAdmin(actor), params.id, requestMeta(request, server)),
      }),
      { params: t.Object({ id: t.String({ maxLength: 64 }) }) },
    )
    .get("/stats", async ({ actor }): Promise<AdminServerStats> => {
      requireAdmin(actor);
      return { ...(await serverStats(db, presence())), certificate: services.certificate?.status() ?? null };
    })
    .get(
      "/audit",
      async ({ actor, query }): Promise<AuditResponse> => {
        requireAdmin(actor);
        return { entries: await accounts.audit.list(query) };
      },
      {
        query: t.Object({
          before: t.Optional(t.Numeric({ minimum: 1 })),
          limit: t.Optional(t.Numeric({ minimum: 1, maximum: 500 })),
          event: t.Optional(t.String({ maxLength: 64 })),
          actorId: t.Optional(t.Numeric({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })),
          /** Milliseconds since the epoch, inclusive. */
          from: t.Optional(t.Numeric({ minimum: 0, maximum: 8.64e15 })),
          to: t.Optional(t.Numeric({ minimum: 0, maximum: 8.64e15 })),
        }),
      },
    )
    .get("/audit/events", async ({ actor }): Promise<{ events: string[] }> => {
      requireAdmin(actor);
      return { events: await accounts.audit.events() };
    })
    // The chain and checkpoints checked now, with this server's key (as `vaultroom audit verify`).
    .get("/audit/verify", async ({ actor }): Promise<VerifyReport> => {
      requireAdmin(actor);
      return services.audit.verify();
    });
}
