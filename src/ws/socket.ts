// The one socket at /ws. The upgrade checks, in order: an Origin on our allowlist (403, which stops
// cross-site WebSocket hijacking), a valid session from the same cookie lookup HTTP uses (401),
// and the per-user socket cap (429). Each socket's data is its Connection; Elysia's shared
// websocket handler calls the Connection's open/message/close.
import { Elysia } from "elysia";
import type { Server } from "bun";
import { authenticateToken, isLimitedSession, sessions, type Actor } from "../accounts/sessions.ts";
import { SESSION_COOKIE, type TokenClaims } from "../accounts/session-tokens.ts";
import { AppError, describeError, errors } from "../errors.ts";
import { isAllowedSocketOrigin } from "../http/origin.ts";
import { requireActor } from "../http/auth-context.ts";
import { ConnectionBuckets } from "../messages/chat-limits.ts";
import { roomQueries } from "../rooms/room-queries.ts";
import { CLOSE_SESSION_ENDED, type Room, type RoomRequest } from "../protocol.ts";
import { consent } from "../rooms/consent.ts";
import type { Services } from "../services.ts";
import { topics, type ChatSocket } from "./broadcast.ts";
import { createHandlers, type Handle, type HandlerConnection } from "./handlers.ts";
import { watchSessions } from "./session-watch.ts";
import { readSettings } from "../notifications/notification-queries.ts";
import type { NotificationSettings } from "../protocol.ts";
import { jsonHasNul } from "../text/nul.ts";

interface Shared {
  services: Services;
  handle: Handle;
}

type Socket = ChatSocket<Connection>;

/**
 * A busy socket re-checks its session this often: it slides the session's expiry like HTTP use does.
 * Ends no event announced (expiry, an operator's CLI) are caught by the session watch (session-watch.ts).
 */
export const SESSION_RECHECK_MS = 30_000;
/** Frames that arrive before `ready` is sent wait (up to this many) and are handled after it. */
const EARLY_FRAMES = 32;
/** Reads of the room list retried when memberships change meanwhile; then the socket closes (1013, try again). */
const START_ATTEMPTS = 5;

