import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { unzipSync, strFromU8 } from "fflate";
import { STALE_MS } from "../../src/exports/export-jobs.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import { createTestUser, type TestUser } from "../support/users.ts";
import { auditRows } from "./accounts-helpers.ts";
import { errorOf, privateRoom, sendJson, uploaded } from "./files-helpers.ts";

async function post(app: TestApp, user: TestUser, roomId: number, body: string) {
  const response = await sendJson(app, user, "POST", `/api/rooms/${roomId}/messages`, { clientId: crypto.randomUUID(), body });
  if (response.status !== 201) throw new Error(`post: ${response.status} ${await response.text()}`);
}

async function readyZip(app: TestApp, user: TestUser, id: string) {
  await app.nodes.map((node) => node.decorator.services.exports).reduce((all, each) => all.then(() => each.settled()), Promise.resolve());
  const response = await app.request(`/api/account/exports/${id}/download`, { cookie: user.cookie });
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toBe("application/zip");
  expect(response.headers.get("content-disposition")).toStartWith("attachment;");
  return unzipSync(new Uint8Array(await response.arrayBuffer()));
}

const json = (zip: Record<string, Uint8Array>, path: string) => JSON.parse(strFromU8(zip[path]!)) as unknown;

describe("exporting my data", () => {
  let app: TestApp;
  let alice: TestUser;
  let bob: TestUser;
  let carol: TestUser;
  let admin: TestUser;
  let shared = 0;
  let secret = 0;
  let dm = 0;
  afterAll(() => app.close());
  beforeAll(async () => {
    app = await createTestApp();
    admin = await createTestUser(app.deps, { isAdmin: true, username: "root_admin" });
    alice = await createTestUser(app.deps, { username: "alice" });
    bob = await createTestUser(app.deps, { username: "bob" });
    carol = await createTestUser(app.deps, { username: "carol" });
    shared = await privateRoom(app, alice, [bob]);
    secret = await privateRoom(app, bob, [carol]);
    const opened = await sendJson(app, alice, "POST", "/api/dms", { userIds: [bob.id] });
    dm = ((await opened.json()) as { room: { id: number } }).room.id;
    await post(app, alice, shared, "alice says hi in the shared room");
    await post(app, bob, shared, "bob's words in the shared room");
    await post(app, bob, secret, "bob and carol only");
    await post(app, alice, dm, "alice to bob privately");
    await post(app, bob, dm, "bob to alice privately");
    await uploaded(app, alice, shared, new TextEncoder().encode("alice's notes"), { name: "notes.txt" });
    await uploaded(app, bob, shared, new TextEncoder().encode("bob's file"), { name: "bob.txt" });
    // One message with two files (the composer's tray, issue 19).
    const staged: string[] = [];
    for (const name of ["one.txt", "two.txt"]) {
      const response = await app.request(`/api/rooms/${shared}/uploads?name=${name}`, {
        method: "POST",
        body: `contents of ${name}`,
        cookie: alice.cookie,
        headers: { "content-type": "application/octet-stream" },
      });
      staged.push(((await response.json()) as { upload: { id: string } }).upload.id);
    }
    const both = await sendJson(app, alice, "POST", `/api/rooms/${shared}/messages`, { clientId: crypto.randomUUID(), body: "two files", attachments: staged });
    expect(both.status).toBe(201);
  });

  test("the zip holds my profile, sessions, rooms, my messages, every DM message and my files; nothing else", async () => {
    const started = await app.request("/api/account/exports", { method: "POST", cookie: alice.cookie });
    expect(started.status).toBe(202);
    const { export: info } = (await started.json()) as { export: { id: string; status: string } };
    const zip = await readyZip(app, alice, info.id);
    const names = Object.keys(zip).sort();
    expect(names).toContain("vaultroom-export.json");
    expect(names).toContain("profile.json");
    expect(names).toContain("sessions.json");
    expect(names).toContain("rooms.json");
    expect(names).toContain(`messages/${shared}.json`);
    expect(names).toContain(`messages/${dm}.json`);
    expect(names).not.toContain(`messages/${secret}.json`);
    expect(json(zip, "vaultroom-export.json")).toMatchObject({ format: "vaultroom-export", version: 1, kind: "account", userId: alice.id });
    expect(json(zip, "profile.json")).toMatchObject({ id: alice.id, username: "alice" });
    const sharedMessages = (json(zip, `messages/${shared}.json`) as { body: string }[]).map((m) => m.body);
    expect(sharedMessages).toContain("alice says hi in the shared room");
    expect(sharedMessages).not.toContain("bob's words in the shared room");
    const dmMessages = (json(zip, `messages/${dm}.json`) as { body: string }[]).map((m) => m.body);
    expect(dmMessages).toEqual(["alice to bob privately", "bob to alice privately"]);
    const files = json(zip, "files.json") as { name: string; path: string }[];
    expect(files.map((f) => f.name)).toEqual(["notes.txt", "one.txt", "two.txt"]);
    // A message with two files is one entry listing both.
    const withFiles = (json(zip, `messages/${shared}.json`) as { body: string; files: { name: string }[] }[]).filter((m) => m.files.length > 0);
    expect(withFiles.map((m) => [m.body, m.files.map((f) => f.name)])).toEqual([
      ["", ["notes.txt"]],
      ["two files", ["one.txt", "two.txt"]],
    ]);
    expect(strFromU8(zip[files[0]!.path]!)).toBe("alice's notes");
    const everything = names.map((name) => strFromU8(zip[name]!)).join("\n");
    expect(everything).not.toContain("bob and carol only");
    expect(everything).not.toContain("bob's file");
    expect(everything).not.toContain("$argon2");
    const hash = await app.sql.get<{ h: string }>("SELECT password_hash AS h FROM users WHERE id = ?", alice.id);
    expect(everything).not.toContain(hash!.h.slice(-20));
    expect((await auditRows(app, "export_made")).length).toBeGreaterThan(0);
    expect((await auditRows(app, "export_downloaded")).length).toBeGreaterThan(0);
  });

  test("one export of my data an hour: a second one is refused with a wait", async () => {
    const first = await app.request("/api/account/exports", { method: "POST", cookie: carol.cookie });
    expect(first.status).toBe(202);
    const again = await app.request("/api/account/exports", { method: "POST", cookie: carol.cookie });
    expect((await errorOf(again)).error).toBe("export_too_soon");
    expect(again.status).toBe(429);
    expect(Number(again.headers.get("retry-after"))).toBeGreaterThan(3000);
    const listed = (await (await app.request("/api/account/exports", { cookie: carol.cookie })).json()) as { nextAllowedAt: number | null; exports: unknown[] };
    expect(listed.exports).toHaveLength(1);
    expect(listed.nextAllowedAt).toBeGreaterThan(Date.now());
  });

  test("only the person who asked may download an export; others get not found, like a missing one", async () => {
    const started = await app.request("/api/account/exports", { method: "POST", cookie: bob.cookie });
    const { export: info } = (await started.json()) as { export: { id: string } };
    await readyZip(app, bob, info.id);
    for (const other of [alice, admin]) {
      const response = await app.request(`/api/account/exports/${info.id}/download`, { cookie: other.cookie });
      expect(await errorOf(response)).toMatchObject({ status: 404, error: "export_not_found" });
    }
    const missing = await app.request(`/api/account/exports/${"A".repeat(22)}/download`, { cookie: alice.cookie });
    expect(await errorOf(missing)).toMatchObject({ status: 404, error: "export_not_found" });
    expect((await app.request(`/api/account/exports/${info.id}/download`)).status).toBe(401);
    // An expired export is gone for its owner too.
    await app.sql.run("UPDATE exports SET expires_at = ? WHERE id = ?", Date.now() - 1, info.id);
    expect((await app.request(`/api/account/exports/${info.id}/download`, { cookie: bob.cookie })).status).toBe(404);
    expect(await app.app.decorator.services.exports.sweep()).toBeGreaterThan(0);
  });

  test("an admin exports a room they may see (all of it), and not a private room they are not in", async () => {
    const hidden = await app.request(`/api/admin/rooms/${secret}/export`, { method: "POST", cookie: admin.cookie });
    expect(await errorOf(hidden)).toMatchObject({ status: 404, error: "room_not_found" });
    const notAdmin = await app.request(`/api/admin/rooms/${shared}/export`, { method: "POST", cookie: alice.cookie });
    expect(notAdmin.status).toBe(403);
    const pub = await sendJson(app, admin, "POST", "/api/rooms", { kind: "public", name: "town square", members: [alice.id] });
    const town = ((await pub.json()) as { room: { id: number } }).room.id;
    // The admin and alice never talked: she is asked first, and accepts (issue 21 §4).
    expect((await app.request(`/api/requests/${town}/accept`, { method: "POST", cookie: alice.cookie })).status).toBe(200);
    await post(app, alice, town, "a public word");
    // A message taken back before the export is not in it.
    const regret = await sendJson(app, alice, "POST", `/api/rooms/${town}/messages`, { clientId: crypto.randomUUID(), body: "said and taken back" });
    const regretted = ((await regret.json()) as { message: { id: number } }).message.id;
    expect((await app.request(`/api/messages/${regretted}`, { method: "DELETE", cookie: alice.cookie })).status).toBe(200);
    const started = await app.request(`/api/admin/rooms/${town}/export`, { method: "POST", cookie: admin.cookie });
    expect(started.status).toBe(202);
    const { export: info } = (await started.json()) as { export: { id: string; roomId: number } };
    expect(info.roomId).toBe(town);
    const zip = await readyZip(app, admin, info.id);
    expect(json(zip, "room.json")).toMatchObject({ id: town, name: "town square" });
    const exported = json(zip, `messages/${town}.json`) as { body: string; event?: { kind: string } }[];
    // Alice's joining is a system line: its event says so, its body is empty.
    expect(exported.map((m) => m.event?.kind ?? m.body)).toEqual(["joined", "a public word"]);
  });

  const startOwn = (user: TestUser) => app.request("/api/account/exports", { method: "POST", cookie: user.cookie });
  const startRoom = (user: TestUser, roomId: number) => app.request(`/api/admin/rooms/${roomId}/export`, { method: "POST", cookie: user.cookie });
  const idOf = async (response: Response) => ((await response.json()) as { export: { id: string } }).export.id;
  const settled = () => app.nodes.map((node) => node.decorator.services.exports).reduce((all, each) => all.then(() => each.settled()), Promise.resolve());
  const statuses = async (user: TestUser) =>
    Object.fromEntries(((await (await app.request("/api/account/exports", { cookie: user.cookie })).json()) as { exports: { id: string; status: string }[] }).exports.map((e) => [e.id, e.status]));

  test("an admin's room export is not an export of their own data: it neither uses up the hour nor keeps them busy once ready", async () => {
    const moderator = await createTestUser(app.deps, { isAdmin: true });
    const opened = await sendJson(app, moderator, "POST", "/api/rooms", { kind: "public", name: "minutes" });
    const room = ((await opened.json()) as { room: { id: number } }).room.id;
    const roomExport = await startRoom(moderator, room);
    expect(roomExport.status).toBe(202);
    const roomId = await idOf(roomExport);
    await settled();
    expect(await statuses(moderator)).toEqual({ [roomId]: "ready" });
    const own = await startOwn(moderator);
    expect(own.status).toBe(202);
    await settled();
    // Nor does an export of their own data hold back the next room export.
    const secret = await privateRoom(app, moderator, []);
    const again = await startRoom(moderator, secret);
    expect(again.status).toBe(202);
    await settled();
    // The audit log tells the kinds apart, each with its target.
    const [ownId, againId] = [await idOf(own), await idOf(again)];
    const requested = (await auditRows(app, "export_requested")).filter((e) => e.actorId === moderator.id).map((e) => [e.detail?.exportId, e.detail?.kind, e.target]);
    expect(requested.sort()).toEqual([[roomId, "room", `room:${room}`], [ownId, "account", moderator.username], [againId, "room", `room:${secret}`]].sort());
    const made = (await auditRows(app, "export_made")).filter((e) => e.actorId === moderator.id).map((e) => [e.detail?.exportId, e.detail?.kind, e.target]);
    expect(made.sort()).toEqual([[roomId, "room", `room:${room}`], [ownId, "account", null], [againId, "room", `room:${secret}`]].sort());
  });

  test("a ready export stays downloadable its whole day, however long ago it was built", async () => {
    const dave = await createTestUser(app.deps);
    const id = await idOf(await startOwn(dave));
    await settled();
    // Built (and last touched) longer ago than a builder may stay silent.
    await app.sql.run("UPDATE exports SET updated_at = ? WHERE id = ?", Date.now() - STALE_MS - 1000, id);
    expect(await statuses(dave)).toEqual({ [id]: "ready" });
    expect((await app.request(`/api/account/exports/${id}/download`, { cookie: dave.cookie })).status).toBe(200);
  });

  test("while an export is being prepared (on any node), another is refused as busy", async () => {
    const moderator = await createTestUser(app.deps, { isAdmin: true });
    const opened = await sendJson(app, moderator, "POST", "/api/rooms", { kind: "public", name: "busy" });
    const room = ((await opened.json()) as { room: { id: number } }).room.id;
    // A build in progress elsewhere, reporting as it should.
    await app.sql.run(
      "INSERT INTO exports (id, user_id, room_id, status, progress, created_at, updated_at, expires_at) VALUES (?, ?, ?, 'running', 10, ?, ?, ?)",
      "B".repeat(22), moderator.id, room, Date.now(), Date.now(), Date.now() + 3_600_000,
    );
    const refused = await startRoom(moderator, room);
    expect(await errorOf(refused)).toMatchObject({ status: 429, error: "export_too_soon" });
  });

  test("an export whose builder stopped reporting (its node died) keeps nobody busy: another may start", async () => {
    const moderator = await createTestUser(app.deps, { isAdmin: true });
    const opened = await sendJson(app, moderator, "POST", "/api/rooms", { kind: "public", name: "stalled" });
    const room = ((await opened.json()) as { room: { id: number } }).room.id;
    const first = await idOf(await startRoom(moderator, room));
    await settled();
    // As a node that died mid-build leaves it: still 'running', silent for longer than STALE_MS.
    await app.sql.run("UPDATE exports SET status = 'running', progress = 40, updated_at = ? WHERE id = ?", Date.now() - STALE_MS - 1000, first);
    expect(await statuses(moderator)).toEqual({ [first]: "failed" });
    expect((await startRoom(moderator, room)).status).toBe(202);
    await settled();
  });

  test("an export that fails fails alone: others' exports keep their state, and its owner may try again at once", async () => {
    const [dave, erin] = await Promise.all([createTestUser(app.deps), createTestUser(app.deps)]);
    const room = await privateRoom(app, dave, []);
    const sent = await uploaded(app, dave, room, new TextEncoder().encode("bytes that will go missing"), { name: "lost.txt" });
    const erinsFirst = await idOf(await startOwn(erin));
    await settled();
    // The stored bytes of dave's file are gone from the disk: his export cannot be written.
    rmSync(app.app.decorator.services.files.storage.pathOf(sent.attachment!.id), { force: true });
    const daves = await idOf(await startOwn(dave));
    await settled();
    expect(await statuses(dave)).toEqual({ [daves]: "failed" });
    expect(await statuses(erin)).toEqual({ [erinsFirst]: "ready" });
    // Another export finishing leaves the failed one failed.
    const carolsRoom = await sendJson(app, admin, "POST", "/api/rooms", { kind: "public", name: "after the failure" });
    await startRoom(admin, ((await carolsRoom.json()) as { room: { id: number } }).room.id);
    await settled();
    expect(await statuses(dave)).toEqual({ [daves]: "failed" });
    // A failed export does not use up the hour.
    expect((await startOwn(dave)).status).toBe(202);
    await settled();
  });
});
