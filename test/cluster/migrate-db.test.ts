// Moving an existing server to Postgres with one command: a data directory made by this release
// (accounts, a room, a DM, messages, an edit, a deletion, a file, read marks, the audit trail, a
// thread, a reaction, a pin, a quote, a pending invitation, a block, a staged file) is
// copied with `vaultroom migrate-db`, and the Postgres-mode server then shows the same history,
// unread counts and files to the same, still logged-in, sessions.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { Database } from "bun:sqlite";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BINARY, startBinary, type RunningBinary } from "../support/binary.ts";
import { uuid } from "../ws/client.ts";
import { call, publicRoom, register, socketOn, type Person } from "./client.ts";
import { startServices, type Services } from "./services.ts";

setDefaultTimeout(60_000);

let services: Services;
beforeAll(async () => {
  services = await startServices();
});
afterAll(async () => {
  await services?.stop();
});

const run = (args: string[]) => {
  const result = Bun.spawnSync([BINARY, ...args], { stdout: "pipe", stderr: "pipe", env: { PATH: process.env.PATH ?? "/usr/bin:/bin" } });
  return { code: result.exitCode, out: result.stdout.toString(), err: result.stderr.toString() };
};

interface View {
  rooms: { id: number; name: string; unread: number; lastMessageId: number; memberCount: number }[];
  history: Record<number, { id: number; body: string; editedAt?: number; attachment?: { id: string; sha256: string } }[]>;
}

async function viewOf(node: RunningBinary, person: Person): Promise<View> {
  const rooms = ((await (await call(node, "/api/rooms", { cookie: person.cookie })).json()) as { rooms: View["rooms"] }).rooms;
  const history: View["history"] = {};
  for (const room of rooms) {
    history[room.id] = ((await (await call(node, `/api/rooms/${room.id}/messages?limit=100`, { cookie: person.cookie })).json()) as { messages: View["history"][number] }).messages;
  }
  return {
    rooms: rooms.map(({ id, name, unread, lastMessageId, memberCount }) => ({ id, name, unread, lastMessageId, memberCount })),
    history,
  };
}

