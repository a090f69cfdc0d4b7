// U+0000 is refused at every edge, in both engines alike (src/text/nul.ts): Postgres text cannot
// hold it, and before this a NUL in a post was stored on SQLite but answered 500 on a cluster —
// after aborting the whole group commit, which was then redone post by post for everyone in it.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { startTestServer } from "../support/app.ts";
import { api, userWithSocket, uuid, type TestServer } from "./client.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
}, 30_000);
afterAll(() => server.stop());

const NUL = "Text cannot contain the NUL character (U+0000).";

async function ownRoom(user: { cookie: string }): Promise<number> {
  const res = await api(server, user, "/api/rooms", { json: { name: `nul-${uuid().slice(0, 8)}`, kind: "private" } });
  expect(res.status).toBe(201);
  return ((await res.json()) as { room: { id: number } }).room.id;
}

test("a post with a NUL is refused with a clear error on the socket and over HTTP, and nothing is stored", async () => {
  const { user, socket } = await userWithSocket(server);
  const roomId = await ownRoom(user);
  for (const body of ["a\u0000b", "\u0000", "end\u0000"]) {
    expect(await socket.request({ type: "message.post", roomId, clientId: uuid(), body })).toMatchObject({ type: "error", code: "invalid_request", message: NUL });
    const res = await api(server, user, `/api/rooms/${roomId}/messages`, { json: { clientId: uuid(), body } });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: "invalid_request", message: NUL });
  }
  // The socket goes on, and the six characters "\u0000" typed as text are ordinary text.
  const typed = await socket.post({ type: "message.post", roomId, clientId: uuid(), body: "escape: \\u0000 and \\\\u0000" });
  expect(typed.message.body).toBe("escape: \\u0000 and \\\\u0000");
  const history = await api(server, user, `/api/rooms/${roomId}/messages`);
  expect(((await history.json()) as { messages: { body: string }[] }).messages.map((m) => m.body)).toEqual(["escape: \\u0000 and \\\\u0000"]);
  socket.close();
});

test("a NUL anywhere a client sends text — a key, a query string, a path — is refused, never a 500", async () => {
  const { user, socket } = await userWithSocket(server);
  expect(await socket.request({ type: "typing.start", roomId: 1, ["x\u0000"]: 1 } as never)).toMatchObject({ type: "error", code: "invalid_request", message: NUL });
  for (const path of ["/api/users?query=a%00b", "/api/rooms/public?query=%00", "/api/search?q=hello%00", "/api/rooms/1%00/messages"]) {
    const res = await api(server, user, path);
    expect({ path, status: res.status, body: await res.json() }).toEqual({ path, status: 400, body: { error: "invalid_request", message: NUL } });
  }
  const res = await api(server, user, "/api/account", { method: "PATCH", json: { displayName: "Ann\u0000" } });
  expect({ status: res.status, body: await res.json() }).toEqual({ status: 400, body: { error: "invalid_request", message: NUL } });
  socket.close();
});
