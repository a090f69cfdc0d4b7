// Pins over the socket and HTTP: members pin and unpin (in a public room set to "owners", only its
// owners), live for the room, idempotent, listed for the header, at most 50 per room, gone with the
// message, and not for anyone outside the room.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { MAX_PINS_PER_ROOM, type Message, type PinReply } from "../../src/protocol.ts";
import { startTestServer } from "../support/app.ts";
import { api, uuid, type TestServer } from "./client.ts";
import { fingerprint, people, post, roomOf } from "./conversation-helpers.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
}, 30_000);
afterAll(() => server.stop());

const pinsOf = async (user: { cookie: string }, roomId: number) =>
  ((await (await api(server, user, `/api/rooms/${roomId}/pins`)).json()) as { pins: Message[] }).pins;

describe("pinning", () => {
  test("is live for the room, idempotent, listed most recent first, and undone by unpinning", async () => {
    const [alice, bob] = await people(server, 2);
    const roomId = await roomOf(server, alice!, [bob!]);
    const first = await post(alice!, roomId, "The agenda");
    const second = await post(alice!, roomId, "The minutes");
    const pinned = await bob!.socket.ok({ type: "message.pin", messageId: first.id });
    expect(pinned.pinned).toMatchObject({ by: { id: bob!.user.id, username: bob!.user.username } });
    const live = await alice!.socket.nextOf("message.pinned", (e) => e.messageId === first.id);
    expect(live).toMatchObject({ roomId, pinned: { by: { id: bob!.user.id } } });
    const before = await fingerprint(server);
    const again = await alice!.socket.ok({ type: "message.pin", messageId: first.id });
    expect(again.pinned).toMatchObject({ by: { id: bob!.user.id } });
    expect(await fingerprint(server)).toEqual(before);

    const http = await api(server, alice!.user, `/api/messages/${second.id}/pin`, { method: "PUT" });
    expect(http.status).toBe(200);
    expect(((await http.json()) as PinReply).pinned).toMatchObject({ by: { id: alice!.user.id } });
    expect((await pinsOf(bob!.user, roomId)).map((m) => m.id)).toEqual([second.id, first.id]);
    const page = await bob!.socket.ok({ type: "history", roomId });
    expect(page.messages.find((m) => m.id === first.id)!.pinned).toMatchObject({ by: { id: bob!.user.id } });

    await alice!.socket.ok({ type: "message.unpin", messageId: first.id });
    await bob!.socket.nextOf("message.unpinned", (e) => e.messageId === first.id);
    const quiet = await fingerprint(server);
    expect((await bob!.socket.ok({ type: "message.unpin", messageId: first.id })).pinned).toBeNull();
    expect(await fingerprint(server)).toEqual(quiet);
    expect((await pinsOf(alice!.user, roomId)).map((m) => m.id)).toEqual([second.id]);
    // Deleting a pinned message unpins it.
    await alice!.socket.ok({ type: "message.delete", messageId: second.id });
    await bob!.socket.nextOf("message.unpinned", (e) => e.messageId === second.id);
    expect(await pinsOf(alice!.user, roomId)).toEqual([]);
  });

  test("in a public room the owner may keep to owners only; members may not pin then", async () => {
    const [owner, member] = await people(server, 2);
    const roomId = await roomOf(server, owner!, [member!], "public");
    const message = await post(member!, roomId, "pin me");
    expect((await api(server, member!.user, `/api/rooms/${roomId}`, { method: "PATCH", json: { pinPolicy: "owners" } })).status).toBe(403);
    const changed = await api(server, owner!.user, `/api/rooms/${roomId}`, { method: "PATCH", json: { pinPolicy: "owners" } });
    expect(await changed.json()).toMatchObject({ room: { pinPolicy: "owners" } });
    await member!.socket.nextOf("room.updated", (e) => e.room.id === roomId && e.room.pinPolicy === "owners");
    const before = await fingerprint(server);
    expect(await member!.socket.request({ type: "message.pin", messageId: message.id })).toMatchObject({ code: "not_allowed" });
    expect(await fingerprint(server)).toEqual(before);
    await owner!.socket.ok({ type: "message.pin", messageId: message.id });
    expect(await member!.socket.request({ type: "message.unpin", messageId: message.id })).toMatchObject({ code: "not_allowed" });
    // Private rooms have no such setting: every member pins.
    const privateRoom = await roomOf(server, owner!, [member!]);
    const refused = await api(server, owner!.user, `/api/rooms/${privateRoom}`, { method: "PATCH", json: { pinPolicy: "owners" } });
    expect(refused.status).toBe(400);
  });

  test("a room holds at most 50 pins: the 51st is refused until one is unpinned", async () => {
    const [alice] = await people(server, 1);
    const roomId = await roomOf(server, alice!, []);
    // Straight into the database: far more messages than the rate limits let one person post at once.
    const ids: number[] = [];
    for (let i = 0; i <= MAX_PINS_PER_ROOM; i++) {
      const [row] = await server.sql.write<{ id: number }>(
        "INSERT INTO messages (room_id, author_id, client_id, body, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
        roomId,
        alice!.user.id,
        uuid(),
        `pin ${i}`,
        Date.now(),
      );
      ids.push(row!.id);
    }
    await server.sql.run("UPDATE messages SET pinned_at = ?, pinned_by = ? WHERE room_id = ? AND id < ?", Date.now(), alice!.user.id, roomId, ids.at(-2)!);
    // The 50th through the API, then the 51st.
    await alice!.socket.ok({ type: "message.pin", messageId: ids.at(-2)! });
    expect(await pinsOf(alice!.user, roomId)).toHaveLength(MAX_PINS_PER_ROOM);
    const before = await fingerprint(server);
    expect(await alice!.socket.request({ type: "message.pin", messageId: ids.at(-1)! })).toMatchObject({ code: "too_many_pins" });
    const http = await api(server, alice!.user, `/api/messages/${ids.at(-1)!}/pin`, { method: "PUT" });
    expect(http.status).toBe(409);
    expect(await http.json()).toMatchObject({ error: "too_many_pins" });
    expect(await fingerprint(server)).toEqual(before);
    await alice!.socket.ok({ type: "message.unpin", messageId: ids[0]! });
    await alice!.socket.ok({ type: "message.pin", messageId: ids.at(-1)! });
  });

  test("in a room I left, or was never in, is not found and writes nothing", async () => {
    const [alice, bob, mallory] = await people(server, 3);
    const roomId = await roomOf(server, alice!, [bob!], "public");
    const message = await post(alice!, roomId, "pinnable");
    const before = await fingerprint(server);
    expect(await mallory!.socket.request({ type: "message.pin", messageId: message.id })).toMatchObject({ code: "message_not_found" });
    expect((await api(server, mallory!.user, `/api/messages/${message.id}/pin`, { method: "PUT" })).status).toBe(404);
    expect((await api(server, mallory!.user, `/api/rooms/${roomId}/pins`)).status).toBe(404);
    expect(await fingerprint(server)).toEqual(before);

    await bob!.socket.ok({ type: "room.leave", roomId });
    const afterLeaving = await fingerprint(server);
    expect(await bob!.socket.request({ type: "message.pin", messageId: message.id })).toMatchObject({ code: "message_not_found" });
    expect(await bob!.socket.request({ type: "message.unpin", messageId: message.id })).toMatchObject({ code: "message_not_found" });
    expect((await api(server, bob!.user, `/api/rooms/${roomId}/pins`)).status).toBe(404);
    expect(await fingerprint(server)).toEqual(afterLeaving);
  });
});
