// One case per request type: validate, check the rate, call the domain, answer with `ack` or
// `error`. Nothing thrown here reaches the socket loop: every failure becomes an error event.
import type { Actor } from "../accounts/sessions.ts";
import { AppError } from "../http/errors.ts";
import type { Logger } from "../log.ts";
import type { Chat } from "../messages/chat.ts";
import type { ConnectionBuckets } from "../messages/chat-limits.ts";
import { DEFAULT_HISTORY_LIMIT, type ClientRequest, type ErrorCode, type ErrorEvent, type Replies, type RequestType, type ServerEvent } from "../protocol.ts";
import type { ChatSocket, SocketIdentity } from "./broadcast.ts";
import { describeInvalid, isRequestType, requestValidators } from "./schemas.ts";

/** What a handler needs from the connection it serves. */
export interface HandlerConnection extends SocketIdentity {
  readonly actor: Actor;
  readonly buckets: ConnectionBuckets;
}

type Socket = ChatSocket<HandlerConnection>;

const WRITES = new Set<RequestType>(["message.post", "message.edit", "message.delete"]);
// Membership changes cost a durable commit each: they share the per-user action bucket with HTTP.
const ACTIONS = new Set<RequestType>(["room.join", "room.leave"]);

export function send(ws: Socket, event: ServerEvent): void {
  ws.send(JSON.stringify(event));
}

export function createHandlers(chat: Chat, logger: Logger) {
  function fail(ws: Socket, requestId: string | undefined, code: ErrorCode, message: string, retryAfterMs?: number): void {
    const event: ErrorEvent = { type: "error", code, message };
    if (requestId !== undefined) event.requestId = requestId;
    if (retryAfterMs !== undefined) event.retryAfterMs = retryAfterMs;
    send(ws, event);
  }

  function failWith(ws: Socket, requestId: string | undefined, error: unknown, type: string): void {
    if (error instanceof AppError) {
      fail(ws, requestId, error.code as ErrorCode, error.message);
      return;
    }
    logger.error("ws_handler_failed", { type, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
    fail(ws, requestId, "internal_error", "Something went wrong on the server.");
  }

  function ack<K extends RequestType>(ws: Socket, requestId: string | undefined, reply: Replies[K]): void {
    if (requestId !== undefined) send(ws, { type: "ack", requestId, ...reply } as ServerEvent);
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

  /** Handles one parsed frame from `ws`. */
  return function handle(ws: Socket, frame: unknown): void {
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
    if (frameWait > 0) return rateLimited(ws, requestId, frameWait);
    if (!requestValidators[type].Check(frame)) {
      fail(ws, requestId, "invalid_request", describeInvalid(type, frame));
      return;
    }
    if (WRITES.has(type)) {
      const wait = Math.max(conn.buckets.messages.take(now), chat.takeUserMessage(conn.userId));
      if (wait > 0) return rateLimited(ws, requestId, wait);
    } else if (ACTIONS.has(type)) {
      const wait = chat.takeAction(conn.userId);
      if (wait > 0) return rateLimited(ws, requestId, wait);
    }
    try {
      dispatch(ws, conn.actor, requestId, frame as never);
    } catch (error) {
      failWith(ws, requestId, error, type);
    }
  };

  function dispatch(ws: Socket, actor: Actor, requestId: string | undefined, request: ClientRequest): void {
    switch (request.type) {
      case "message.post": {
        // Only these three fields are read: the author comes from the session, id and time from the server.
        const input = { roomId: request.roomId, clientId: request.clientId.toLowerCase(), body: request.body };
        const acked =
          requestId === undefined
            ? undefined
            : (reply: Replies["message.post"], json: string) =>
                chat.hub.sendTo(ws, `{"type":"ack","requestId":${JSON.stringify(requestId)},"duplicate":${reply.duplicate},"message":${json}}`);
        chat.messages.post(actor, input, acked).catch((error) => failWith(ws, requestId, error, "message.post"));
        return;
      }
      case "message.edit":
        later(ws, requestId, request.type, chat.messages.edit(actor, request.messageId, request.body));
        return;
      case "message.delete":
        later(ws, requestId, request.type, chat.messages.delete(actor, request.messageId));
        return;
      case "room.join":
        ack<"room.join">(ws, requestId, { room: chat.rooms.join(actor, request.roomId) });
        return;
      case "room.leave":
        ack<"room.leave">(ws, requestId, chat.rooms.leave(actor, request.roomId));
        return;
      case "typing.start":
        chat.rooms.member(actor, request.roomId);
        chat.typing.start(request.roomId, { id: actor.userId, username: actor.username, displayName: actor.displayName });
        ack<"typing.start">(ws, requestId, {});
        return;
      case "read.mark":
        later(ws, requestId, request.type, chat.messages.markRead(actor, request.roomId, request.messageId));
        return;
      case "sync":
        ack<"sync">(ws, requestId, chat.messages.sync(actor, request.rooms, request.since));
        return;
      case "history":
        ack<"history">(ws, requestId, chat.messages.history(actor, request.roomId, request.before, request.limit ?? DEFAULT_HISTORY_LIMIT));
        return;
      case "ping":
        ack<"ping">(ws, requestId, {});
        return;
    }
  }
}

export type Handle = ReturnType<typeof createHandlers>;
