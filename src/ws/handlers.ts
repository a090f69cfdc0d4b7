// One case per request type: validate, check the rates and the cost, call the domain, answer with
// `ack` or `error`. Nothing thrown here reaches the socket loop: every failure becomes an error event.
import type { Actor } from "../accounts/sessions.ts";
import { NUL_MESSAGE } from "../text/nul.ts";
import { AppError, describeError } from "../errors.ts";
import type { Logger } from "../log.ts";
import type { Metrics } from "../metrics/metrics.ts";
import type { Chat } from "../messages/chat.ts";
import type { ConnectionBuckets } from "../messages/chat-limits.ts";
import { historyCost, syncCost } from "../messages/message-reads.ts";
import {
  DEFAULT_HISTORY_LIMIT,
  type ClientRequest,
  type ErrorCode,
  type ErrorEvent,
  type PostedMessage,
  type Replies,
  type RequestType,
  type ServerEvent,
} from "../protocol.ts";
import type { ChatSocket, SocketIdentity } from "./broadcast.ts";
import { encode } from "./frames.ts";
import { describeInvalid, isRequestType, requestValidator } from "./schemas.ts";

/** What a handler needs from the connection it serves. */
export interface HandlerConnection extends SocketIdentity {
  readonly actor: Actor;
  readonly buckets: ConnectionBuckets;
  /**
   * The previous frame's admission (limits, then handing its work to the domain). Frames are admitted
   * in the order they arrived, so a `room.join` followed at once by a `message.post` into that room
   * reaches the write queue in that order; the work itself then runs concurrently.
   */
  admitted: Promise<void>;
  /** The tab reported itself visible (client.visibility); counted in chat.visibility while true. */
  visible: boolean;
}

type Socket = ChatSocket<HandlerConnection>;

// Reactions are writes as cheap and as frequent as messages: they share the message buckets (per
// connection and per user), so a reaction storm from one socket is refused like a message flood.
const WRITES = new Set<RequestType>(["message.post", "message.edit", "message.delete", "reaction.add", "reaction.remove"]);
// Membership changes and pins cost a durable commit each: they share the per-user action bucket with HTTP.
const ACTIONS = new Set<RequestType>(["room.join", "room.leave", "message.pin", "message.unpin"]);

export function send(ws: Socket, event: ServerEvent): void {
  ws.send(encode(event));
}

/** The read work a request may cost (message-reads.ts), charged to the user's budget before it runs. */
function costOf(request: ClientRequest): number {
  if (request.type === "sync") return syncCost(request.rooms.length);
  if (request.type === "history") return historyCost(request.limit ?? DEFAULT_HISTORY_LIMIT);
  return 0;
}

