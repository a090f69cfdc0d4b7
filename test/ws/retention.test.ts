// Retention: messages and files past the limit (server-wide, per room, disappearing messages) are
// deleted by the background job through the normal deletion path: gone from history and sync,
// announced to connected clients, their files unlinked, their text not left in the database file.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Message } from "../../src/protocol.ts";
import { PURGE_PACE } from "../../src/retention/retention.ts";
import { TEST_ENGINE } from "../support/engine.ts";
import { acceptInvitation, api, TestSocket, userWithSocket, uuid, type TestServer } from "./client.ts";
import { startTestServer } from "../support/app.ts";
import type { TestUser } from "../support/users.ts";

const DAY = 86_400_000;
let server: TestServer;
let owner: { user: TestUser; socket: TestSocket };
let member: { user: TestUser; socket: TestSocket };
let admin: TestUser;

beforeAll(async () => {
  // A bot-sized message rate: the backlog test posts more than one purge batch in a tight loop.
  server = await startTestServer({ config: { messageRate: 10_000 } });
  owner = await userWithSocket(server);
  member = await userWithSocket(server);
  admin = (await userWithSocket(server, { isAdmin: true })).user;
}, 30_000);
afterAll(() => server.stop());

const retention = () => server.app.decorator.services.retention;

async function newRoom(name: string): Promise<number> {
  const res = await api(server, owner.user, "/api/rooms", { json: { kind: "public", name, members: [member.user.id] } });
  const roomId = ((await res.json()) as { room: { id: number } }).room.id;
  await acceptInvitation(server, member.user, roomId);
  await member.socket.nextOf("room.added", (e) => e.room.id === roomId);
  return roomId;
}

async function post(roomId: number, body: string): Promise<Message> {
  return (await owner.socket.post({ type: "message.post", roomId, clientId: uuid(), body })).message;
}

/** Makes a message look `ageMs` old (the job compares created_at with the limits). */
const age = (id: number, ageMs: number) => server.sql.run("UPDATE messages SET created_at = ? WHERE id = ?", Date.now() - ageMs, id);
const age_file = (messageId: number, ageMs: number) => server.sql.run("UPDATE files SET created_at = ? WHERE message_id = ?", Date.now() - ageMs, messageId);

