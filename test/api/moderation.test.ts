// Moderation: who may delete whose messages (author, the room's owner in their room only, an admin
// anywhere), bans that keep a user out of a public room, and reports from members to the admins,
// handled in the admin API. Every moderation act is in the audit log.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Actor } from "../../src/accounts/sessions.ts";
import type { AppError } from "../../src/errors.ts";
import type { Message } from "../../src/protocol.ts";
import type { MessageReport } from "../../src/moderation/reports.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import { createTestUser, type TestUser } from "../support/users.ts";
import { acceptIfAsked } from "../support/consent.ts";
import { uploaded } from "./files-helpers.ts";

let app: TestApp;
let owner: TestUser, member: TestUser, other: TestUser, admin: TestUser, outsider: TestUser;
let roomId: number, otherRoomId: number;

async function call<T = Record<string, unknown>>(user: TestUser | null, path: string, init: { method?: string; json?: unknown } = {}) {
  const res = await app.request(path, { ...init, cookie: user?.cookie });
  return { status: res.status, body: (await res.json().catch(() => null)) as T & Record<string, unknown> };
}
const post = async (user: TestUser, room: number, body: string) =>
  (await call<{ message: Message }>(user, `/api/rooms/${room}/messages`, { json: { clientId: crypto.randomUUID(), body } })).body.message;
const auditEvents = async (event: string) => (await app.app.decorator.services.accounts.audit.list({ event })).map((e) => ({ actorId: e.actorId, target: e.target, detail: e.detail }));

beforeAll(async () => {
  app = await createTestApp();
  [owner, member, other, admin, outsider] = await Promise.all([
    createTestUser(app.deps),
    createTestUser(app.deps),
    createTestUser(app.deps),
    createTestUser(app.deps, { isAdmin: true }),
    createTestUser(app.deps),
  ]);
  roomId = (await call<{ room: { id: number } }>(owner, "/api/rooms", { json: { kind: "public", name: "moderated", members: [member.id, other.id] } })).body.room.id;
  // `owner` is only a member here: another owner's room.
  otherRoomId = (await call<{ room: { id: number } }>(other, "/api/rooms", { json: { kind: "public", name: "elsewhere", members: [owner.id, member.id] } })).body.room.id;
  // Strangers are asked first (issue 21 §4); they accept.
  for (const user of [member, other]) await acceptIfAsked(app, user, roomId);
  for (const user of [owner, member]) await acceptIfAsked(app, user, otherRoomId);
}, 30_000);
afterAll(() => app.close());

describe("deleting others' messages", () => {
  test("a member cannot delete another member's message", async () => {
    const message = await post(other, roomId, "mine");
    const res = await call(member, `/api/messages/${message.id}`, { method: "DELETE" });
    expect(res.status).toBe(403);
    expect(res.body.error).toBe("not_allowed");
  });

  test("the room's owner deletes any message in their room, and it is audited", async () => {
    const message = await post(member, roomId, "rude words");
    expect((await call(owner, `/api/messages/${message.id}`, { method: "DELETE" })).status).toBe(200);
    const history = await call<{ messages: Message[] }>(member, `/api/rooms/${roomId}/messages`);
    expect(history.body.messages.some((m) => m.id === message.id)).toBe(false);
    expect(await auditEvents("message_deleted")).toContainEqual({
      actorId: owner.id,
      target: `message:${message.id}`,
      detail: { roomId, authorId: member.id, as: "owner" },
    });
  });

  test("an owner of one room cannot delete in a room they only belong to", async () => {
    const message = await post(member, otherRoomId, "not yours to delete");
    const res = await call(owner, `/api/messages/${message.id}`, { method: "DELETE" });
    expect(res.status).toBe(403);
  });

  test("an admin deletes any message, even in a private room they are not in; an outsider cannot even find it", async () => {
    const priv = (await call<{ room: { id: number } }>(member, "/api/rooms", { json: { kind: "private", name: "hidden", members: [other.id] } })).body.room.id;
    await acceptIfAsked(app, other, priv);
    const message = await post(other, priv, "reported later");
    const stranger = await call(outsider, `/api/messages/${message.id}`, { method: "DELETE" });
    expect(stranger.status).toBe(404);
    expect(stranger.body.error).toBe("message_not_found");
    expect((await call(admin, `/api/messages/${message.id}`, { method: "DELETE" })).status).toBe(200);
  });
});