describe("vaultroom migrate-db", () => {
  test("an SQLite server moves to Postgres with its history, unread counts, files and sessions", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vaultroom-migrate-"));
    const dataDir = join(dir, "data");
    const lone = await startBinary({ args: ["--data", dataDir] });
    const alice = await register(lone);
    const bob = await register(lone);
    const roomId = await publicRoom(lone, alice, [bob]);
    const onA = await socketOn(lone, alice);
    const ids: number[] = [];
    for (let i = 0; i < 12; i++) ids.push((await onA.post({ type: "message.post", roomId, clientId: uuid(), body: `message ${i}` })).message.id);
    await onA.ok({ type: "message.edit", messageId: ids[3]!, body: "message 3, edited" });
    await onA.ok({ type: "message.delete", messageId: ids[4]! });
    const dm = (await (await call(lone, "/api/dms", { json: { userIds: [bob.id] }, cookie: alice.cookie })).json()) as { room: { id: number } };
    expect((await call(lone, `/api/requests/${dm.room.id}/accept`, { method: "POST", cookie: bob.cookie })).status).toBe(200);
    await onA.post({ type: "message.post", roomId: dm.room.id, clientId: uuid(), body: "just between us" });
    const bytes = new TextEncoder().encode("the quarterly numbers\n".repeat(200));
    const upload = await fetch(`${lone.url}/api/rooms/${roomId}/files?name=numbers.txt&clientId=${uuid()}`, {
      method: "POST",
      headers: { origin: lone.url, cookie: alice.cookie, "content-type": "application/octet-stream" },
      body: bytes,
      tls: { rejectUnauthorized: false },
    });
    expect(upload.status).toBe(201);
    // Round 2's conversations: a thread reply, a reaction, a pin, a quote-reply.
    await onA.post({ type: "message.post", roomId, clientId: uuid(), body: "in the thread", threadRootId: ids[0]! });
    await onA.ok({ type: "reaction.add", messageId: ids[1]!, emoji: "👍" });
    await onA.ok({ type: "message.pin", messageId: ids[2]! });
    await onA.post({ type: "message.post", roomId, clientId: uuid(), body: "quoting", quoteId: ids[5]! });
    // Consent and safety: Carol is asked into a private room and has not answered; Bob blocked Carol.
    const carol = await register(lone);
    const privateRoom = (await (await call(lone, "/api/rooms", { json: { kind: "private", name: "plans", members: [carol.id] }, cookie: alice.cookie })).json()) as { requested: number[] };
    expect(privateRoom.requested).toEqual([carol.id]);
    expect((await call(lone, `/api/blocks/${carol.id}`, { method: "PUT", cookie: bob.cookie })).status).toBe(200);
    // Bob has read part of the room.
    const read = await call(lone, `/api/rooms/${roomId}/read`, { json: { messageId: ids[6] }, cookie: bob.cookie });
    expect(read.status).toBe(200);
    onA.close();
    const before = { alice: await viewOf(lone, alice), bob: await viewOf(lone, bob) };
    expect(before.bob.rooms.find((r) => r.id === roomId)!.unread).toBeGreaterThan(0);
    const kept = dataDir;
    await lone.kill("SIGTERM");

    const database = await services.freshDatabase();
    const migrated = run(["migrate-db", "--data", kept, "--to", database]);
    expect(migrated.err).toBe("");
    expect(migrated.code).toBe(0);
    expect(migrated.out).toContain("Verified");
    // Every row of every data table, counted in the SQLite file itself.
    const sqlite = new Database(join(kept, "vaultroom.db"), { readonly: true });
    const rows = (table: string) => sqlite.query<{ n: number }, []>(`SELECT count(*) AS n FROM ${table}`).get()!.n;
    for (const table of ["messages", "reactions", "thread_follows", "room_requests", "user_blocks", "audit_checkpoints"]) {
      expect({ table, copied: new RegExp(`\\n  ${table}\\s+${rows(table)}\\s`).test(migrated.out) }).toEqual({ table, copied: true });
    }
    expect(rows("reactions")).toBe(1);
    expect(rows("room_requests")).toBe(1);
    expect(rows("user_blocks")).toBe(1);
    sqlite.close();
    // A second run refuses: the target is no longer empty.
    const again = run(["migrate-db", "--data", kept, "--to", database]);
    expect(again.code).toBe(2);
    expect(again.err).toContain("not empty");

    // As the command says: the same files, and the secrets file that sealed the data.
    expect(migrated.out).toContain(`--secrets-file ${join(kept, "secrets.json")}`);
    const node = await startBinary({ args: ["--database", database, "--redis", services.redis, "--files", join(kept, "files"), "--secrets-file", join(kept, "secrets.json")] });
    try {
      // The same cookies still work: the session key moved with the data.
      const after = { alice: await viewOf(node, alice), bob: await viewOf(node, bob) };
      expect(after).toEqual(before);
      // The thread, the reaction and the pin came along (the views compare whole messages).
      const moved = after.alice.history[roomId]! as unknown as { id: number; thread?: { replyCount: number }; reactions?: unknown[]; pinned?: unknown }[];
      expect(moved.find((m) => m.id === ids[0])?.thread?.replyCount).toBe(1);
      expect(moved.find((m) => m.id === ids[1])?.reactions).toHaveLength(1);
      expect(moved.find((m) => m.id === ids[2])?.pinned).toBeDefined();
      // Carol's invitation is still waiting for her answer.
      const requests = (await (await call(node, "/api/requests", { cookie: carol.cookie })).json()) as { requests: unknown[] };
      expect(requests.requests).toHaveLength(1);
      // Search works on the new engine: the index is built again from the messages.
      let found: { results: unknown[] } = { results: [] };
      for (let i = 0; i < 50 && found.results.length === 0; i++) {
        found = (await (await call(node, `/api/search?q=${encodeURIComponent("between us")}`, { cookie: alice.cookie })).json()) as { results: unknown[] };
        if (found.results.length === 0) await Bun.sleep(100);
      }
      expect(found.results).toHaveLength(1);
      const file = after.alice.history[roomId]!.find((m) => m.attachment)!.attachment!;
      const download = await call(node, `/api/files/${file.id}`, { cookie: bob.cookie });
      expect(download.status).toBe(200);
      expect(new Uint8Array(await download.arrayBuffer())).toEqual(bytes);
      // New messages get larger ids than every migrated one.
      const onNode = await socketOn(node, alice);
      const next = await onNode.post({ type: "message.post", roomId, clientId: uuid(), body: "first on Postgres" });
      expect(next.message.id).toBeGreaterThan(Math.max(...ids));
      onNode.close();
    } finally {
      await node.stop();
    }
  });
});
