// The one socket at /ws. The upgrade checks, in order: an Origin on our allowlist (403, which stops
// cross-site WebSocket hijacking), a valid session from the same cookie lookup HTTP uses (401),
// and the per-user socket cap (429). Each socket's data is its Connection; Elysia's shared
// websocket handler calls the Connection's open/message/close.
import { Elysia } from "elysia";
import type { Server } from "bun";
import { authenticateToken, type Actor } from "../accounts/sessions.ts";
import { SESSION_COOKIE, type TokenClaims } from "../accounts/session-tokens.ts";
import { AppError, errors } from "../http/errors.ts";
import { isAllowedSocketOrigin } from "../http/origin.ts";
import { requireActor } from "../http/auth-context.ts";
import { ConnectionBuckets } from "../messages/chat-limits.ts";
import { CLOSE_SESSION_ENDED, MAX_FRAME_BYTES, TYPING_TTL_MS, MAX_MESSAGE_LENGTH } from "../protocol.ts";
import type { Services } from "../services.ts";
import { topics, type ChatSocket } from "./broadcast.ts";
import { createHandlers, send, type Handle, type HandlerConnection } from "./handlers.ts";

interface Shared {
  services: Services;
  handle: Handle;
}

type Socket = ChatSocket<Connection>;

/**
 * A busy socket re-checks its session this often: it slides the session's expiry like HTTP use does,
 * and catches an end no event announced (expiry, the operator's CLI on the same data directory).
 */
export const SESSION_RECHECK_MS = 30_000;

export class Connection implements HandlerConnection {
  readonly userId: number;
  readonly sessionId: string;
  readonly buckets: ConnectionBuckets;
  private registered = false;
  private checkedAt = Date.now();

  constructor(
    /** The account as it is now: refreshed when it changes (recheck), never trusted from the upgrade alone. */
    public actor: Actor,
    private readonly claims: TokenClaims,
    private readonly shared: Shared,
  ) {
    this.userId = actor.userId;
    this.sessionId = actor.sessionId;
    this.buckets = new ConnectionBuckets(shared.services.chat.limits);
  }

  /**
   * Reloads the actor from the sessions table (admin flag, names); closes the socket when the session
   * has ended or may no longer use the app. Returns whether the socket may go on.
   */
  recheck(ws: Socket, now = Date.now()): boolean {
    this.checkedAt = now;
    let actor: Actor | null;
    try {
      actor = this.shared.services.sessions.validate(this.claims, now);
    } catch (error) {
      // Unverifiable is not verified: the client reconnects and is checked afresh.
      this.failed(ws, "recheck", error);
      return false;
    }
    if (!actor || actor.mustChangePassword) {
      for (const topic of ws.subscriptions) ws.unsubscribe(topic);
      ws.close(CLOSE_SESSION_ENDED, "session ended");
      return false;
    }
    this.actor = actor;
    return true;
  }

  // Bun calls open/message/close straight from its socket loop, where an exception would stop the
  // whole server (Elysia does not catch there): a failure ends this one socket with 1011 instead.
  open(ws: Socket): void {
    try {
      this.start(ws);
    } catch (error) {
      this.failed(ws, "open", error);
    }
  }

  message(ws: Socket, raw: string | Buffer): void {
    try {
      this.receive(ws, raw);
    } catch (error) {
      this.failed(ws, "message", error);
    }
  }

  close(ws: Socket): void {
    try {
      this.finish(ws);
    } catch (error) {
      this.shared.services.logger.error("ws_failed", { phase: "close", error: describe(error) });
    }
  }

  private failed(ws: Socket, phase: string, error: unknown): void {
    this.shared.services.logger.error("ws_failed", { phase, error: describe(error) });
    ws.close(1011, "server error");
  }

