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
  type UserRef,
} from "../protocol.ts";
import type { Services } from "../services.ts";
import { Id } from "../ws/schemas.ts";
import { authContext, requireActor } from "./auth-context.ts";
import { throwIfRateLimited } from "../errors.ts";

// Path and query parameters arrive as text; t.Integer converts them.
export const PositiveInteger = t.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER });
export const IdParam = t.Object({ id: PositiveInteger });
const UserIdList = t.Array(Id, { maxItems: 100 });

export function roomRoutes(services: Services) {
  const { rooms } = services.chat;
  const limited = async <T extends { userId: number }>(actor: T): Promise<T> => {
    throwIfRateLimited(await services.chat.takeRoomChange(actor.userId));
    return actor;
  };
  // Join, leave, room changes and member removal each cost a durable commit: one general bucket per user.
  const acting = async <T extends { userId: number }>(actor: T): Promise<T> => {
    throwIfRateLimited(await services.chat.takeAction(actor.userId));
    return actor;
  };
  return new Elysia({ prefix: "/api/rooms" })
    .use(authContext(services))
    .get("/", async ({ actor }): Promise<{ rooms: Room[] }> => ({ rooms: await rooms.list(requireActor(actor)) }))
    .get(
      "/public",
      ({ actor, query }): Promise<PublicRoomPage> =>
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
      // `requested`: invitees who were sent a request to accept instead of being added (consent.ts).
      async ({ actor, body, set }): Promise<{ room: Room; requested: number[] }> => {
        const created = await rooms.create(await limited(requireActor(actor)), body);
        set.status = 201;
        return created;
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
    .get("/:id", async ({ actor, params }): Promise<{ room: Room }> => ({ room: await rooms.get(requireActor(actor), params.id) }), { params: IdParam })
    .patch(
      "/:id",
      async ({ actor, params, body }): Promise<{ room: RoomInfo }> => ({ room: await rooms.update(await acting(requireActor(actor)), params.id, body) }),
      {
        params: IdParam,
        body: t.Object({
          name: t.Optional(t.String({ maxLength: MAX_ROOM_NAME_LENGTH * 2 })),
          topic: t.Optional(t.String({ maxLength: MAX_ROOM_TOPIC_LENGTH * 2 })),
          archived: t.Optional(t.Boolean()),
          pinPolicy: t.Optional(t.Union([t.Literal("members"), t.Literal("owners")])),
        }),
      },
    )
    .post("/:id/join", async ({ actor, params }): Promise<{ room: Room }> => ({ room: await rooms.join(await acting(requireActor(actor)), params.id) }), {
      params: IdParam,
    })
    .post("/:id/leave", async ({ actor, params }): Promise<{ roomId: number }> => rooms.leave(await acting(requireActor(actor)), params.id), {
      params: IdParam,
    })
    .get("/:id/members", async ({ actor, params }): Promise<{ members: Member[] }> => ({ members: await rooms.members(requireActor(actor), params.id) }), {
      params: IdParam,
    })
    .post(
      "/:id/members",
      // 201 { member }: added. 202 { requested }: they have never talked to the inviter, so they were
      // sent a request to accept (consent.ts); they are not a member until they do.
      async ({ actor, params, body, set }): Promise<{ member: Member } | { requested: UserRef }> => {
        const done = await rooms.invite(await limited(requireActor(actor)), params.id, body.userId);
        if (done.member) {
          set.status = 201;
          return { member: done.member };
        }
        set.status = 202;
        return { requested: done.requested! };
      },
      { params: IdParam, body: t.Object({ userId: Id }) },
    )
    .delete(
      "/:id/members/:userId",
      async ({ actor, params }): Promise<{ roomId: number; userId: number }> => rooms.remove(await acting(requireActor(actor)), params.id, params.userId),
      {
        params: t.Object({ id: PositiveInteger, userId: PositiveInteger }),
      },
    );
}
