// An administrator's view of one person's rooms and their removal in bulk (issue 21 §4): the fix for
// someone whose room list was flooded, with no way out on their own.
import { Elysia, t } from "elysia";
import { MAX_BULK_ROOMS, type UserRoom } from "../rooms/admin-rooms.ts";
import type { Services } from "../services.ts";
import { Id } from "../ws/schemas.ts";
import { authContext, requireAdmin } from "./auth-context.ts";
import { PositiveInteger } from "./room-routes.ts";
import { requestMeta } from "./session-meta.ts";

const UserParam = t.Object({ id: PositiveInteger });

export function adminRoomRoutes(services: Services) {
  const { adminRooms } = services.chat;
  return new Elysia({ prefix: "/api/admin/users" })
    .use(authContext(services))
    .get(
      "/:id/rooms",
      async ({ actor, params }): Promise<{ rooms: UserRoom[] }> => {
        requireAdmin(actor);
        return { rooms: await adminRooms.list(params.id) };
      },
      { params: UserParam },
    )
    .post(
      "/:id/rooms/remove",
      async ({ actor, params, body, request, server }): Promise<{ removed: number; withdrawn: number }> => {
        const admin = requireAdmin(actor);
        return adminRooms.remove({ userId: admin.userId, ip: requestMeta(request, server).ip }, params.id, body.roomIds);
      },
      { params: UserParam, body: t.Object({ roomIds: t.Array(Id, { minItems: 1, maxItems: MAX_BULK_ROOMS }) }) },
    );
}