describe("server-wide retention", () => {
  test("forever by default: the job deletes nothing", async () => {
    const roomId = await newRoom("forever");
    const old = await post(roomId, "ancient but kept");
    await age(old.id, 3650 * DAY);
    expect((await retention().pass()).messages).toBe(0);
    const history = await member.socket.ok({ type: "history", roomId });
    expect(history.messages.map((m) => m.id)).toContain(old.id);
  });

  test("30 days: older messages leave history and sync, live clients hear it, newer ones stay", async () => {
    const roomId = await newRoom("thirty days");
    const old = await post(roomId, "RETENTION-MARKER-old-secret-text");
    const older = await post(roomId, "also past the limit");
    const recent = await post(roomId, "still fresh");
    await age(old.id, 31 * DAY);
    await age(older.id, 40 * DAY);
    const since = (await member.socket.ok({ type: "sync", rooms: [{ roomId, lastId: 0 }] })).changeSeq;

    const put = await api(server, admin, "/api/admin/retention", { method: "PUT", json: { messageDays: 30, fileDays: null } });
    expect(put.status).toBe(200);
    const result = await retention().pass();
    expect(result.messages).toBeGreaterThanOrEqual(1);

    // One frame for the batch, not one per message; its seq is the sync point past both deletions.
    const deleted = await member.socket.nextOf("messages.deleted", (e) => e.roomId === roomId);
    expect(deleted.messageIds.toSorted((a, b) => a - b)).toEqual([old.id, older.id]);
    await member.socket.barrier();
    expect(member.socket.of("message.deleted").filter((e) => e.roomId === roomId)).toEqual([]);
    const after = await member.socket.ok({ type: "sync", rooms: [{ roomId, lastId: recent.id }], since: deleted.seq });
    expect(after.changes.filter((m) => m.roomId === roomId)).toEqual([]);
    const history = await member.socket.ok({ type: "history", roomId });
    expect(history.messages.filter((m) => !m.event).map((m) => m.id)).toEqual([recent.id]);
    // A fresh client's sync does not bring it back; a client that had it learns of the deletion.
    const fresh = await member.socket.ok({ type: "sync", rooms: [{ roomId, lastId: 0 }] });
    expect(fresh.rooms[0]!.messages.filter((m) => !m.event).map((m) => m.id)).toEqual([recent.id]);
    const had = await member.socket.ok({ type: "sync", rooms: [{ roomId, lastId: recent.id }], since });
    for (const id of [old.id, older.id]) expect(had.changes.find((m) => m.id === id)).toMatchObject({ body: "", deletedAt: expect.any(Number) });

    // The text is gone from the database's files too (secure_delete, WAL truncated after the pass).
    if (TEST_ENGINE === "sqlite") {
      const path = join(server.dataDir, "vaultroom.db");
      for (const file of [path, `${path}-wal`]) {
        if (existsSync(file)) expect(readFileSync(file).includes("RETENTION-MARKER-old-secret-text")).toBe(false);
      }
    }
    const audit = await server.app.decorator.services.accounts.audit.list({ event: "retention_changed" });
    expect(audit[0]).toMatchObject({ actorId: admin.id, target: "server", detail: { messageDays: 30, fileDays: null } });
    await api(server, admin, "/api/admin/retention", { method: "PUT", json: { messageDays: null, fileDays: null } });
  });

  test("a backlog larger than one batch is purged whole in one pass", async () => {
    const roomId = await newRoom("backlog");
    // More than the purge's first batch (PURGE_PACE.initial): the pass must go on past a full batch.
    const count = PURGE_PACE.initial + 50;
    for (let i = 0; i < count; i++) await post(roomId, `old ${i}`);
    await server.sql.run("UPDATE messages SET created_at = ? WHERE room_id = ? AND body LIKE 'old %'", Date.now() - 40 * DAY, roomId);
    await api(server, owner.user, `/api/rooms/${roomId}/retention`, { method: "PUT", json: { retentionDays: 30, disappearHours: null } });
    expect((await retention().pass()).messages).toBe(count);
    const history = await member.socket.ok({ type: "history", roomId });
    expect(history.messages.filter((m) => m.body.startsWith("old "))).toEqual([]);
  });
});

describe("per-room retention and disappearing messages", () => {
  test("a room's own limit and its disappearing delay apply to it alone; only its owner sets them", async () => {
    const roomId = await newRoom("disappearing");
    const elsewhere = await newRoom("not disappearing");
    const m1 = await post(roomId, "two hours old");
    const m2 = await post(roomId, "just now");
    const m3 = await post(elsewhere, "two hours old, elsewhere");
    await age(m1.id, 2 * 3600_000);
    await age(m3.id, 2 * 3600_000);

    const refused = await api(server, member.user, `/api/rooms/${roomId}/retention`, { method: "PUT", json: { retentionDays: null, disappearHours: 1 } });
    expect(refused.status).toBe(403);
    const set = await api(server, owner.user, `/api/rooms/${roomId}/retention`, { method: "PUT", json: { retentionDays: null, disappearHours: 1 } });
    expect(set.status).toBe(200);
    expect(await (await api(server, member.user, `/api/rooms/${roomId}/retention`)).json()).toMatchObject({ disappearHours: 1, retentionDays: null });

    await retention().pass();
    await member.socket.nextOf("messages.deleted", (e) => e.messageIds.includes(m1.id));
    const history = await member.socket.ok({ type: "history", roomId });
    expect(history.messages.filter((m) => !m.event).map((m) => m.id)).toEqual([m2.id]);
    const other = await member.socket.ok({ type: "history", roomId: elsewhere });
    expect(other.messages.filter((m) => !m.event).map((m) => m.id)).toEqual([m3.id]);
  });
});

