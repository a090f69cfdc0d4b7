// Messages over HTTP: history pages, posting (for clients without a socket), editing, deleting and
// read marks. Writes go through the same write queue, limits and broadcasts as the socket.
import { Elysia, t } from "elysia";
import { DEFAULT_HISTORY_LIMIT, MAX_HISTORY_LIMIT, type FollowedThread, type Message, type PostedMessage, type ReadState, type Replies } from "../protocol.ts";
import type { Services } from "../services.ts";
import { Caption, Cursor, Emoji, NewMessageFields } from "../ws/schemas.ts";
import { authContext, requireActor } from "./auth-context.ts";
import { throwIfRateLimited } from "../errors.ts";
import { IdParam, PositiveInteger } from "./room-routes.ts";
import { historyCost, PINS_COST, THREADS_COST } from "../messages/message-reads.ts";

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
      async ({ actor, params, query }): Promise<Replies["history"]> => {
        const me = requireActor(actor);
        const limit = query.limit ?? DEFAULT_HISTORY_LIMIT;
        // Read work is priced against the same per-user budget as the socket's history and sync.
        throwIfRateLimited(await chat.takeCost(me.userId, historyCost(limit)));
        const cursor = { before: query.before, after: query.after, around: query.around, threadRootId: query.thread };
        return messages.history(me, params.id, { ...Object.fromEntries(Object.entries(cursor).filter(([, v]) => v !== undefined)), limit });
      },
      {
        params: IdParam,
        query: t.Object({
          before: t.Optional(PositiveInteger),
          after: t.Optional(t.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER })),
          /** A permalink: the page around this message (its root's, for a reply shown only in its thread). */
          around: t.Optional(PositiveInteger),
          /** A thread's replies instead of the room's timeline. */
          thread: t.Optional(PositiveInteger),
          limit: t.Optional(t.Integer({ minimum: 1, maximum: MAX_HISTORY_LIMIT })),
        }),
      },
    )
    .get(
      "/api/rooms/:id/pins",
      async ({ actor, params }): Promise<{ pins: Message[] }> => {
        const me = requireActor(actor);
        throwIfRateLimited(await chat.takeCost(me.userId, PINS_COST));
        return { pins: await messages.pins(me, params.id) };
      },
      { params: IdParam },
    )
    .post(
      "/api/rooms/:id/messages",
      async ({ actor, params, body, set }): Promise<PostedMessage> => {
        const me = requireActor(actor);
        await limit(me.userId);
        const reply = await messages.post(me, {
          roomId: params.id,
          clientId: body.clientId.toLowerCase(),
          body: body.body,
          uploads: body.attachments,
          ...(body.threadRootId !== undefined ? { threadRootId: body.threadRootId, alsoToRoom: body.alsoToRoom === true } : {}),
          ...(body.quoteId !== undefined ? { quoteId: body.quoteId } : {}),
        });
        set.status = reply.duplicate ? 200 : 201;
        return reply;
      },
      {
        params: IdParam,
        body: t.Object(NewMessageFields),
      },
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
    )
    // Reactions: the emoji is a path segment (percent-encoded UTF-8), so adding is idempotent (PUT).
    .put(
      "/api/messages/:id/reactions/:emoji",
      async ({ actor, params }): Promise<Replies["reaction.add"]> => {
        const me = requireActor(actor);
        await limit(me.userId);
        return messages.react(me, params.id, params.emoji, true);
      },
      { params: t.Object({ id: PositiveInteger, emoji: Emoji }) },
    )
    .delete(
      "/api/messages/:id/reactions/:emoji",
      async ({ actor, params }): Promise<Replies["reaction.remove"]> => {
        const me = requireActor(actor);
        await limit(me.userId);
        return messages.react(me, params.id, params.emoji, false);
      },
      { params: t.Object({ id: PositiveInteger, emoji: Emoji }) },
    )
    .put(
      "/api/messages/:id/pin",
      async ({ actor, params }): Promise<Replies["message.pin"]> => {
        const me = requireActor(actor);
        throwIfRateLimited(await chat.takeAction(me.userId));
        return messages.pin(me, params.id, true);
      },
      { params: IdParam },
    )
    .delete(
      "/api/messages/:id/pin",
      async ({ actor, params }): Promise<Replies["message.unpin"]> => {
        const me = requireActor(actor);
        throwIfRateLimited(await chat.takeAction(me.userId));
        return messages.pin(me, params.id, false);
      },
      { params: IdParam },
    )
    .get(
      "/api/threads",
      async ({ actor, query }): Promise<{ threads: FollowedThread[] }> => {
        const me = requireActor(actor);
        throwIfRateLimited(await chat.takeCost(me.userId, THREADS_COST));
        return { threads: await messages.threads(me, query.before) };
      },
      { query: t.Object({ before: t.Optional(PositiveInteger) }) },
    )
    .post(
      "/api/threads/:id/read",
      async ({ actor, params, body }): Promise<Replies["thread.read"]> => {
        const me = requireActor(actor);
        throwIfRateLimited(await chat.takeAction(me.userId));
        return messages.readThread(me, params.id, body.messageId);
      },
      { params: IdParam, body: t.Object({ messageId: t.Optional(Cursor) }) },
    );
}
