import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startTestServer } from "../support/app.ts";
import { TestSocket, userWithSocket, type TestServer, acceptInvitation } from "../ws/client.ts";
import { PNG_1PX, uploadPath } from "./files-helpers.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

async function dmBetween(a: { cookie: string }, bUserId: number): Promise<number> {
  const response = await fetch(server.url + "/api/dms", {
    method: "POST",
    body: JSON.stringify({ userIds: [bUserId] }),
    headers: { cookie: a.cookie, origin: server.origin, "content-type": "application/json" },
    tls: { rejectUnauthorized: false },
  } as RequestInit);
  return ((await response.json()) as { room: { id: number } }).room.id;
}

describe("a shared file appears live, as a message with the file attached", () => {
  test("in a DM, the other person receives message.created with the attachment, after the upload committed", async () => {
    const alice = await userWithSocket(server);
    const bob = await userWithSocket(server);
    const carol = await userWithSocket(server);
    const roomId = await dmBetween(alice.user, bob.user.id);
    await acceptInvitation(server, bob.user, roomId);
    await bob.socket.nextOf("room.added", (e) => e.room.id === roomId);

    const clientId = crypto.randomUUID();
    const response = await fetch(server.url + uploadPath(roomId, { name: "holiday.png", caption: "look!", clientId }), {
      method: "POST",
      body: PNG_1PX,
      headers: { cookie: alice.user.cookie, origin: server.origin },
      tls: { rejectUnauthorized: false },
    } as RequestInit);
    expect(response.status).toBe(201);
    const { message } = (await response.json()) as { message: { id: number } };

    const seen = await bob.socket.nextOf("message.created", (e) => e.message.clientId === clientId);
    expect(seen.message).toEqual((await alice.socket.nextOf("message.created", (e) => e.message.clientId === clientId)).message);
    expect(seen.message).toMatchObject({ id: message.id, body: "look!", author: { id: alice.user.id } });
    expect(seen.message.attachment).toMatchObject({ name: "holiday.png", type: "image/png", image: true, size: PNG_1PX.byteLength });

    // The row is committed by the time anyone hears of it: Bob can fetch it straight away.
    const image = await fetch(`${server.url}/api/files/${seen.message.attachment!.id}?inline=1`, {
      headers: { cookie: bob.user.cookie },
      tls: { rejectUnauthorized: false },
    } as RequestInit);
    expect(image.status).toBe(200);
    expect(new Uint8Array(await image.arrayBuffer())).toEqual(PNG_1PX);

    await carol.socket.barrier();
    expect(carol.socket.of("message.created")).toHaveLength(0);

    // A reconnecting client gets the attachment with the messages it missed.
    const again = await TestSocket.connect(server, bob.user.cookie);
    const sync = await again.ok({ type: "sync", rooms: [{ roomId, lastId: message.id - 1 }] });
    expect(sync.rooms[0]!.messages[0]!.attachment?.id).toBe(seen.message.attachment!.id);
    for (const socket of [alice.socket, bob.socket, carol.socket, again]) socket.close();
  });
});
