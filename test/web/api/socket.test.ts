// The tab's one socket (web/src/api/socket.ts) against a real WebSocket server: requests answered by
// requestId, reconnecting with a growing, jittered backoff, a 4401 close ending the session for good,
// requests lost with a connection failing as "disconnected" (the store sends them again), unanswered
// requests timing out, and a silent connection found by its ping and replaced.
import { afterEach, describe, expect, test } from "bun:test";
import { createEffect, createRoot } from "solid-js";
import fc from "fast-check";
import { SOCKET_IDLE_TIMEOUT_SECONDS } from "../../../src/protocol.ts";
import { backoffDelay, createSocket, PING_INTERVAL_MS, RequestError, type ChatSocket, type SocketHandlers } from "../../../web/src/api/socket.ts";
import type { ReadyEvent, ServerEvent } from "../../../web/src/chat/protocol.ts";
import { startProtocolServer, type ProtocolServer } from "./protocol-server.ts";

describe("backoffDelay", () => {
  test("doubles from half a second and stops growing at 15 s", () => {
    const ceiling = (attempt: number) => backoffDelay(attempt, () => 1);
    expect([0, 1, 2, 3, 4, 5, 6].map(ceiling)).toEqual([500, 1000, 2000, 4000, 8000, 15000, 15000]);
    expect(ceiling(1000)).toBe(15000);
  });

  test("is jittered between half the ceiling and the ceiling, whatever the random draw", () => {
    fc.assert(
      fc.property(fc.nat(1000), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (attempt, draw) => {
        const ceiling = backoffDelay(attempt, () => 1);
        const delay = backoffDelay(attempt, () => draw);
        return delay >= ceiling / 2 && delay <= ceiling;
      }),
    );
  });

  test("two tabs reconnecting together spread out", () => {
    expect(backoffDelay(4, () => 0.1)).not.toBe(backoffDelay(4, () => 0.9));
  });
});

test("two pings fit in the server's idle timeout, so a quiet connection is never closed as idle", () => {
  expect(PING_INTERVAL_MS * 2).toBeLessThan(SOCKET_IDLE_TIMEOUT_SECONDS * 1000);
});

/**
 * A socket on `server` that records what it reports; reconnects come at once (backoff recorded).
 * until() re-checks on everything the socket reports, its status included.
 */
function client(server: ProtocolServer, options: { requestTimeoutMs?: number; pingIntervalMs?: number } = {}) {
  const seen = { readies: [] as { event: ReadyEvent; reconnected: boolean }[], events: [] as ServerEvent[], sessionEnded: 0, connectFailed: 0, backoffs: [] as number[] };
  const checks = new Set<() => void>();
  const changed = () => {
    for (const check of [...checks]) check();
  };
  const handlers: SocketHandlers = {
    onEvent: (event) => void (seen.events.push(event), changed()),
    onReady: (event, reconnected) => void (seen.readies.push({ event, reconnected }), changed()),
    onSessionEnded: () => void (seen.sessionEnded++, changed()),
    onConnectFailed: () => void (seen.connectFailed++, changed()),
  };
  const socket = createSocket(handlers, {
    url: server.url,
    requestTimeoutMs: options.requestTimeoutMs ?? 10_000,
    pingIntervalMs: options.pingIntervalMs ?? 3_600_000,
    backoff: (attempt) => {
      seen.backoffs.push(attempt);
      return 0;
    },
  });
  sockets.push(socket);
  disposers.push(createRoot((dispose) => {
    createEffect(() => {
      socket.status();
      changed();
    });
    return dispose;
  }));
  const until = (read: () => boolean) =>
    new Promise<void>((resolve) => {
      const check = () => {
        if (!read()) return;
        checks.delete(check);
        resolve();
      };
      checks.add(check);
      check();
    });
  /** Resolves once the socket's status is `wanted`. */
  const status = (wanted: ReturnType<ChatSocket["status"]>) => until(() => socket.status() === wanted);
  return { socket, seen, until, status };
}

const servers: ProtocolServer[] = [];
const sockets: ChatSocket[] = [];
const disposers: (() => void)[] = [];
function server() {
  const started = startProtocolServer();
  servers.push(started);
  return started;
}
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.stop();
  for (const dispose of disposers.splice(0)) dispose();
  for (const started of servers.splice(0)) started.stop();
});

