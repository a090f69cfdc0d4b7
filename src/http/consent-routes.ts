// Invitations and blocks over HTTP (issue 21 §4): my waiting invitations, accept, decline (and
// block), my block list, hiding a DM; in a room, those I invited who have not answered yet. Each answer changes state through a command that announces it
// to my other devices; each is priced from the per-user action bucket.
import { Elysia, t } from "elysia";
import type { Room, RoomRequest, UserRef } from "../protocol.ts";
import type { Services } from "../services.ts";
import { authContext, requireActor } from "./auth-context.ts";
import { throwIfRateLimited } from "../errors.ts";
import { IdParam, PositiveInteger } from "./room-routes.ts";

export function consentRoutes(services: Services) {
  const { requests, rooms } = services.chat;
  const acting = async <T extends { userId: number }>(actor: T): Promise<T> => {
    throwIfRateLimited(await services.chat.takeAction(actor.userId));
    return actor;
  };
  return new Elysia({ prefix: "/api" })
    .use(authContext(services))
    .get("/requests", async ({ actor }): Promise<{ requests: RoomRequest[] }> => ({ requests: await requests.list(requireActor(actor)) }))
    .post(
      "/requests/:id/accept",
      async ({ actor, params }): Promise<{ room: Room }> => ({ room: await requests.accept(await acting(requireActor(actor)), params.id) }),
      { params: IdParam },
    )
    .post(
      "/requests/:id/decline",
      async ({ actor, params, body }): Promise<{ roomId: number }> => requests.decline(await acting(requireActor(actor)), params.id, body?.block === true),
      { params: IdParam, body: t.Optional(t.Object({ block: t.Optional(t.Boolean()) })) },
    )
    .get("/blocks", async ({ actor }): Promise<{ users: UserRef[] }> => ({ users: await requests.blocked(requireActor(actor)) }))
    .put(
      "/blocks/:userId",
      async ({ actor, params }): Promise<{ user: UserRef }> => ({ user: await requests.block(await acting(requireActor(actor)), params.userId) }),
      { params: t.Object({ userId: PositiveInteger }) },
    )
    .delete(
      "/blocks/:userId",
      async ({ actor, params }): Promise<{ userId: number }> => requests.unblock(await acting(requireActor(actor)), params.userId),
      { params: t.Object({ userId: PositiveInteger }) },
    )
    .get(
      "/rooms/:id/requests",
      async ({ actor, params }): Promise<{ users: UserRef[] }> => ({ users: await requests.askedByMe(requireActor(actor), params.id) }),
      { params: IdParam },
    )
    .post(
      "/rooms/:id/hide",
      async ({ actor, params }): Promise<{ roomId: number }> => rooms.hide(await acting(requireActor(actor)), params.id),
      { params: IdParam },
    );
}