export function createHandlers(chat: Chat, logger: Logger, metrics: Metrics) {
  function fail(ws: Socket, requestId: string | undefined, code: ErrorCode, message: string, retryAfterMs?: number): void {
    const event: ErrorEvent = { type: "error", code, message };
    if (requestId !== undefined) event.requestId = requestId;
    if (retryAfterMs !== undefined) event.retryAfterMs = retryAfterMs;
    chat.hub.sendTo(ws, event);
  }

  function failWith(ws: Socket, requestId: string | undefined, error: unknown, type: string): void {
    if (error instanceof AppError) {
      fail(ws, requestId, error.code, error.message);
      return;
    }
    logger.error("ws_handler_failed", { type, error: describeError(error) });
    fail(ws, requestId, "internal_error", "Something went wrong on the server.");
  }

  /**
   * A post's ack: the id and time the sender lacks. The message reaches the sender's sockets as
   * `message.created` (~310 bytes it would otherwise get twice); only a duplicate's ack carries it,
   * since its `message.created` may have gone to a socket that is gone.
   */
  function postAck({ message, duplicate }: PostedMessage): Replies["message.post"] {
    const { id: messageId, createdAt } = message;
    return duplicate ? { messageId, createdAt, duplicate, message } : { messageId, createdAt, duplicate };
  }

  function ack<K extends RequestType>(ws: Socket, requestId: string | undefined, reply: Replies[K]): void {
    if (requestId !== undefined) chat.hub.sendTo(ws, { type: "ack", requestId, ...reply } as ServerEvent);
  }

  function later<K extends RequestType>(ws: Socket, requestId: string | undefined, type: K, work: Promise<Replies[K]>): void {
    work.then(
      (reply) => ack<K>(ws, requestId, reply),
      (error) => failWith(ws, requestId, error, type),
    );
  }

  function rateLimited(ws: Socket, requestId: string | undefined, seconds: number): void {
    fail(ws, requestId, "rate_limited", `Slow down: try again in ${seconds} s.`, seconds * 1000);
  }

  /** Seconds to wait before `request` may run (0: go), from the user's shared buckets. */
  async function sharedWait(conn: HandlerConnection, request: ClientRequest, now: number): Promise<number> {
    if (WRITES.has(request.type)) {
      const local = conn.buckets.messages.take(now);
      if (local > 0) metrics.refusals.inc({ bucket: "connection.messages" });
      return Math.max(local, await chat.takeUserMessage(conn.userId));
    }
    if (ACTIONS.has(request.type)) return chat.takeAction(conn.userId);
    const cost = costOf(request);
    return cost > 0 ? chat.takeCost(conn.userId, cost) : 0;
  }

  /** Handles one parsed frame from `ws`; `hasNul`: its text held a U+0000 (text/nul.ts), refused. */
  return function handle(ws: Socket, frame: unknown, hasNul = false): void {
    if (typeof frame !== "object" || frame === null || Array.isArray(frame) || typeof (frame as { type?: unknown }).type !== "string") {
      fail(ws, undefined, "invalid_request", "A frame must be a JSON object with a string `type`.");
      return;
    }
    const rawId = (frame as { requestId?: unknown }).requestId;
    const requestId = typeof rawId === "string" && rawId.length > 0 && rawId.length <= 64 ? rawId : undefined;
    const type = (frame as { type: string }).type;
    if (!isRequestType(type)) {
      fail(ws, requestId, "unknown_type", `There is no request type "${type.slice(0, 40)}".`);
      return;
    }
    const conn = ws.data;
    const now = Date.now();
    const frameWait = conn.buckets.frames.take(now);
    if (frameWait > 0) {
      metrics.refusals.inc({ bucket: "connection.frames" });
      return rateLimited(ws, requestId, frameWait);
    }
    if (hasNul) {
      fail(ws, requestId, "invalid_request", NUL_MESSAGE);
      return;
    }
    if (!requestValidator(type).Check(frame)) {
      fail(ws, requestId, "invalid_request", describeInvalid(type, frame));
      return;
    }
    const request = frame as ClientRequest;
    conn.admitted = conn.admitted
      .then(() => sharedWait(conn, request, now))
      .then((wait) => {
        if (wait > 0) return rateLimited(ws, requestId, wait);
        // The actor as it is now (a recheck may have replaced it while the limiter answered).
        dispatch(ws, conn.actor, requestId, request);
      })
      .catch((error) => failWith(ws, requestId, error, type));
  };

  /** Hands the request to the domain; answers arrive when its work settles. Never waits for it. */
  function dispatch(ws: Socket, actor: Actor, requestId: string | undefined, request: ClientRequest): void {
    switch (request.type) {
      case "message.post": {
        // Only these fields are read: the author comes from the session, id and time from the server.
        const input = {
          roomId: request.roomId,
          clientId: request.clientId.toLowerCase(),
          body: request.body,
          uploads: request.attachments,
          ...(request.threadRootId !== undefined ? { threadRootId: request.threadRootId, alsoToRoom: request.alsoToRoom === true } : {}),
          ...(request.quoteId !== undefined ? { quoteId: request.quoteId } : {}),
        };
        // Acked from the commit callback: in the same corked write as the batch's other frames.
        chat.messages
          .post(actor, input, (reply) => ack<"message.post">(ws, requestId, postAck(reply)))
          .catch((error) => failWith(ws, requestId, error, "message.post"));
        return;
      }
      case "message.edit":
        return later(ws, requestId, request.type, chat.messages.edit(actor, request.messageId, request.body));
      case "message.delete":
        return later(ws, requestId, request.type, chat.messages.delete(actor, request.messageId));
      case "room.join":
        return later(ws, requestId, request.type, chat.rooms.join(actor, request.roomId).then((room) => ({ room })));
      case "room.leave":
        return later(ws, requestId, request.type, chat.rooms.leave(actor, request.roomId));
      case "typing.start":
        return later(
          ws,
          requestId,
          request.type,
          chat.rooms.member(actor, request.roomId).then(() => {
            chat.typing.start(request.roomId, { id: actor.userId, username: actor.username, displayName: actor.displayName });
            return {};
          }),
        );
      case "read.mark":
        return later(ws, requestId, request.type, chat.messages.markRead(actor, request.roomId, request.messageId));
      case "sync":
        return later(ws, requestId, request.type, chat.messages.sync(actor, request.rooms, request.since));
      case "history": {
        const { roomId, before, after, around, threadRootId, limit } = request;
        const cursor = { before, after, around, threadRootId };
        return later(ws, requestId, request.type, chat.messages.history(actor, roomId, { ...definedOnly(cursor), limit: limit ?? DEFAULT_HISTORY_LIMIT }));
      }
      case "ping":
        return ack<"ping">(ws, requestId, {});
      case "reaction.add":
      case "reaction.remove":
        return later(ws, requestId, request.type, chat.messages.react(actor, request.messageId, request.emoji, request.type === "reaction.add"));
      case "message.pin":
      case "message.unpin":
        return later(ws, requestId, request.type, chat.messages.pin(actor, request.messageId, request.type === "message.pin"));
      case "thread.read":
        return later(ws, requestId, request.type, chat.messages.readThread(actor, request.threadRootId, request.messageId));
      case "client.visibility": {
        const conn = ws.data;
        if (conn.visible !== request.visible) {
          conn.visible = request.visible;
          chat.visibility.change(conn.userId, request.visible ? 1 : -1);
        }
        return ack<"client.visibility">(ws, requestId, {});
      }
    }
  }
}

export type Handle = ReturnType<typeof createHandlers>;

/** The fields that are set: a schema's optional field may arrive as absent, never as undefined in storage. */
function definedOnly<T extends Record<string, number | undefined>>(fields: T): { [K in keyof T]?: number } {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as { [K in keyof T]?: number };
}
