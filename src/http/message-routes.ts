// Messages over HTTP: history pages, posting (for clients without a socket), editing, deleting and
// read marks. Writes go through the same write queue, limits and broadcasts as the socket.
import { Elysia, t } from "elysia";
import { DEFAULT_HISTORY_LIMIT, MAX_HISTORY_LIMIT, type AroundReply, type ReadState, type Replies } from "../protocol.ts";
import type { Services } from "../services.ts";
import { Caption, ClientId, Cursor, UploadIds } from "../ws/schemas.ts";
import { authContext, requireActor } from "./auth-context.ts";
import { throwIfRateLimited } from "../errors.ts";
import { IdParam, PositiveInteger } from "./room-routes.ts";
import { historyCost } from "../messages/message-reads.ts";
import { messagesAround } from "../messages/message-around.ts";

export function messageRoutes(services: Services) {
  const chat = services.chat;
  const { messages } = chat;
  const limit = async (userId: number) => {
    throwIfRateLimited(await chat.takeUserMessage(userId));
  };
  return new Elysia()
    .use(authContext(services))
    .get(
      "/api/rooms/:id/messages",
      async ({ actor, params, query }): Promise<Replies["history"] | AroundReply> => {
        const me = requireActor(actor);
        const limit = query.limit ?? DEFAULT_HISTORY_LIMIT;
        // Read work is priced against the same per-user budget as the socket's history and sync.
        throwIfRateLimited(await chat.takeCost(me.userId, historyCost(limit)));
        // ?around=<messageId>: the message in its context (messages/message-around.ts).
        if (query.around !== undefined) return messagesAround(services.store.read, me, params.id, query.around, limit);
        return messages.history(me, params.id, query.before, limit);
      },
      {
        params: IdParam,
        query: t.Object({
          before: t.Optional(PositiveInteger),
          around: t.Optional(PositiveInteger),
          limit: t.Optional(t.Integer({ minimum: 1, maximum: MAX_HISTORY_LIMIT })),
        }),
      },
    )
    .post(
      "/api/rooms/:id/messages",
      async ({ actor, params, body, set }): Promise<Replies["message.post"]> => {
        const me = requireActor(actor);
        await limit(me.userId);
        const reply = await messages.post(me, { roomId: params.id, clientId: body.clientId.toLowerCase(), body: body.body, uploads: body.attachments });
        set.status = reply.duplicate ? 200 : 201;
        return reply;
      },
      { params: IdParam, body: t.Object({ clientId: ClientId, body: Caption, attachments: t.Optional(UploadIds) }) },
    )
    .post(
      "/api/rooms/:id/read",
      async ({ actor, params, body }): Promise<ReadState> => {
        const me = requireActor(actor);
        // The socket's read marks are bounded by its frame bucket; over HTTP each one is a durable commit.
        throwIfRateLimited(await chat.takeAction(me.userId));
        return messages.markRead(me, params.id, body.messageId);
      },
      { params: IdParam, body: t.Object({ messageId: Cursor }) },
    )
    .patch(
      "/api/messages/:id",
      async ({ actor, params, body }): Promise<Replies["message.edit"]> => {
        const me = requireActor(actor);
        await limit(me.userId);
        return messages.edit(me, params.id, body.body);
      },
      { params: IdParam, body: t.Object({ body: Caption }) },
    )
    .delete(
      "/api/messages/:id",
      async ({ actor, params }): Promise<Replies["message.delete"]> => {
        const me = requireActor(actor);
        await limit(me.userId);
        return messages.delete(me, params.id);
      },
      { params: IdParam },
    );
}