  private start(ws: Socket): void {
    const { services } = this.shared;
    const chat = services.chat;
    // The session may have ended between the upgrade and now; the cap may have been reached meanwhile.
    const current = chat.stopped ? null : services.sessions.validate(this.claims);
    if (!current || current.mustChangePassword) {
      ws.close(CLOSE_SESSION_ENDED, "session ended");
      return;
    }
    this.actor = current;
    this.checkedAt = Date.now();
    if (chat.hub.socketCount(this.userId) >= chat.limits.maxSocketsPerUser) {
      ws.close(1008, "too many connections");
      return;
    }
    this.registered = true;
    chat.hub.add(ws);
    chat.presence.connected(this.userId);
    // Subscribed only to rooms this user is a member of, checked now, in the same turn as `ready`.
    ws.subscribe(topics.user(this.userId));
    ws.subscribe(topics.presence);
    const rooms = chat.roomQueries.roomsFor(this.userId);
    for (const room of rooms) ws.subscribe(topics.room(room.id));
    const { actor } = this;
    send(ws, {
      type: "ready",
      user: { id: actor.userId, username: actor.username, displayName: actor.displayName, isAdmin: actor.isAdmin },
      rooms,
      changeSeq: chat.messages.changeSeq,
      limits: { maxMessageLength: MAX_MESSAGE_LENGTH, typingTtlMs: TYPING_TTL_MS, maxFrameBytes: MAX_FRAME_BYTES },
    });
  }

  private receive(ws: Socket, raw: string | Buffer): void {
    if (!this.registered) return;
    const now = Date.now();
    if (now - this.checkedAt >= SESSION_RECHECK_MS && !this.recheck(ws, now)) return;
    if (typeof raw !== "string") {
      send(ws, { type: "error", code: "invalid_json", message: "Frames must be JSON text, not binary." });
      return;
    }
    let frame: unknown;
    try {
      frame = JSON.parse(raw);
    } catch {
      send(ws, { type: "error", code: "invalid_json", message: "The frame is not valid JSON." });
      return;
    }
    this.shared.handle(ws, frame);
  }

  private finish(ws: Socket): void {
    if (!this.registered) return;
    this.registered = false;
    const chat = this.shared.services.chat;
    chat.hub.remove(ws);
    if (!chat.stopped) chat.presence.disconnected(this.userId);
  }
}

const describe = (error: unknown) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));

export function socketRoutes(services: Services) {
  const { chat, config } = services;
  const shared: Shared = { services, handle: createHandlers(chat, services.logger) };
  // Logout, revocation and disabling end sessions; their sockets close at once.
  services.sessionEvents.onEnded(({ sessionIds }) => chat.hub.closeSessions(sessionIds, CLOSE_SESSION_ENDED, "session ended"));
  // A deleted account left its rooms in the accounts code's transaction; tell the rooms.
  services.sessionEvents.onLeftRooms((userId, roomIds) => {
    for (const roomId of roomIds) {
      chat.hub.unsubscribe(userId, roomId);
      chat.hub.toRoom(roomId, { type: "member.left", roomId, userId, reason: "left" });
    }
  });
  // A promoted or demoted admin, a new display name: open sockets act as the account is now.
  services.sessionEvents.onUserChanged((userId) => {
    for (const socket of chat.hub.socketsOf(userId)) {
      if (socket.data instanceof Connection) socket.data.recheck(socket as Socket);
    }
  });

  return new Elysia({ name: "chat-socket" })
    .onStop(() => chat.shutdown())
    .get("/ws", async ({ request, server, cookie }) => {
      if (!isAllowedSocketOrigin(request, config.origins)) {
        throw errors.forbidden("bad_origin", "This connection did not come from VaultRoom's own pages.");
      }
      const jar = cookie[SESSION_COOKIE];
      const found = await authenticateToken(services.tokens, services.sessions, typeof jar?.value === "string" ? jar.value : undefined);
      // Same rules as HTTP: no session is 401; a session that must change its password first is 403.
      requireActor(found?.actor ?? null);
      if (!found) throw errors.unauthorized();
      if (chat.hub.socketCount(found.actor.userId) >= chat.limits.maxSocketsPerUser) {
        throw new AppError(429, "too_many_connections", "You have too many open connections; close a tab and try again.");
      }
      if (!server || chat.stopped) throw new AppError(503, "shutting_down", "The server is shutting down.");
      chat.hub.attach(server as Server<unknown>);
      const connection = new Connection(found.actor, found.claims, shared);
      if (!server.upgrade(request, { data: connection })) {
        throw errors.badRequest("websocket_expected", "This address only accepts WebSocket connections.");
      }
      return undefined;
    });
}
