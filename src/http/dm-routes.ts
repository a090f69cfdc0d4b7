// Opening a direct conversation: the same one every time for the same people.
import { Elysia, t } from "elysia";
import { MAX_DM_PARTICIPANTS, type Room } from "../protocol.ts";
import type { Services } from "../services.ts";
import { Id } from "../ws/schemas.ts";
import { authContext, requireActor } from "./auth-context.ts";
import { throwIfRateLimited } from "../errors.ts";

export function dmRoutes(services: Services) {
  const { dms } = services.chat;
  return new Elysia().use(authContext(services)).post(
    "/api/dms",
    async ({ actor, body, set }): Promise<{ room: Room; created: boolean }> => {
      const me = requireActor(actor);
      throwIfRateLimited(await services.chat.takeRoomChange(me.userId));
      const opened = await dms.open(me, body.userIds);
      set.status = opened.created ? 201 : 200;
      return opened;
    },
    {
      body: t.Object({
        userIds: t.Array(Id, { minItems: 1, maxItems: MAX_DM_PARTICIPANTS }),
      }),
    },
  );
}
