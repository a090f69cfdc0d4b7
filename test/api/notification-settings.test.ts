// My notification choices over HTTP (src/notifications/): account-wide settings and each room's level
// and mute. A change to one setting keeps the others (previews turned off must stay off: they keep
// message text out of pushes), a time already past is no mute, and "mute forever" is a mute.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { FOREVER, type NotificationSettings, type Room, type RoomNotify } from "../../src/protocol.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import { createTestUser, type TestUser } from "../support/users.ts";

let app: TestApp;

beforeAll(async () => {
  app = await createTestApp();
}, 30_000);
afterAll(() => app.close());

async function call<T>(user: TestUser, path: string, init: { method?: string; json?: unknown } = {}) {
  const res = await app.request(path, { ...init, cookie: user.cookie });
  return { status: res.status, body: (await res.json()) as T };
}
const settings = async (user: TestUser) => (await call<{ settings: NotificationSettings }>(user, "/api/notifications")).body.settings;
const patch = (user: TestUser, json: Partial<NotificationSettings>) => call<{ settings: NotificationSettings }>(user, "/api/notifications", { method: "PATCH", json });
const setNotify = (user: TestUser, roomId: number, json: RoomNotify) => call<{ notify: RoomNotify }>(user, `/api/rooms/${roomId}/notify`, { method: "PUT", json });
const notifyOf = async (user: TestUser, roomId: number) =>
  (await call<{ rooms: Room[] }>(user, "/api/rooms")).body.rooms.find((room) => room.id === roomId)!.notify;

async function ownRoom(user: TestUser): Promise<number> {
  const { status, body } = await call<{ room: Room }>(user, "/api/rooms", { json: { kind: "private", name: "quiet", members: [] } });
  expect(status).toBe(201);
  return body.room.id;
}

describe("account-wide settings", () => {
  test("previews turned off stay off when another setting changes later, and read back off", async () => {
    const user = await createTestUser(app.deps);
    expect((await patch(user, { previews: false })).body.settings.previews).toBe(false);
    const after = await patch(user, { soundRooms: true });
    expect(after.body.settings).toMatchObject({ previews: false, soundRooms: true });
    expect(await settings(user)).toMatchObject({ previews: false, soundRooms: true, soundDms: true, defaultLevel: "mentions" });
  });

  test("a do-not-disturb time already past is no do-not-disturb: it reads back as none", async () => {
    const user = await createTestUser(app.deps);
    const past = Date.now() - 60_000;
    expect((await patch(user, { dndUntil: past })).body.settings.dndUntil).toBeNull();
    expect((await settings(user)).dndUntil).toBeNull();
    const future = Date.now() + 3_600_000;
    expect((await patch(user, { dndUntil: future })).body.settings.dndUntil).toBe(future);
  });
});

describe("a room's level and mute", () => {
  test("muted forever (the web app's choice for 'until I unmute') is accepted and kept", async () => {
    const user = await createTestUser(app.deps);
    const roomId = await ownRoom(user);
    const saved = await setNotify(user, roomId, { level: null, mutedUntil: FOREVER });
    expect(saved).toEqual({ status: 200, body: { notify: { level: null, mutedUntil: FOREVER } } });
    expect(await notifyOf(user, roomId)).toEqual({ level: null, mutedUntil: FOREVER });
  });

  test("a mute time already past is no mute; a level alone is kept; clearing both follows my defaults again", async () => {
    const user = await createTestUser(app.deps);
    const roomId = await ownRoom(user);
    expect((await setNotify(user, roomId, { level: "all", mutedUntil: Date.now() - 1000 })).body.notify).toEqual({ level: "all", mutedUntil: null });
    expect(await notifyOf(user, roomId)).toEqual({ level: "all", mutedUntil: null });
    const until = Date.now() + 3_600_000;
    await setNotify(user, roomId, { level: null, mutedUntil: until });
    expect(await notifyOf(user, roomId)).toEqual({ level: null, mutedUntil: until });
    await setNotify(user, roomId, { level: null, mutedUntil: null });
    expect(await notifyOf(user, roomId)).toEqual({ level: null, mutedUntil: null });
  });
});