describe("bans", () => {
  test("a banned user is removed, cannot rejoin the public room nor be added back, until unbanned", async () => {
    const room = (await call<{ room: { id: number } }>(owner, "/api/rooms", { json: { kind: "public", name: "ban-test", members: [outsider.id, member.id] } })).body.room.id;
    for (const user of [outsider, member]) await acceptIfAsked(app, user, room);
    // A member may not ban.
    expect((await call(member, `/api/rooms/${room}/bans`, { json: { userId: outsider.id } })).status).toBe(403);
    expect((await call(owner, `/api/rooms/${room}/bans`, { json: { userId: outsider.id, reason: "spam" } })).status).toBe(201);
    const members = await call<{ members: { id: number }[] }>(owner, `/api/rooms/${room}/members`);
    expect(members.body.members.map((m) => m.id)).not.toContain(outsider.id);

    const rejoin = await call(outsider, `/api/rooms/${room}/join`, { method: "POST" });
    expect(rejoin.status).toBe(403);
    expect(rejoin.body.error).toBe("banned_from_room");
    const readd = await call(owner, `/api/rooms/${room}/members`, { json: { userId: outsider.id } });
    expect(readd.status).toBe(409);
    expect(readd.body.error).toBe("user_banned");
    expect((await call<{ bans: { userId: number; reason: string }[] }>(owner, `/api/rooms/${room}/bans`)).body.bans).toMatchObject([{ userId: outsider.id, reason: "spam" }]);

    expect((await call(owner, `/api/rooms/${room}/bans/${outsider.id}`, { method: "DELETE" })).status).toBe(200);
    expect((await call(outsider, `/api/rooms/${room}/join`, { method: "POST" })).status).toBe(200);
    expect((await auditEvents("room_ban")).some((e) => e.target === `user:${outsider.id}` && e.actorId === owner.id)).toBe(true);
    expect((await auditEvents("room_unban")).some((e) => e.target === `user:${outsider.id}`)).toBe(true);
  });
});

describe("bans: each holds one person out of one room", () => {
  test("others still join the room, the banned person still joins others, and lifting it lifts only that room's", async () => {
    const [banned, bystander] = await Promise.all([createTestUser(app.deps), createTestUser(app.deps)]);
    const open = async (name: string) => (await call<{ room: { id: number } }>(owner, "/api/rooms", { json: { kind: "public", name } })).body.room.id;
    const [first, second, elsewhere] = [await open("ban-one"), await open("ban-two"), await open("ban-none")];
    for (const room of [first, second]) expect((await call(owner, `/api/rooms/${room}/bans`, { json: { userId: banned.id } })).status).toBe(201);
    // Not everyone in the room: someone else joins it.
    expect((await call(bystander, `/api/rooms/${first}/join`, { method: "POST" })).status).toBe(200);
    // Not everywhere: a room without the ban takes them.
    expect((await call(banned, `/api/rooms/${elsewhere}/join`, { method: "POST" })).status).toBe(200);
    // Each room lists its own bans.
    const listed = async (room: number) => (await call<{ bans: { userId: number }[] }>(owner, `/api/rooms/${room}/bans`)).body.bans.map((b) => b.userId);
    expect(await listed(elsewhere)).toEqual([]);
    // Lifted in one room, it still holds in the other.
    expect((await call(owner, `/api/rooms/${first}/bans/${banned.id}`, { method: "DELETE" })).status).toBe(200);
    expect(await listed(first)).toEqual([]);
    expect(await listed(second)).toEqual([banned.id]);
    expect((await call(banned, `/api/rooms/${first}/join`, { method: "POST" })).status).toBe(200);
    expect((await call(banned, `/api/rooms/${second}/join`, { method: "POST" })).body.error).toBe("banned_from_room");
  });
});

