// The SQLite writer thread (src/db/sqlite/writer-thread.ts): while a commit is being made durable the
// event loop keeps answering everything that does not write — typing, history — and no acknowledgement
// leaves before its own commit; a writer that dies fails what it had not answered with internal_error,
// is replaced, and loses nothing that was acknowledged.
import { afterEach, beforeEach, expect, test } from "bun:test";
import type { SqliteStore } from "../../src/db/sqlite/store.ts";
import { startTestServer } from "../support/app.ts";
import { crashWriter, stallWriter } from "../support/commands.ts";
import { acceptInvitation, api, userWithSocket, uuid, type TestServer } from "../ws/client.ts";

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(() => server.stop());

async function room(owner: { cookie: string }, members: { id: number; cookie: string }[]) {
  const res = await api(server, owner, "/api/rooms", { json: { kind: "private", name: "durable", members: members.map((m) => m.id) } });
  const roomId = ((await res.json()) as { room: { id: number } }).room.id;
  // Strangers are asked first (issue 21 §4); the members accept, as they would.
  for (const member of members) await acceptInvitation(server, member, roomId);
  return roomId;
}

test("a pending commit holds back acks, not typing or history", async () => {
  const alice = await userWithSocket(server);
  const bob = await userWithSocket(server);
  const roomId = await room(alice.user, [bob.user]);
  await alice.socket.post({ type: "message.post", roomId, clientId: uuid(), body: "before the stall" });
  const order: string[] = [];
  // The writer is busy for a while, as on a slow disk: this batch's COMMIT comes late.
  const stall = server.store.write(stallWriter, 1500).then(() => order.push("stall committed"));
  await Bun.sleep(50);
  const clientId = uuid();
  const posted = alice.socket.post({ type: "message.post", roomId, clientId, body: "during the stall" }).then((reply) => {
    order.push("post acked");
    return reply;
  });
  await bob.socket.ok({ type: "typing.start", roomId });
  order.push("typing answered");
  const page = await bob.socket.ok({ type: "history", roomId });
  order.push("history answered");
  expect(page.messages.filter((m) => !m.event).map((m) => m.body)).toEqual(["before the stall"]);
  const reply = await posted;
  await stall;
  expect(order).toEqual(["typing answered", "history answered", "stall committed", "post acked"]);
  // Acknowledged means committed: the reader, which sees only committed rows, has it.
  expect(await server.sql.get("SELECT id FROM messages WHERE client_id = ?", clientId)).toEqual({ id: reply.message.id });
}, 30_000);

test("a writer that dies fails its unanswered batch, is replaced, and keeps what was acknowledged", async () => {
  const alice = await userWithSocket(server);
  const roomId = await room(alice.user, []);
  const kept = await alice.socket.post({ type: "message.post", roomId, clientId: uuid(), body: "acknowledged before the crash" });
  const store = server.store as SqliteStore;
  // Submitted in the same turn, so they share the batch the writer dies in.
  const crash = server.store.write(crashWriter, undefined).catch((error: Error) => error);
  const post = alice.socket.request({ type: "message.post", roomId, clientId: uuid(), body: "in the dying batch" });
  expect(await crash).toBeInstanceOf(Error);
  expect(await post).toMatchObject({ type: "error", code: "internal_error" });
  expect(store.writerThread!.restarts).toBe(1);
  // A new writer takes the next write.
  const after = await alice.socket.post({ type: "message.post", roomId, clientId: uuid(), body: "after the crash" });
  const history = await alice.socket.ok({ type: "history", roomId });
  const bodies = history.messages.map((m) => m.body);
  expect(bodies).toContain("acknowledged before the crash");
  expect(bodies).toContain("after the crash");
  expect(after.message.id).toBeGreaterThan(kept.message.id);
}, 30_000);
