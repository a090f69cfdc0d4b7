// Stopping the server: sockets are told 1001 "going away", and whatever was queued for writing is
// committed before the database closes.
import { expect, test } from "bun:test";
import { openStore } from "../../src/db/open-store.ts";
import { startTestServer } from "../support/app.ts";
import { testSql } from "../support/sql.ts";
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
    { userId: user.id, sessionId: user.sessionId, username: user.username, displayName: null, isAdmin: false, mustChangePassword: false, mustEnrolSecondFactor: false },
    { roomId: room.id, clientId, body: "said just before the stop" },
  );
  // The server's stop (server.ts): stop serving, then close the store, which writes what is queued first.
  await server.app.stop(true);
  expect((await socket.closed).code).toBe(1001);
  await server.store.close();
  expect((await pending).message.body).toBe("said just before the stop");
  await expect(chat.messages.post({ userId: user.id } as never, { roomId: room.id, clientId: uuid(), body: "too late" })).rejects.toMatchObject({
    code: "shutting_down",
  });
  // Opened afresh, the database holds the message: it was committed before the close.
  const reopened = await openStore(server.deps.config);
  try {
    const row = await testSql(reopened).get<{ body: string }>("SELECT body FROM messages WHERE client_id = ?", clientId);
    expect(row?.body).toBe("said just before the stop");
  } finally {
    await reopened.close();
  }
  await server.close();
}, 30_000);