describe("file retention", () => {
  test("old files are unlinked; a file-only message goes, a captioned one keeps its caption", async () => {
    const roomId = await newRoom("files");
    const upload = async (caption: string) => {
      const res = await fetch(`${server.url}/api/rooms/${roomId}/files?name=a.txt&caption=${encodeURIComponent(caption)}&clientId=${uuid()}`, {
        method: "POST",
        headers: { cookie: owner.user.cookie, origin: server.origin, "content-type": "application/octet-stream" },
        body: "file content " + caption,
        tls: { rejectUnauthorized: false },
      });
      expect(res.status).toBe(201);
      return ((await res.json()) as { message: Message }).message;
    };
    const bare = await upload("");
    const captioned = await upload("keep this caption");
    await age_file(bare.id, 10 * DAY);
    await age_file(captioned.id, 10 * DAY);
    const filesDir = server.deps.config.filesDir;
    expect(existsSync(join(filesDir, bare.attachment!.id))).toBe(true);

    await api(server, admin, "/api/admin/retention", { method: "PUT", json: { messageDays: null, fileDays: 7 } });
    const result = await retention().pass();
    expect(result.files).toBe(2);
    // Announced like messages' retention: in one batch frame, not a frame per message.
    await member.socket.nextOf("messages.deleted", (e) => e.messageIds.includes(bare.id));
    const updated = await member.socket.nextOf("message.updated", (e) => e.message.id === captioned.id);
    expect(updated.message.attachment).toBeUndefined();
    expect(updated.message.body).toBe("keep this caption");
    expect(existsSync(join(filesDir, bare.attachment!.id))).toBe(false);
    expect(existsSync(join(filesDir, captioned.attachment!.id))).toBe(false);
    const download = await api(server, member.user, `/api/files/${captioned.attachment!.id}`);
    expect(download.status).toBe(404);
    await api(server, admin, "/api/admin/retention", { method: "PUT", json: { messageDays: null, fileDays: null } });
  });
});

describe("file retention, a backlog", () => {
  test("more old files than one batch are all removed in one pass", async () => {
    const roomId = await newRoom("file backlog");
    const count = PURGE_PACE.initial + 50;
    for (let i = 0; i < count; i++) {
      const res = await fetch(`${server.url}/api/rooms/${roomId}/files?name=f${i}.txt&caption=&clientId=${uuid()}`, {
        method: "POST",
        headers: { cookie: owner.user.cookie, origin: server.origin, "content-type": "application/octet-stream" },
        body: `bytes ${i}`,
        tls: { rejectUnauthorized: false },
      });
      expect(res.status).toBe(201);
    }
    await server.sql.run("UPDATE files SET created_at = ? WHERE message_id IN (SELECT id FROM messages WHERE room_id = ?)", Date.now() - 10 * DAY, roomId);
    await api(server, admin, "/api/admin/retention", { method: "PUT", json: { messageDays: null, fileDays: 7 } });
    try {
      expect(await retention().pass()).toEqual({ files: count, messages: count });
      expect(await server.sql.get("SELECT count(*) AS n FROM files f JOIN messages m ON m.id = f.message_id WHERE m.room_id = ?", roomId)).toEqual({ n: 0 });
    } finally {
      await api(server, admin, "/api/admin/retention", { method: "PUT", json: { messageDays: null, fileDays: null } });
    }
  });
});

