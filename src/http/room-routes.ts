// Rooms over HTTP: list, browse, create, read, change, join, leave, members. The same domain calls
// (and the same broadcasts) as the socket.
import { Elysia, t } from "elysia";
import {
  DEFAULT_PUBLIC_ROOMS_LIMIT,
  MAX_PUBLIC_ROOMS_LIMIT,
  MAX_ROOM_NAME_LENGTH,
  MAX_ROOM_TOPIC_LENGTH,
  type Member,
  type PublicRoomPage,
  type Room,
  type RoomInfo,
} from "../protocol.ts";
import type { Services } from "../services.ts";
import { Id } from "../ws/schemas.ts";
import { authContext, requireActor } from "./auth-context.ts";
import { throwIfRateLimited } from "./errors.ts";

// Path and query parameters arrive as text; t.Integer converts them.
export const PositiveInteger = t.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER });
export const IdParam = t.Object({ id: PositiveInteger });
const UserIdList = t.Array(Id, { maxItems: 100 });

export function roomRoutes(services: Services) {
  const { rooms } = services.chat;
  const limited = <T extends { userId: number }>(actor: T): T => {
    throwIfRateLimited(services.chat.takeRoomChange(actor.userId));
    return actor;
  };
  // Join, leave, room changes and member removal each cost a durable commit: one general bucket per user.
  const acting = <T extends { userId: number }>(actor: T): T => {
    throwIfRateLimited(services.chat.takeAction(actor.userId));
    return actor;
  };
  return new Elysia({ prefix: "/api/rooms" })
    .use(authContext(services))
    .get("/", ({ actor }): { rooms: Room[] } => ({ rooms: rooms.list(requireActor(actor)) }))
    .get(
      "/public",
      ({ actor, query }): PublicRoomPage =>
        rooms.browse(requireActor(actor), { after: query.after, limit: query.limit ?? DEFAULT_PUBLIC_ROOMS_LIMIT, query: query.query }),
      {
        query: t.Object({
          after: t.Optional(PositiveInteger),
          limit: t.Optional(t.Integer({ minimum: 1, maximum: MAX_PUBLIC_ROOMS_LIMIT })),
          // Longer than a room name can be would never match.
          query: t.Optional(t.String({ maxLength: MAX_ROOM_NAME_LENGTH })),
        }),
      },
    )
    .post(
      "/",
      ({ actor, body, set }): { room: Room } => {
        const room = rooms.create(limited(requireActor(actor)), body);
        set.status = 201;
        return { room };
      },
      {
        body: t.Object({
          kind: t.Union([t.Literal("public"), t.Literal("private")]),
          name: t.String({ maxLength: MAX_ROOM_NAME_LENGTH * 2 }),
          topic: t.Optional(t.String({ maxLength: MAX_ROOM_TOPIC_LENGTH * 2 })),
          members: t.Optional(UserIdList),
        }),
      },
    )
    .get("/:id", ({ actor, params }): { room: Room } => ({ room: rooms.get(requireActor(actor), params.id) }), { params: IdParam })
    .patch(
      "/:id",
      ({ actor, params, body }): { room: RoomInfo } => ({ room: rooms.update(acting(requireActor(actor)), params.id, body) }),
      {
        params: IdParam,
        body: t.Object({
          name: t.Optional(t.String({ maxLength: MAX_ROOM_NAME_LENGTH * 2 })),
          topic: t.Optional(t.String({ maxLength: MAX_ROOM_TOPIC_LENGTH * 2 })),
          archived: t.Optional(t.Boolean()),
        }),
      },
    )
    .post("/:id/join", ({ actor, params }): { room: Room } => ({ room: rooms.join(acting(requireActor(actor)), params.id) }), { params: IdParam })
    .post("/:id/leave", ({ actor, params }): { roomId: number } => rooms.leave(acting(requireActor(actor)), params.id), { params: IdParam })
    .get("/:id/members", ({ actor, params }): { members: Member[] } => ({ members: rooms.members(requireActor(actor), params.id) }), {
      params: IdParam,
    })
    .post(
      "/:id/members",
      ({ actor, params, body, set }): { member: Member } => {
        const member = rooms.invite(limited(requireActor(actor)), params.id, body.userId);
        set.status = 201;
        return { member };
      },
      { params: IdParam, body: t.Object({ userId: Id }) },
    )
    .delete(
      "/:id/members/:userId",
      ({ actor, params }): { roomId: number; userId: number } => rooms.remove(acting(requireActor(actor)), params.id, params.userId),
      {
        params: t.Object({ id: PositiveInteger, userId: PositiveInteger }),
      },
    );
}
