// Notifications over HTTP (issue 12): my settings, a room's level and mute, the Mentions view, and
// Web Push — the server's VAPID public key, this browser's subscription, my devices, a test push.
import { Elysia, t } from "elysia";
import { FOREVER, MENTIONS_PAGE, type Message, type NotificationSettings, type RoomNotify } from "../protocol.ts";
import type { Services } from "../services.ts";
import type { PushDevice } from "../push/subscriptions.ts";
import { MAX_ENDPOINT_LENGTH } from "../push/endpoint-guard.ts";
import { authContext, requireActor } from "./auth-context.ts";
import { throwIfRateLimited } from "../errors.ts";
import { IdParam, PositiveInteger } from "./room-routes.ts";

const Level = t.Union([t.Literal("all"), t.Literal("mentions"), t.Literal("nothing")]);
const Time = t.Number({ multipleOf: 1, minimum: 0, maximum: FOREVER });

export function notificationRoutes(services: Services) {
  const { notifications, push, chat } = services;
  const acting = async <T extends { userId: number }>(actor: T): Promise<T> => {
    throwIfRateLimited(await chat.takeAction(actor.userId));
    return actor;
  };
  return new Elysia()
    .use(authContext(services))
    .get(
      "/api/notifications",
      async ({ actor }): Promise<{ settings: NotificationSettings; vapidPublicKey: string }> => ({
        settings: await notifications.settings(requireActor(actor)),
        vapidPublicKey: push.vapidPublicKey,
      }),
    )
    .patch(
      "/api/notifications",
      async ({ actor, body }): Promise<{ settings: NotificationSettings }> => ({
        settings: await notifications.updateSettings(await acting(requireActor(actor)), body),
      }),
      {
        body: t.Object({
          defaultLevel: t.Optional(Level),
          dndUntil: t.Optional(t.Nullable(Time)),
          soundRooms: t.Optional(t.Boolean()),
          soundDms: t.Optional(t.Boolean()),
          previews: t.Optional(t.Boolean()),
        }),
      },
    )
    .put(
      "/api/rooms/:id/notify",
      async ({ actor, params, body }): Promise<{ notify: RoomNotify }> => ({
        notify: await notifications.setRoom(await acting(requireActor(actor)), params.id, body),
      }),
      { params: IdParam, body: t.Object({ level: t.Nullable(Level), mutedUntil: t.Nullable(Time) }) },
    )
    .get(
      "/api/mentions",
      async ({ actor, query }): Promise<{ messages: Message[]; hasMore: boolean }> => {
        const me = requireActor(actor);
        const limit = query.limit ?? MENTIONS_PAGE;
        // Read work, priced like a history page against the same per-user budget.
        throwIfRateLimited(await chat.takeCost(me.userId, 1 + limit));
        return notifications.mentions(me, query.before, limit);
      },
      { query: t.Object({ before: t.Optional(PositiveInteger), limit: t.Optional(t.Integer({ minimum: 1, maximum: MENTIONS_PAGE })) }) },
    )
    .get("/api/push/devices", async ({ actor }): Promise<{ devices: PushDevice[] }> => ({ devices: await push.devices(requireActor(actor)) }))
    .put(
      "/api/push/subscription",
      async ({ actor, body, request, set }) => {
        const me = await acting(requireActor(actor));
        await push.subscribe(me, body, request.headers.get("user-agent") ?? "");
        set.status = 204;
      },
      {
        body: t.Object({
          endpoint: t.String({ minLength: 1, maxLength: MAX_ENDPOINT_LENGTH }),
          keys: t.Object({ p256dh: t.String({ maxLength: 128 }), auth: t.String({ maxLength: 64 }) }),
        }),
      },
    )
    .delete("/api/push/subscription", async ({ actor, set }) => {
      await push.removeCurrent(await acting(requireActor(actor)));
      set.status = 204;
    })
    .delete(
      "/api/push/devices/:id",
      async ({ actor, params, set }) => {
        await push.remove(await acting(requireActor(actor)), params.id);
        set.status = 204;
      },
      { params: IdParam },
    )
    .post("/api/push/test", async ({ actor }): Promise<{ devices: number }> => push.test(await acting(requireActor(actor))));
}