describe("bans: who may, and what is refused", () => {
  test("only the room's owner or an admin sees and lifts its bans; a member gets not_allowed", async () => {
    const room = (await call<{ room: { id: number } }>(owner, "/api/rooms", { json: { kind: "public", name: "ban-rights", members: [member.id] } })).body.room.id;
    await acceptIfAsked(app, member, room);
    expect((await call(owner, `/api/rooms/${room}/bans`, { json: { userId: outsider.id } })).status).toBe(201);
    const list = await call(member, `/api/rooms/${room}/bans`);
    expect({ status: list.status, error: list.body.error }).toEqual({ status: 403, error: "not_allowed" });
    const lift = await call(member, `/api/rooms/${room}/bans/${outsider.id}`, { method: "DELETE" });
    expect({ status: lift.status, error: lift.body.error }).toEqual({ status: 403, error: "not_allowed" });
    // Still banned after the member's attempt.
    expect((await call<{ bans: { userId: number }[] }>(owner, `/api/rooms/${room}/bans`)).body.bans.map((b) => b.userId)).toEqual([outsider.id]);
    // An admin who is not in the room sees and lifts it; lifting it again finds nothing.
    expect((await call<{ bans: { userId: number }[] }>(admin, `/api/rooms/${room}/bans`)).body.bans.map((b) => b.userId)).toEqual([outsider.id]);
    expect((await call(admin, `/api/rooms/${room}/bans/${outsider.id}`, { method: "DELETE" })).status).toBe(200);
    const again = await call(admin, `/api/rooms/${room}/bans/${outsider.id}`, { method: "DELETE" });
    expect({ status: again.status, error: again.body.error }).toEqual({ status: 404, error: "user_not_found" });
  });

  test("no ban of oneself, of nobody, or in a DM; someone not in the room may be banned ahead", async () => {
    const room = (await call<{ room: { id: number } }>(owner, "/api/rooms", { json: { kind: "public", name: "ban-edges" } })).body.room.id;
    const self = await call(owner, `/api/rooms/${room}/bans`, { json: { userId: owner.id } });
    expect({ status: self.status, error: self.body.error }).toEqual({ status: 403, error: "not_allowed" });
    const nobody = await call(owner, `/api/rooms/${room}/bans`, { json: { userId: 987_654 } });
    expect({ status: nobody.status, error: nobody.body.error }).toEqual({ status: 404, error: "user_not_found" });
    // An active account that is not a member: banned before it ever joins.
    expect((await call(owner, `/api/rooms/${room}/bans`, { json: { userId: outsider.id } })).status).toBe(201);
    expect((await call(outsider, `/api/rooms/${room}/join`, { method: "POST" })).body.error).toBe("banned_from_room");
    const dm = (await call<{ room: { id: number } }>(owner, "/api/dms", { json: { userIds: [member.id] } })).body.room.id;
    const inDm = await call(owner, `/api/rooms/${dm}/bans`, { json: { userId: member.id } });
    expect({ status: inDm.status, error: inDm.body.error }).toEqual({ status: 400, error: "cannot_leave_dm" });
    expect((await call<{ bans: unknown[] }>(owner, `/api/rooms/${room}/bans`)).body.bans).toHaveLength(1);
  });
});