describe("retention and the rest of a conversation", () => {
  test("a thread losing replies in one batch shows the right count and last reply at once", async () => {
    const roomId = await newRoom("threads expire");
    const root = await post(roomId, "root stays");
    const reply = async (body: string) =>
      (await owner.socket.post({ type: "message.post", roomId, clientId: uuid(), body, threadRootId: root.id })).message;
    const old1 = await reply("old reply one");
    const old2 = await reply("old reply two");
    const fresh = await reply("fresh reply");
    await age(root.id, 1 * DAY);
    await age(old1.id, 40 * DAY);
    await age(old2.id, 40 * DAY);
    await api(server, owner.user, `/api/rooms/${roomId}/retention`, { method: "PUT", json: { retentionDays: 30, disappearHours: null } });
    await retention().pass();
    await member.socket.nextOf("messages.deleted", (e) => e.roomId === roomId && e.messageIds.includes(old1.id) && e.messageIds.includes(old2.id));
    const updated = await member.socket.nextOf("thread.updated", (e) => e.rootId === root.id && "thread" in e);
    const thread = "thread" in updated ? updated.thread : null;
    expect([thread?.replyCount, thread?.lastReplyId]).toEqual([1, fresh.id]);
    const history = await member.socket.ok({ type: "history", roomId });
    expect(history.messages.find((m) => m.id === root.id)?.thread?.replyCount).toBe(1);
  });

  test("one of a message's files expiring leaves the message and its other file", async () => {
    const roomId = await newRoom("two files");
    const stage = async (name: string) => {
      const res = await fetch(`${server.url}/api/rooms/${roomId}/uploads?name=${name}`, {
        method: "POST",
        headers: { cookie: owner.user.cookie, origin: server.origin, "content-type": "application/octet-stream" },
        body: "bytes of " + name,
        tls: { rejectUnauthorized: false },
      });
      expect(res.status).toBe(201);
      return ((await res.json()) as { upload: { id: string } }).upload.id;
    };
    const oldFile = await stage("old.txt");
    const newFile = await stage("new.txt");
    const sent = await api(server, owner.user, `/api/rooms/${roomId}/messages`, { json: { clientId: uuid(), body: "", attachments: [oldFile, newFile] } });
    expect(sent.status).toBe(201);
    const message = ((await sent.json()) as { message: Message }).message;
    await server.sql.run("UPDATE files SET created_at = ? WHERE id = ?", Date.now() - 10 * DAY, oldFile);
    await api(server, admin, "/api/admin/retention", { method: "PUT", json: { messageDays: null, fileDays: 7 } });
    try {
      expect((await retention().pass()).files).toBe(1);
      const updated = await member.socket.nextOf("message.updated", (e) => e.message.id === message.id);
      expect((updated.message.attachments ?? []).map((file) => file.name)).toEqual(["new.txt"]);
      const history = await member.socket.ok({ type: "history", roomId });
      expect(history.messages.find((m) => m.id === message.id)?.deletedAt).toBeUndefined();
      // The expired file's bytes are unlinked even though no message was deleted in this pass.
      expect(existsSync(join(server.deps.config.filesDir, oldFile))).toBe(false);
      expect(existsSync(join(server.deps.config.filesDir, newFile))).toBe(true);
    } finally {
      await api(server, admin, "/api/admin/retention", { method: "PUT", json: { messageDays: null, fileDays: null } });
    }
  });
});

describe("the retention job", () => {
  test("passes once as soon as it starts, and again as soon as a limit changes while it runs", async () => {
    const roomId = await newRoom("restarts often");
    const old = await post(roomId, "past the room's limit");
    await age(old.id, 40 * DAY);
    // The limit as a server finds it when it starts (saved before a restart).
    await server.sql.run("UPDATE rooms SET retention_days = 30 WHERE id = ?", roomId);
    // A timer far away: only the pass made at start, then the one a change asks for, can delete anything.
    retention().start(3_600_000);
    try {
      await member.socket.nextOf("messages.deleted", (e) => e.messageIds.includes(old.id));
      const hourOld = await post(roomId, "two hours old");
      await age(hourOld.id, 2 * 3600_000);
      const set = await api(server, owner.user, `/api/rooms/${roomId}/retention`, { method: "PUT", json: { retentionDays: 30, disappearHours: 1 } });
      expect(set.status).toBe(200);
      await member.socket.nextOf("messages.deleted", (e) => e.messageIds.includes(hourOld.id));
    } finally {
      await retention().stop();
    }
  }, 20_000);
});
