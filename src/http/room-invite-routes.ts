// An invite link into a room, for someone who has no account yet (issue 19, "Add people").
import { Elysia, t } from "elysia";
import { INVITE_MAX_HOURS, INVITE_MAX_USES } from "../accounts/invites.ts";
import type { CreatedInviteResponse } from "../accounts/types.ts";
import { createRoomInvites } from "../rooms/room-invites.ts";
import type { Services } from "../services.ts";
import { throwIfRateLimited } from "../errors.ts";
import { authContext, requireActor } from "./auth-context.ts";
import { IdParam } from "./room-routes.ts";
import { requestMeta } from "./session-meta.ts";

export function roomInviteRoutes(services: Services) {
  const roomInvites = createRoomInvites({ store: services.store });
  return new Elysia({ prefix: "/api/rooms" }).use(authContext(services)).post(
    "/:id/invites",
    async ({ actor, params, body, request, server, set }): Promise<CreatedInviteResponse> => {
      const me = requireActor(actor);
      // Priced like adding a person: each link is a way for someone new into the room.
      throwIfRateLimited(await services.chat.takeRoomChange(me.userId));
      const created = await roomInvites.create(me, requestMeta(request, server).ip, params.id, body ?? {});
      set.status = 201;
      return created;
    },
    {
      params: IdParam,
      body: t.Optional(
        t.Object({
          expiresInHours: t.Optional(t.Integer({ minimum: 1, maximum: INVITE_MAX_HOURS })),
          maxUses: t.Optional(t.Integer({ minimum: 1, maximum: INVITE_MAX_USES })),
        }),
      ),
    },
  );
}
