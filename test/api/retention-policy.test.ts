// Who may change how long a room keeps its messages (src/retention/policy.ts): its owner, or an admin
// whose rights are confirmed in the same transaction. An admin demoted a moment ago may still hold an
// actor read before the demotion (a socket's, or another node's); the change must be refused anyway.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { AppError } from "../../src/errors.ts";
import type { Room } from "../../src/protocol.ts";
import { roomRetention, setRoomRetention } from "../../src/retention/policy.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import { acceptIfAsked } from "../support/consent.ts";
import { createTestUser, type TestUser } from "../support/users.ts";

let app: TestApp;
let owner: TestUser, boss: TestUser, demoted: TestUser;
let roomId: number;

beforeAll(async () => {
  app = await createTestApp();
  [owner, boss, demoted] = await Promise.all([createTestUser(app.deps), createTestUser(app.deps, { isAdmin: true }), createTestUser(app.deps, { isAdmin: true })]);
  const res = await app.request("/api/rooms", { json: { kind: "public", name: "kept a while", members: [demoted.id] }, cookie: owner.cookie });
  roomId = ((await res.json()) as { room: Room }).room.id;
  await acceptIfAsked(app, demoted, roomId);
}, 30_000);
afterAll(() => app.close());

const setAs = (actor: { userId: number; isAdmin: boolean }, retentionDays: number | null) =>
  app.store.write(setRoomRetention, { actor, roomId, retentionDays, disappearHours: null, now: Date.now() });

describe("a room's retention", () => {
  test("an admin who is a member may set it; once demoted, an actor still claiming admin is refused", async () => {
    expect(await setAs({ userId: demoted.id, isAdmin: true }, 90)).toMatchObject({ retentionDays: 90 });
    const demote = await app.request(`/api/admin/users/${demoted.id}`, { method: "PATCH", json: { isAdmin: false }, cookie: boss.cookie });
    expect(demote.status).toBe(200);
    // The actor as it was read before the demotion.
    const refused = await setAs({ userId: demoted.id, isAdmin: true }, 1).then(() => "saved", (error: AppError) => error.code);
    expect(refused).toBe("not_allowed");
    expect((await roomRetention(app.store.read, roomId)).retentionDays).toBe(90);
    // The owner needs no admin rights.
    expect(await setAs({ userId: owner.id, isAdmin: false }, 30)).toMatchObject({ retentionDays: 30 });
  });
});

describe("the audit of a retention change (issue 19)", () => {
  test("says what it changed from, for the server and for a room, and names the room it is about", async () => {
    const put = (messageDays: number | null) =>
      app.request("/api/admin/retention", { method: "PUT", json: { messageDays, fileDays: null }, cookie: boss.cookie });
    expect((await put(90)).status).toBe(200);
    expect((await put(30)).status).toBe(200);
    await setAs({ userId: owner.id, isAdmin: false }, 7);
    const response = await app.request("/api/admin/audit?event=retention_changed", { cookie: boss.cookie });
    const { entries } = (await response.json()) as { entries: { target: string; detail: Record<string, unknown>; about?: unknown }[] };
    expect(entries[0]).toMatchObject({
      target: `room:${roomId}`,
      detail: { retentionDays: 7, previousRetentionDays: 30, disappearHours: null, previousDisappearHours: null },
      about: { kind: "room", id: roomId, name: "kept a while" },
    });
    expect(entries[1]).toMatchObject({ target: "server", detail: { messageDays: 30, previousMessageDays: 90, fileDays: null, previousFileDays: null } });
    expect(entries[1]!.about).toBeUndefined();
  });
});
