// Stopping the server: sockets are told 1001 "going away", and whatever was queued for writing is
// committed before the database closes.
import { expect, test } from "bun:test";
import { startTestServer } from "../support/app.ts";
import { api, userWithSocket, uuid } from "./client.ts";

test("a graceful stop closes sockets with 1001 and writes every queued message first", async () => {
  const server = await startTestServer();
  const { user, socket } = await userWithSocket(server);
  const res = await api(server, user, "/api/rooms", { json: { kind: "private", name: "last words" } });
  const { room } = (await res.json()) as { room: { id: number } };
  const clientId = uuid();
  // Queue a message on the server, then stop before the queue's turn comes.
  const chat = server.app.decorator.chat;
  const pending = chat.messages.post(
    { userId: user.id, sessionId: user.sessionId, username: user.username, displayName: null, isAdmin: false, mustChangePassword: false },
    { roomId: room.id, clientId, body: "said just before the stop" },
  );
  await server.app.stop(true);
  expect((await socket.closed).code).toBe(1001);
  await pending;
  const row = server.deps.db.query("SELECT body FROM messages WHERE client_id = ?").get(clientId) as { body: string } | null;
  expect(row?.body).toBe("said just before the stop");
  await expect(chat.messages.post({ userId: user.id } as never, { roomId: room.id, clientId: uuid(), body: "too late" })).rejects.toMatchObject({
    code: "shutting_down",
  });
  server.close();
}, 30_000);