describe("the socket client", () => {
  test("answers a request by its requestId and passes other events on", async () => {
    const fake = server();
    const { socket, seen, status, until } = client(fake);
    const first = await fake.connection(0);
    await status("open");
    fake.answer = (connection, frame) => {
      if (frame.type === "read.mark") {
        // Another event first: it must not be taken for the answer.
        connection.send({ type: "read.updated", roomId: 9, lastReadId: 1, unread: 0, mentions: 0 });
        connection.ack(frame, { roomId: frame.roomId, lastReadId: frame.messageId, unread: 0, mentions: 0 });
      }
    };
    const reply = await socket.request({ type: "read.mark", roomId: 3, messageId: 42 });
    expect(reply).toMatchObject({ type: "ack", roomId: 3, lastReadId: 42 });
    expect(first.frames.find((f) => f.type === "read.mark")?.requestId).toBe(reply.requestId);
    expect(seen.events).toEqual([{ type: "read.updated", roomId: 9, lastReadId: 1, unread: 0, mentions: 0 }]);
    expect(seen.readies.map((r) => r.reconnected)).toEqual([false]);
  });

  test("after the server drops it, it reconnects and reports the next ready as a reconnection", async () => {
    const fake = server();
    const { socket, seen, status, until } = client(fake);
    const first = await fake.connection(0);
    await status("open");
    first.close(1011);
    await fake.connection(1);
    await until(() => seen.readies.length === 2);
    expect(seen.readies.map((r) => r.reconnected)).toEqual([false, true]);
    expect(seen.backoffs).toEqual([0]);
    expect(socket.status()).toBe("open");
    await socket.request({ type: "ping" });
  });

  test("the backoff grows while upgrades are refused, asks for a session check, and starts over after a ready", async () => {
    const fake = server();
    fake.refuseUpgrades(3);
    const { socket, seen, status, until } = client(fake);
    await fake.connection(0);
    await status("open");
    expect(fake.upgrades).toBe(4);
    expect(seen.backoffs).toEqual([0, 1, 2]);
    // A refused upgrade may mean the session ended: the store is asked to check, once per failure.
    expect(seen.connectFailed).toBe(3);

    fake.connections[0]!.close(1011);
    await fake.connection(1);
    await status("open");
    expect(seen.backoffs).toEqual([0, 1, 2, 0]);
  });

  test("a 4401 close ends the session: requests in flight fail, nothing reconnects, nothing more is sent", async () => {
    const fake = server();
    const { socket, seen, status, until } = client(fake);
    const first = await fake.connection(0);
    await status("open");
    fake.answer = () => undefined;
    const inFlight = socket.request({ type: "room.join", roomId: 5 }).catch((error: RequestError) => error.code);
    await fake.frame(first, "room.join");
    first.close(4401);

    expect(await inFlight).toBe("disconnected");
    await status("stopped");
    expect(seen.sessionEnded).toBe(1);
    expect(seen.backoffs).toEqual([]);
    expect(await socket.request({ type: "ping" }).catch((error: RequestError) => error.code)).toBe("disconnected");
    expect(fake.upgrades).toBe(1);
  });

  test("a request lost with its connection fails as disconnected, and sent again on the next one it is answered", async () => {
    const fake = server();
    const { socket, status } = client(fake);
    const first = await fake.connection(0);
    await status("open");
    const post = { type: "message.post", roomId: 5, clientId: "0f8fad5b-d9cb-469f-a165-70867728950e", body: "hello" } as const;
    fake.answer = (connection, frame) => {
      // The first connection dies before answering; the second answers.
      if (frame.type !== "message.post") return;
      if (connection.index === 0) connection.close(1011);
      else connection.ack(frame, { messageId: 1, createdAt: 1, duplicate: false });
    };
    const lost = await socket.request(post).catch((error: RequestError) => error);
    expect(lost).toBeInstanceOf(RequestError);
    expect((lost as RequestError).code).toBe("disconnected");
    expect(first.frames.filter((f) => f.type === "message.post")).toHaveLength(1);

    await fake.connection(1);
    await status("open");
    const reply = await socket.request(post);
    expect(reply).toMatchObject({ type: "ack", messageId: 1, duplicate: false });
  });

  test("a request the server never answers fails with timeout, and the socket stays usable", async () => {
    const fake = server();
    const { socket, status } = client(fake, { requestTimeoutMs: 100 });
    await fake.connection(0);
    await status("open");
    fake.answer = (connection, frame) => {
      if (frame.type === "ping") connection.ack(frame, {});
    };
    const started = performance.now();
    const error = await socket.request({ type: "history", roomId: 5 }).catch((e: RequestError) => e);
    expect(error).toBeInstanceOf(RequestError);
    expect((error as RequestError).code).toBe("timeout");
    expect(performance.now() - started).toBeGreaterThanOrEqual(90);
    await socket.request({ type: "ping" });
    expect(socket.status()).toBe("open");
  });

  test("a connection that stops answering is found by its ping, closed and replaced", async () => {
    const fake = server();
    const { socket, seen, status, until } = client(fake, { pingIntervalMs: 50, requestTimeoutMs: 100 });
    const first = await fake.connection(0);
    await status("open");
    // The first connection swallows everything, as a half-dead one behind a NAT would.
    fake.answer = (connection, frame) => {
      if (connection.index > 0 && frame.type === "ping") connection.ack(frame, {});
    };
    await fake.frame(first, "ping");
    expect(await fake.closed(first)).toBe(4000);
    await fake.connection(1);
    await status("open");
    expect(seen.readies.map((r) => r.reconnected)).toEqual([false, true]);
  });
});
