import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startTestServer } from "../support/app.ts";
import { api, userWithSocket, uuid, type TestServer } from "./client.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
}, 30_000); // starting a TLS server on a busy machine can take a while
afterAll(() => server.stop());

describe("two people chatting live", () => {
  test("a message posted in a room reaches the other member at once, stamped by the server", async () => {
    const alice = await userWithSocket(server, { displayName: "Alice" });
    const bob = await userWithSocket(server);
    const created = await api(server, alice.user, "/api/rooms", { json: { kind: "public", name: "general", topic: "hello" } });
    expect(created.status).toBe(201);
    const { room } = (await created.json()) as { room: { id: number } };
    await alice.socket.nextOf("room.added", (e) => e.room.id === room.id);
    const joined = await bob.socket.ok({ type: "room.join", roomId: room.id });
    expect(joined.room.name).toBe("general");

    const clientId = uuid();
    const reply = await alice.socket.post({ type: "message.post", roomId: room.id, clientId, body: "hi bob" });
    expect(reply.duplicate).toBe(false);
    expect(reply.message).toMatchObject({ roomId: room.id, body: "hi bob", clientId, author: { id: alice.user.id, displayName: "Alice" } });

    const seen = await bob.socket.nextOf("message.created", (e) => e.message.clientId === clientId);
    expect(seen.message).toEqual(reply.message);

    const answer = await bob.socket.post({ type: "message.post", roomId: room.id, clientId: uuid(), body: "hi alice" });
    const back = await alice.socket.nextOf("message.created", (e) => e.message.id === answer.message.id);
    expect(back.message.author.id).toBe(bob.user.id);
    expect(back.message.id).toBeGreaterThan(reply.message.id);
    alice.socket.close();
    bob.socket.close();
  });

  test("a direct message reaches only its participant, and opening it again finds the same conversation", async () => {
    const alice = await userWithSocket(server);
    const bob = await userWithSocket(server);
    const carol = await userWithSocket(server);
    const first = await api(server, alice.user, "/api/dms", { json: { userIds: [bob.user.id] } });
    expect(first.status).toBe(201);
    const { room } = (await first.json()) as { room: { id: number; kind: string; participants: { id: number }[] } };
    expect(room.kind).toBe("dm");
    expect(room.participants.map((p) => p.id).sort()).toEqual([alice.user.id, bob.user.id].sort());
    // Bob had never talked to Alice: the DM waits for him as a request (issue 21 §4)...
    await bob.socket.nextOf("request.added", (e) => e.request.roomId === room.id);

    // ...and opening the DM with Alice himself finds the same conversation and accepts it.
    const again = await api(server, bob.user, "/api/dms", { json: { userIds: [alice.user.id] } });
    expect(again.status).toBe(200);
    expect(((await again.json()) as { room: { id: number } }).room.id).toBe(room.id);
    await bob.socket.nextOf("room.added", (e) => e.room.id === room.id);

    const reply = await alice.socket.post({ type: "message.post", roomId: room.id, clientId: uuid(), body: "psst" });
    const seen = await bob.socket.nextOf("message.created", (e) => e.message.id === reply.message.id);
    expect(seen.message.body).toBe("psst");
    await carol.socket.barrier();
    expect(carol.socket.of("message.created")).toHaveLength(0);
    expect(carol.socket.of("room.added")).toHaveLength(0);
    for (const s of [alice, bob, carol]) s.socket.close();
  });
});