describe("bans: rights confirmed when used", () => {
  test("an admin demoted a moment ago can neither ban nor lift a ban, even holding an actor read before", async () => {
    const demoted = await createTestUser(app.deps, { isAdmin: true });
    const target = await createTestUser(app.deps);
    const room = (await call<{ room: { id: number } }>(owner, "/api/rooms", { json: { kind: "public", name: "stale rights" } })).body.room.id;
    // A member of the room, so that only the rights are in question.
    expect((await call(demoted, `/api/rooms/${room}/join`, { method: "POST" })).status).toBe(200);
    expect((await call(admin, `/api/admin/users/${demoted.id}`, { method: "PATCH", json: { isAdmin: false } })).status).toBe(200);
    // The actor as a socket (or another node) read it before the demotion.
    const stale = { userId: demoted.id, isAdmin: true } as Actor;
    const { moderation } = app.app.decorator.services;
    const outcome = (action: Promise<unknown>) => action.then(() => "done", (error: AppError) => error.code);
    expect(await outcome(moderation.ban(stale, room, target.id))).toBe("not_allowed");
    expect((await call(owner, `/api/rooms/${room}/bans`, { json: { userId: target.id } })).status).toBe(201);
    expect(await outcome(moderation.unban(stale, room, target.id))).toBe("not_allowed");
    expect((await call<{ bans: { userId: number }[] }>(owner, `/api/rooms/${room}/bans`)).body.bans.map((b) => b.userId)).toEqual([target.id]);
  });
});

describe("reports: limits", () => {
  test("a reason of 500 characters is taken, 501 or broken text is refused; an unknown message is not found", async () => {
    const message = await post(other, roomId, "reported at length");
    expect((await call(member, `/api/messages/${message.id}/report`, { json: { reason: "r".repeat(500) } })).status).toBe(201);
    const long = await call(owner, `/api/messages/${message.id}/report`, { json: { reason: "r".repeat(501) } });
    expect({ status: long.status, error: long.body.error }).toEqual({ status: 400, error: "invalid_request" });
    const broken = await call(owner, `/api/messages/${message.id}/report`, { json: { reason: "bad \ud800 text" } });
    expect({ status: broken.status, error: broken.body.error }).toEqual({ status: 400, error: "invalid_request" });
    const unknown = await call(member, "/api/messages/987654/report", { json: { reason: "gone" } });
    expect({ status: unknown.status, error: unknown.body.error }).toEqual({ status: 404, error: "message_not_found" });
  });

  test("a deleted message cannot be reported: it is not found", async () => {
    const message = await post(other, roomId, "said, then taken back");
    expect((await call(other, `/api/messages/${message.id}`, { method: "DELETE" })).status).toBe(200);
    const late = await call(member, `/api/messages/${message.id}/report`, { json: { reason: "too late" } });
    expect({ status: late.status, error: late.body.error }).toEqual({ status: 404, error: "message_not_found" });
  });

  test("reporting the same message twice is one report and one audit entry", async () => {
    const message = await post(other, roomId, "reported twice");
    const audited = async () => (await auditEvents("message_reported")).filter((e) => e.target === `message:${message.id}`).length;
    expect((await call(member, `/api/messages/${message.id}/report`, { json: { reason: "twice" } })).status).toBe(201);
    expect(await audited()).toBe(1);
    expect((await call(member, `/api/messages/${message.id}/report`, { json: { reason: "twice" } })).status).toBe(201);
    expect(await audited()).toBe(1);
    const queue = await call<{ reports: MessageReport[] }>(admin, "/api/admin/reports");
    expect(queue.body.reports.filter((r) => r.message.id === message.id)).toHaveLength(1);
  });
});

