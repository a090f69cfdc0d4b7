// A reader that stops reading must not make the server hold an ever-growing queue for it: at the
// 1 MiB backpressure limit (src/app.ts) the server drops that socket, and everyone else carries on.
//
// The idle timeout (60 s, pinged by the server before it expires) is not tested here: it is a fixed
// value in src/app.ts with no --flag or Config field, Bun rounds anything below 8 s up to 8 s, and
// waiting out the real 60 s would make this one of the slowest tests in the suite. Adding a knob
// only so a test can shorten it is not worth it (a hard-coded value means nobody can set it wrong).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Socket } from "bun";
import { startTestServer } from "../support/app.ts";
import { createTestUser, type TestUser } from "../support/users.ts";
import { api, TestSocket, type TestServer, acceptInvitation } from "./client.ts";

let server: TestServer;
beforeAll(async () => {
  // --message-rate, the operator's knob for bots and bridges: one client may post as fast as it can,
  // so the flood fills the slow reader's queue in a few seconds.
  server = await startTestServer({ config: { messageRate: 100_000 } });
}, 30_000); // starting a TLS server on a busy machine can take a while
afterAll(() => server.stop());

type Ending = "end" | "close" | "error";

/**
 * A WebSocket client written by hand over raw TLS, so it can do what a browser never does: stop
 * reading, letting the kernel buffers between it and the server fill up.
 */
async function openRawSocket(user: TestUser) {
  let text = "";
  let bytes = 0;
  let gotReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (gotReady = resolve));
  let ended: (how: Ending) => void = () => {};
  const closed = new Promise<Ending>((resolve) => (ended = resolve));
  const decoder = new TextDecoder();

  const key = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
  const upgrade = [
    "GET /ws HTTP/1.1",
    `Host: 127.0.0.1:${server.port}`,
    "Upgrade: websocket",
    "Connection: Upgrade",
    `Sec-WebSocket-Key: ${key}`,
    "Sec-WebSocket-Version: 13",
    `Origin: ${server.origin}`,
    `Cookie: ${user.cookie}`,
    "",
    "",
  ].join("\r\n");

  const socket: Socket = await Bun.connect({
    hostname: "127.0.0.1",
    port: server.port,
    tls: { rejectUnauthorized: false },
    socket: {
      // Bytes written before the TLS handshake completes are lost, so the upgrade waits for it.
      handshake: (socket) => void socket.write(upgrade),
      data(_socket, chunk) {
        bytes += chunk.byteLength;
        // Enough text to see the 101 answer and the `ready` event (server frames are not masked).
        if (text.length < 64 * 1024) text += decoder.decode(chunk, { stream: true });
        if (text.startsWith("HTTP/1.1 101") && text.includes('"type":"ready"')) gotReady();
      },
      end: () => ended("end"),
      close: () => ended("close"),
      error: () => ended("error"),
      connectError: () => ended("error"),
    },
  });
  await Promise.race([ready, closed.then((how) => Promise.reject(new Error(`raw socket ${how} before ready: ${text.slice(0, 200)}`)))]);
  return { socket, closed, bytesRead: () => bytes };
}

describe("a slow reader", () => {
  test("is closed at the backpressure limit while a fast client in the same room gets every ack and message", async () => {
    const writer = await createTestUser(server.deps);
    const reader = await createTestUser(server.deps);
    const fast = await TestSocket.connect(server, writer.cookie);
    const created = await api(server, writer, "/api/rooms", { json: { kind: "private", name: "firehose", members: [reader.id] } });
    expect(created.status).toBe(201);
    const { room } = (await created.json()) as { room: { id: number } };
    await acceptInvitation(server, reader, room.id);

    const slow = await openRawSocket(reader);
    await fast.nextOf("presence.changed", (e) => e.online.includes(reader.id));
    // From here on the slow reader takes nothing off the wire: what the server sends it piles up in
    // the kernel buffers, then in the server's own queue for that socket.
    slow.socket.pause();
    const readBeforePause = slow.bytesRead();

    const readerOffline = fast.nextOf("presence.changed", (e) => e.offline.includes(reader.id));

    // 40 waves of 100 posts of 3,500 characters, each wave acked before the next: ~14 MB for the
    // reader, far past the 1 MiB limit plus what the loopback kernel buffers hold (~4 MB here).
    const body = "x".repeat(3_500);
    let posted = 0;
    for (let wave = 0; wave < 40; wave++) {
      const answers = await Promise.all(
        Array.from({ length: 100 }, () => fast.request({ type: "message.post", roomId: room.id, clientId: Bun.randomUUIDv7(), body })),
      );
      for (const answer of answers) expect(answer.type).toBe("ack");
      posted += answers.length;
    }

    // Over the limit Bun stops reading from that socket and closes it on its own timer (~12 s later
    // with Bun 1.4.4, whatever the idle timeout); the hub then forgets it and, after presence's
    // grace period, everyone sees the reader go offline. The test's timeout bounds the wait.
    await readerOffline;

    // The fast client got every acknowledgement and saw every message it posted, in order.
    await fast.barrier();
    // System lines (the reader joining) are not posts.
    const live = fast.of("message.created").filter((e) => e.message.roomId === room.id && !e.message.event);
    expect(live.length).toBe(posted);
    const ids = live.map((e) => e.message.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(fast.ws.readyState).toBe(WebSocket.OPEN);

    // The slow reader, reading again, drains what the kernel still held and then finds the
    // connection closed by the server; it got far less than the flood.
    slow.socket.resume();
    expect(["end", "close", "error"]).toContain(await slow.closed);
    expect(slow.bytesRead() - readBeforePause).toBeLessThan(posted * body.length);

    // The server is still serving everyone else.
    const health = await api(server, null, "/api/health");
    expect(health.status).toBe(200);
    const after = await fast.post({ type: "message.post", roomId: room.id, clientId: Bun.randomUUIDv7(), body: "still here" });
    expect(after).toMatchObject({ duplicate: false, message: { body: "still here" } });
    fast.close();
  }, 30_000);
});
