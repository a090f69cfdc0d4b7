// The online list is server-wide (GET /api/presence), so its changes are too: a person sees someone
// they share no room with come online and go offline, live, without polling.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startTestServer } from "../support/app.ts";
import { createTestUser } from "../support/users.ts";
import { api, TestSocket, userWithSocket, type TestServer } from "./client.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
}, 30_000); // starting a TLS server on a busy machine can take a while
afterAll(() => server.stop());

describe("server-wide presence", () => {
  test("a stranger who shares no room with me is announced online, then offline", async () => {
    const alice = await userWithSocket(server);
    const stranger = await createTestUser(server.deps);
    const rooms = (await (await api(server, alice.user, "/api/rooms")).json()) as { rooms: unknown[] };
    expect(rooms.rooms).toEqual([]);

    const socket = await TestSocket.connect(server, stranger.cookie);
    const online = await alice.socket.nextOf("presence.changed", (e) => e.online.includes(stranger.id));
    expect(online.offline).not.toContain(stranger.id);
    socket.close();
    await alice.socket.nextOf("presence.changed", (e) => e.offline.includes(stranger.id));
  }, 15_000);

  test("every socket of every user hears the same single frame", async () => {
    const [a, b] = [await userWithSocket(server), await userWithSocket(server)];
    const secondTab = await TestSocket.connect(server, a.user.cookie);
    const newcomer = await userWithSocket(server);
    const frames = await Promise.all(
      [a.socket, secondTab, b.socket].map((s) => s.nextOf("presence.changed", (e) => e.online.includes(newcomer.user.id))),
    );
    expect(frames[1]).toEqual(frames[0]!);
    expect(frames[2]).toEqual(frames[0]!);
    // The newcomer's own socket is subscribed from `ready` on, and hears later changes too.
    const later = await userWithSocket(server);
    await newcomer.socket.nextOf("presence.changed", (e) => e.online.includes(later.user.id));
  }, 15_000);

  test("a socket whose session ended hears nothing more", async () => {
    const watcher = await userWithSocket(server);
    const leaving = await userWithSocket(server);
    await api(server, leaving.user, "/api/auth/logout", { method: "POST" });
    expect((await leaving.socket.closed).code).toBe(4401);
    const count = leaving.socket.of("presence.changed").length;
    const newcomer = await userWithSocket(server);
    await watcher.socket.nextOf("presence.changed", (e) => e.online.includes(newcomer.user.id));
    expect(leaving.socket.of("presence.changed")).toHaveLength(count);
  }, 15_000);
});