describe("reports", () => {
  test("a member reports a message; the admin sees it in context and deletes it; the reporter cannot see the queue", async () => {
    const before = await post(owner, roomId, "context before");
    const bad = await post(other, roomId, "the reported one");
    const afterMessage = await post(owner, roomId, "context after");
    const reported = await call(member, `/api/messages/${bad.id}/report`, { json: { reason: "insulting" } });
    expect(reported.status).toBe(201);
    // Reporting again is harmless; an empty reason is not a report.
    expect((await call(member, `/api/messages/${bad.id}/report`, { json: { reason: "insulting" } })).status).toBe(201);
    expect((await call(member, `/api/messages/${bad.id}/report`, { json: { reason: "  " } })).status).toBe(400);
    // A non-member cannot report (nor learn that the message exists).
    const stranger = await call(outsider, `/api/messages/${bad.id}/report`, { json: { reason: "x" } });
    expect(stranger.status).toBe(404);

    expect((await call(member, "/api/admin/reports")).status).toBe(403);
    const queue = await call<{ reports: MessageReport[]; open: number }>(admin, "/api/admin/reports");
    const report = queue.body.reports.find((r) => r.message.id === bad.id)!;
    expect(report).toMatchObject({ reason: "insulting", reporter: { id: member.id }, room: { id: roomId, name: "moderated" }, message: { body: "the reported one" } });
    const contextIds = report.context.map((m) => m.id);
    expect(contextIds).toContain(before.id);
    expect(contextIds).toContain(afterMessage.id);
    expect(contextIds.indexOf(before.id)).toBeLessThan(contextIds.indexOf(bad.id));

    const resolved = await call(admin, `/api/admin/reports/${report.id}/resolve`, { json: { action: "deleted" } });
    expect(resolved.status).toBe(200);
    const history = await call<{ messages: Message[] }>(member, `/api/rooms/${roomId}/messages`);
    expect(history.body.messages.some((m) => m.id === bad.id)).toBe(false);
    const open = await call<{ reports: MessageReport[] }>(admin, "/api/admin/reports");
    expect(open.body.reports.some((r) => r.id === report.id)).toBe(false);
    const done = await call<{ reports: MessageReport[] }>(admin, "/api/admin/reports?status=resolved");
    expect(done.body.reports.find((r) => r.id === report.id)).toMatchObject({ resolution: "deleted", resolvedBy: { id: admin.id }, message: { body: "" } });
    expect((await auditEvents("message_reported")).some((e) => e.actorId === member.id && e.target === `message:${bad.id}`)).toBe(true);
    expect((await auditEvents("report_resolved")).some((e) => e.actorId === admin.id && e.target === `message:${bad.id}`)).toBe(true);
  });

  test("a report shows its own room's messages around it, never another room's (a DM written in between)", async () => {
    const before = await post(owner, roomId, "in the room, before");
    const dm = (await call<{ room: { id: number } }>(owner, "/api/dms", { json: { userIds: [other.id] } })).body.room.id;
    await acceptIfAsked(app, other, dm);
    const privateBefore = await post(owner, dm, "between us, before");
    const bad = await post(other, roomId, "reported, with a DM around it");
    const privateAfter = await post(other, dm, "between us, after");
    await call(member, `/api/messages/${bad.id}/report`, { json: { reason: "context" } });
    const report = (await call<{ reports: MessageReport[] }>(admin, "/api/admin/reports")).body.reports.find((r) => r.message.id === bad.id)!;
    const contextIds = report.context.map((m) => m.id);
    expect(contextIds).toContain(before.id);
    expect(contextIds).not.toContain(privateBefore.id);
    expect(contextIds).not.toContain(privateAfter.id);
    expect(report.context.every((m) => m.roomId === roomId)).toBe(true);
  });

  test("a report's context is the room's timeline around it, or its thread for a reply kept there, with files named (issue 19)", async () => {
    const before = await post(owner, roomId, "timeline, before");
    const root = await post(owner, roomId, "a thread starts");
    const reply = async (user: TestUser, body: string) =>
      (await call<{ message: Message }>(user, `/api/rooms/${roomId}/messages`, { json: { clientId: crypto.randomUUID(), body, threadRootId: root.id } })).body.message;
    const aside = await reply(member, "an aside in the thread");
    const file = await uploaded(app, other, roomId, new TextEncoder().encode("minutes"), { name: "minutes.txt" });
    const laterAside = await reply(other, "a later aside");
    const after = await post(owner, roomId, "timeline, after");
    const reportOf = async (message: Message) => {
      await call(owner, `/api/messages/${message.id}/report`, { json: { reason: "look" } });
      return (await call<{ reports: MessageReport[] }>(admin, "/api/admin/reports")).body.reports.find((r) => r.message.id === message.id)!;
    };
    const onFile = await reportOf(file);
    // Three on each side in the timeline (earlier tests' messages may come first); no thread reply.
    expect(onFile.context.map((m) => m.id).slice(-4)).toEqual([before.id, root.id, file.id, after.id]);
    expect(onFile.message.attachment?.name).toBe("minutes.txt");
    const inThread = await reportOf(aside);
    expect(inThread.context.map((m) => m.id)).toEqual([root.id, aside.id, laterAside.id]);
  });

  test("deleting a reported message settles that message's open reports only; one dismissed before keeps its decision", async () => {
    const [reported, unrelated] = [await post(other, roomId, "reported twice over"), await post(other, roomId, "reported, left open")];
    const openReport = async (by: TestUser, message: Message) => {
      expect((await call(by, `/api/messages/${message.id}/report`, { json: { reason: "look" } })).status).toBe(201);
      return (await call<{ reports: MessageReport[] }>(admin, "/api/admin/reports")).body.reports.find((r) => r.message.id === message.id && r.reporter?.id === by.id)!;
    };
    const dismissed = await openReport(member, reported);
    expect((await call(admin, `/api/admin/reports/${dismissed.id}/resolve`, { json: { action: "dismissed" } })).status).toBe(200);
    const later = await openReport(owner, reported);
    const elsewhere = await openReport(member, unrelated);
    expect((await call(admin, `/api/admin/reports/${later.id}/resolve`, { json: { action: "deleted" } })).status).toBe(200);

    const open = (await call<{ reports: MessageReport[] }>(admin, "/api/admin/reports")).body.reports.map((r) => r.id);
    expect(open).toContain(elsewhere.id);
    const resolved = (await call<{ reports: MessageReport[] }>(admin, "/api/admin/reports?status=resolved")).body.reports;
    expect(resolved.find((r) => r.id === dismissed.id)).toMatchObject({ resolution: "dismissed" });
    expect(resolved.find((r) => r.id === later.id)).toMatchObject({ resolution: "deleted" });
  });

  test("the queue pages from the newest: `limit` reports at a time, `before` one of them gives the older", async () => {
    const [older, newer] = [await post(other, roomId, "reported first"), await post(other, roomId, "reported next")];
    for (const message of [older, newer]) expect((await call(member, `/api/messages/${message.id}/report`, { json: { reason: "paging" } })).status).toBe(201);
    const page = async (query: string) => (await call<{ reports: MessageReport[] }>(admin, `/api/admin/reports?${query}`)).body.reports;
    const first = await page("limit=1");
    expect(first.map((r) => r.message.id)).toEqual([newer.id]);
    expect((await page(`limit=1&before=${first[0]!.id}`)).map((r) => r.message.id)).toEqual([older.id]);
  });

  test("a report can be dismissed; an unknown report is 404", async () => {
    const message = await post(other, roomId, "fine, actually");
    await call(member, `/api/messages/${message.id}/report`, { json: { reason: "mistake" } });
    const report = (await call<{ reports: MessageReport[] }>(admin, "/api/admin/reports")).body.reports.find((r) => r.message.id === message.id)!;
    expect((await call(admin, `/api/admin/reports/${report.id}/resolve`, { json: { action: "dismissed" } })).status).toBe(200);
    expect((await call<{ messages: Message[] }>(member, `/api/rooms/${roomId}/messages`)).body.messages.some((m) => m.id === message.id)).toBe(true);
    const missing = await call(admin, "/api/admin/reports/999999/resolve", { json: { action: "dismissed" } });
    expect(missing.status).toBe(404);
    expect(missing.body.error).toBe("report_not_found");
  });
});
