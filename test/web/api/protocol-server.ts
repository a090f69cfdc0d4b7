// A real WebSocket server (Bun.serve on port 0) speaking just enough of the chat protocol for the web
// client's tests: it greets every connection with `ready`, records every frame it receives, answers
// as the test says (by default: pings and syncs, nothing else), and can refuse upgrades. Tests wait
// on what it saw with until(), re-checked on every frame, connection and close: no sleeps.
import type { Server, ServerWebSocket } from "bun";
import type { AckEvent, ClientRequest, Me, ReadyEvent, Replies, RequestType, Room, ServerEvent } from "../../../src/protocol.ts";

export const ME: Me = { id: 1, username: "alice", displayName: null, isAdmin: false };

export interface Connection {
  /** 0 for the first connection, 1 for the next... */
  readonly index: number;
  readonly frames: ClientRequest[];
  /** The close code, once closed (the client's code when it closed, 1006 when it vanished). */
  closeCode: number | null;
  send(event: ServerEvent): void;
  /** An ack for `frame`, with the reply fields of its type. */
  ack<K extends RequestType>(frame: Extract<ClientRequest, { type: K }>, reply: Replies[K]): void;
  close(code: number): void;
}

/** What the server does with a frame; the default answers pings and empty syncs. */
export type Answer = (connection: Connection, frame: ClientRequest) => void;

export const answerPingsAndSyncs: Answer = (connection, frame) => {
  if (frame.type === "ping") connection.ack(frame, {});
  if (frame.type === "sync") connection.ack(frame, { rooms: [], changes: [], changeSeq: 0, hasMoreChanges: false });
};

export function readyEvent(rooms: Room[] = []): ReadyEvent {
  return { type: "ready", user: ME, rooms, changeSeq: 0, notifications: { defaultLevel: "mentions", dndUntil: null, soundRooms: false, soundDms: true, previews: true } };
}

export function startProtocolServer(options: { rooms?: Room[]; http?: (request: Request) => Response } = {}) {
  const connections: Connection[] = [];
  const checks = new Set<() => void>();
  const changed = () => {
    for (const check of [...checks]) check();
  };
  let refusals = 0;
  let upgrades = 0;

  const server: Server<{ connection: Connection }> = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    fetch(request, bun) {
      if (new URL(request.url).pathname === "/ws") {
        upgrades++;
        if (refusals > 0) {
          refusals--;
          changed();
          return new Response("session ended", { status: 401 });
        }
        const ok = bun.upgrade(request, { data: { connection: null as unknown as Connection } });
        return ok ? undefined : new Response("upgrade failed", { status: 400 });
      }
      return options.http?.(request) ?? new Response("not found", { status: 404 });
    },
    websocket: {
      open(ws: ServerWebSocket<{ connection: Connection }>) {
        const connection: Connection = {
          index: connections.length,
          frames: [],
          closeCode: null,
          send: (event) => void ws.send(JSON.stringify(event)),
          ack: (frame, reply) => void ws.send(JSON.stringify({ type: "ack", requestId: frame.requestId, ...reply } as AckEvent)),
          close: (code) => ws.close(code, ""),
        };
        ws.data.connection = connection;
        connections.push(connection);
        connection.send(readyEvent(options.rooms));
        changed();
      },
      message(ws, data) {
        const frame = JSON.parse(String(data)) as ClientRequest;
        ws.data.connection.frames.push(frame);
        harness.answer(ws.data.connection, frame);
        changed();
      },
      close(ws, code) {
        ws.data.connection.closeCode = code;
        changed();
      },
    },
  });

  const harness = {
    url: `ws://127.0.0.1:${server.port}/ws`,
    origin: `http://127.0.0.1:${server.port}`,
    host: `127.0.0.1:${server.port}`,
    connections,
    /** Upgrade requests seen, refused ones included. */
    get upgrades() {
      return upgrades;
    },
    answer: answerPingsAndSyncs as Answer,
    /** Answers the next `count` upgrade requests with 401, as the server does for an ended session. */
    refuseUpgrades(count: number) {
      refusals += count;
    },
    /** Resolves with read()'s first defined value, checked now and after every change the server sees. */
    until<T>(read: () => T | undefined | null | false): Promise<T> {
      return new Promise((resolve) => {
        const check = () => {
          const value = read();
          if (value === undefined || value === null || value === false) return;
          checks.delete(check);
          resolve(value);
        };
        checks.add(check);
        check();
      });
    },
    /** The connection with this index, once it has opened. */
    connection(index: number): Promise<Connection> {
      return harness.until(() => connections[index]);
    },
    /** The first frame of `type` the connection received (already, or when it comes). */
    frame<K extends RequestType>(connection: Connection, type: K, also: (frame: Extract<ClientRequest, { type: K }>) => boolean = () => true) {
      return harness.until(() => connection.frames.find((f): f is Extract<ClientRequest, { type: K }> => f.type === type && also(f as Extract<ClientRequest, { type: K }>)));
    },
    closed(connection: Connection): Promise<number> {
      return harness.until(() => connection.closeCode ?? undefined);
    },
    stop() {
      void server.stop(true);
    },
  };
  return harness;
}

export type ProtocolServer = ReturnType<typeof startProtocolServer>;
