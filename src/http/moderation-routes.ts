// Moderation and retention over HTTP. Members: report a message, read a room's retention. Room
// owners (and admins): ban and unban, list bans, set the room's retention and disappearing messages.
// Admins: the reports queue and its resolution, the server-wide retention. Everything is audited
// by the domain (src/moderation/, src/retention/).
import { Elysia, t } from "elysia";
import type { RoomBan } from "../moderation/bans.ts";
import { MAX_BAN_REASON, MAX_REPORT_REASON } from "../moderation/moderation.ts";
import type { MessageReport } from "../moderation/reports.ts";
import {
  MAX_DISAPPEAR_HOURS,
  MAX_RETENTION_DAYS,
  roomRetention,
  serverRetention,
  setRoomRetention,
  setServerRetention,
  type RoomRetention,
  type ServerRetention,
} from "../retention/policy.ts";
import type { Services } from "../services.ts";
import { throwIfRateLimited } from "../errors.ts";
import { authContext, requireActor, requireAdmin } from "./auth-context.ts";
import { IdParam, PositiveInteger } from "./room-routes.ts";
import { requestMeta } from "./session-meta.ts";

const Days = t.Union([t.Integer({ minimum: 1, maximum: MAX_RETENTION_DAYS }), t.Null()]);
const Hours = t.Union([t.Integer({ minimum: 1, maximum: MAX_DISAPPEAR_HOURS }), t.Null()]);

export function moderationRoutes(services: Services) {
  const { moderation, chat, store } = services;
  const acting = async <T extends { userId: number }>(actor: T): Promise<T> => {
    throwIfRateLimited(await chat.takeAction(actor.userId));
    return actor;
  };
  return new Elysia()
    .use(authContext(services))
    .post(
      "/api/messages/:id/report",
      async ({ actor, params, body, set }): Promise<{ reported: true; messageId: number }> => {
        const reply = await moderation.report(await acting(requireActor(actor)), params.id, body.reason);
        set.status = 201;
        return reply;
      },
      { params: IdParam, body: t.Object({ reason: t.String({ maxLength: MAX_REPORT_REASON * 2 }) }) },
    )
    .get(
      "/api/rooms/:id/bans",
      async ({ actor, params }): Promise<{ bans: RoomBan[] }> => ({ bans: await moderation.bans(requireActor(actor), params.id) }),
      { params: IdParam },
    )
    .post(
      "/api/rooms/:id/bans",
      async ({ actor, params, body, set }): Promise<{ roomId: number; userId: number }> => {
        const reply = await moderation.ban(await acting(requireActor(actor)), params.id, body.userId, body.reason ?? "");
        set.status = 201;
        return reply;
      },
      { params: IdParam, body: t.Object({ userId: PositiveInteger, reason: t.Optional(t.String({ maxLength: MAX_BAN_REASON * 2 })) }) },
    )
    .delete(
      "/api/rooms/:id/bans/:userId",
      async ({ actor, params }): Promise<{ roomId: number; userId: number }> => moderation.unban(await acting(requireActor(actor)), params.id, params.userId),
      { params: t.Object({ id: PositiveInteger, userId: PositiveInteger }) },
    )
    .get(
      "/api/rooms/:id/retention",
      async ({ actor, params }): Promise<RoomRetention> => {
        await chat.rooms.member(requireActor(actor), params.id);
        return roomRetention(store.read, params.id);
      },
      { params: IdParam },
    )
    .put(
      "/api/rooms/:id/retention",
      async ({ actor, params, body }): Promise<RoomRetention> => {
        const me = await acting(requireActor(actor));
        const saved = await store.write(setRoomRetention, {
          actor: { userId: me.userId, isAdmin: me.isAdmin },
          roomId: params.id,
          retentionDays: body.retentionDays,
          disappearHours: body.disappearHours,
          now: Date.now(),
        });
        // A new limit applies now, not at the next minute's pass.
        services.retention.soon();
        return saved;
      },
      { params: IdParam, body: t.Object({ retentionDays: Days, disappearHours: Hours }) },
    )
    .get(
      "/api/admin/reports",
      async ({ actor, query }): Promise<{ reports: MessageReport[]; open: number }> => {
        requireAdmin(actor);
        return { reports: await moderation.reports(query.status ?? "open", query.before, query.limit ?? 20), open: await moderation.openReports() };
      },
      {
        query: t.Object({
          status: t.Optional(t.Union([t.Literal("open"), t.Literal("resolved")])),
          before: t.Optional(PositiveInteger),
          limit: t.Optional(t.Integer({ minimum: 1, maximum: 100 })),
        }),
      },
    )
    .post(
      "/api/admin/reports/:id/resolve",
      async ({ actor, params, body }) => moderation.resolve(requireAdmin(actor), params.id, body.action),
      { params: IdParam, body: t.Object({ action: t.Union([t.Literal("dismissed"), t.Literal("deleted")]) }) },
    )
    .get("/api/admin/retention", async ({ actor }): Promise<ServerRetention> => {
      requireAdmin(actor);
      return serverRetention(store.read);
    })
    .put(
      "/api/admin/retention",
      async ({ actor, body, request, server }): Promise<ServerRetention> => {
        const admin = requireAdmin(actor);
        const saved = await store.write(setServerRetention, { adminId: admin.userId, ip: requestMeta(request, server).ip, value: body, now: Date.now() });
        services.retention.soon();
        return saved;
      },
      { body: t.Object({ messageDays: Days, fileDays: Days }) },
    );
}