export class Connection implements HandlerConnection {
  readonly userId: number;
  readonly sessionId: string;
  readonly buckets: ConnectionBuckets;
  starting = true;
  changedWhileStarting = false;
  visible = false;
  admitted: Promise<void> = Promise.resolve();
  private registered = false;
  private closed = false;
  private early: (string | Buffer)[] = [];
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
  async recheck(ws: ChatSocket, now = Date.now()): Promise<boolean> {
    this.checkedAt = now;
    let actor: Actor | null;
    try {
      actor = await sessions.validate(this.shared.services.store, this.claims, now);
    } catch (error) {
      // Unverifiable is not verified: the client reconnects and is checked afresh.
      this.failed(ws as Socket, "recheck", error);
      return false;
    }
    if (!actor || isLimitedSession(actor)) {
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
    this.start(ws).catch((error) => this.failed(ws, "open", error));
  }

  message(ws: Socket, raw: string | Buffer): void {
    this.shared.services.metrics.framesIn.inc();
    try {
      if (this.starting) {
        if (this.early.length < EARLY_FRAMES) this.early.push(raw);
        return;
      }
      this.receive(ws, raw);
    } catch (error) {
      this.failed(ws, "message", error);
    }
  }

  close(ws: Socket, code?: number): void {
    this.closed = true;
    const { metrics } = this.shared.services;
    metrics.closes.inc({ code: metrics.closeCode(code ?? 1005) });
    try {
      this.finish(ws);
    } catch (error) {
      this.shared.services.logger.error("ws_failed", { phase: "close", error: describeError(error) });
    }
  }

  private failed(ws: Socket, phase: string, error: unknown): void {
    this.shared.services.logger.error("ws_failed", { phase, error: describeError(error) });
    ws.close(1011, "server error");
  }

  private async start(ws: Socket): Promise<void> {
    const { services } = this.shared;
    const chat = services.chat;
    if (chat.stopped) return void ws.close(1001, "shutting down");
    // The cap holds for the whole cluster (presence counts every node's sockets).
    if (chat.presence.socketsOf(this.userId) >= chat.limits.maxSocketsPerUser) return void ws.close(1008, "too many connections");
    // Registered at once, still `starting`: membership and account changes for this user mark it.
    this.registered = true;
    chat.hub.add(ws);
    chat.presence.connected(this.userId);
    for (let attempt = 1; ; attempt++) {
      this.changedWhileStarting = false;
      // The session may have ended between the upgrade and now.
      const current = await sessions.validate(services.store, this.claims);
      if (this.closed) return;
      if (!current || isLimitedSession(current)) return void ws.close(CLOSE_SESSION_ENDED, "session ended");
      const rooms = await roomQueries.roomsFor(services.store.read, this.userId);
      const requests = await consent.requestsFor(services.store.read, this.userId);
      const changeSeq = await chat.messages.changeSeq();
      const notifications = await readSettings(services.store.read, this.userId);
      if (this.closed) return;
      if (this.changedWhileStarting) {
        if (attempt < START_ATTEMPTS) continue;
        return void ws.close(1013, "try again");
      }
      // From here to `ready`, nothing awaits: no announcement can fall between the read and the
      // subscriptions, so the socket receives exactly the rooms `ready` lists, from then on.
      this.actor = current;
      this.subscribeAndGreet(ws, rooms, requests, changeSeq, notifications);
      break;
    }
    this.starting = false;
    this.checkedAt = Date.now();
    const early = this.early;
    this.early = [];
    for (const raw of early) this.receive(ws, raw);
  }

  private subscribeAndGreet(ws: Socket, rooms: Room[], requests: RoomRequest[], changeSeq: number, notifications: NotificationSettings): void {
    ws.subscribe(topics.user(this.userId));
    ws.subscribe(topics.presence);
    for (const room of rooms) ws.subscribe(topics.room(room.id));
    const { actor } = this;
    this.shared.services.chat.hub.sendTo(ws, {
      type: "ready",
      user: { id: actor.userId, username: actor.username, displayName: actor.displayName, isAdmin: actor.isAdmin },
      rooms,
      requests,
      changeSeq,
      notifications,
    });
  }

  private receive(ws: Socket, raw: string | Buffer): void {
    if (!this.registered || this.closed) return;
    const now = Date.now();
    if (now - this.checkedAt >= SESSION_RECHECK_MS) {
      // Admitted behind the recheck: no frame acts on a session that has just ended.
      this.checkedAt = now;
      this.admitted = this.admitted.then(async () => {
        await this.recheck(ws, now);
      });
    }
    if (typeof raw !== "string") {
      this.shared.services.chat.hub.sendTo(ws, { type: "error", code: "invalid_json", message: "Frames must be JSON text, not binary." });
      return;
    }
    let frame: unknown;
    try {
      frame = JSON.parse(raw);
    } catch {
      this.shared.services.chat.hub.sendTo(ws, { type: "error", code: "invalid_json", message: "The frame is not valid JSON." });
      return;
    }
    this.shared.handle(ws, frame, jsonHasNul(raw));
  }

  private finish(ws: Socket): void {
    if (!this.registered) return;
    this.registered = false;
    const chat = this.shared.services.chat;
    chat.hub.remove(ws);
    if (this.visible) {
      this.visible = false;
      chat.visibility.change(this.userId, -1);
    }
    if (!chat.stopped) chat.presence.disconnected(this.userId);
  }
}

export function socketRoutes(services: Services) {
  const { chat, config } = services;
  const shared: Shared = { services, handle: createHandlers(chat, services.logger, services.metrics) };
  let watch: ReturnType<typeof watchSessions> | null = null;

  return new Elysia({ name: "chat-socket" })
    .onStart(() => {
      watch ??= watchSessions({ hub: chat.hub, db: services.store.read, logger: services.logger });
    })
    .onStop(() => {
      watch?.stop();
      watch = null;
      chat.shutdown();
    })
    .get("/ws", async ({ request, server, cookie }) => {
      if (!isAllowedSocketOrigin(request, config.origins)) {
        throw errors.forbidden("bad_origin", "This connection did not come from VaultRoom's own pages.");
      }
      const jar = cookie[SESSION_COOKIE];
      const found = await authenticateToken(services.tokens, services.store, typeof jar?.value === "string" ? jar.value : undefined);
      // Same rules as HTTP: no session is 401; a session that must change its password first is 403.
      requireActor(found?.actor ?? null);
      if (!found) throw errors.unauthorized();
      if (chat.presence.socketsOf(found.actor.userId) >= chat.limits.maxSocketsPerUser) {
        throw new AppError(429, "too_many_connections", "You have too many open connections; close a tab and try again.");
      }
      if (!server || chat.stopped) throw errors.shuttingDown();
      chat.hub.attach(server as Server<unknown>);
      const connection = new Connection(found.actor, found.claims, shared);
      if (!server.upgrade(request, { data: connection })) {
        throw errors.badRequest("websocket_expected", "This address only accepts WebSocket connections.");
      }
      return undefined;
    });
}
