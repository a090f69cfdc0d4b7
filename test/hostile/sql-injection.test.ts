// SQL injection strings in every kind of parameter are plain data: path ids, query strings, JSON
// fields, usernames and the user search. Nothing extra comes back, no table changes shape, and
// what is stored is stored verbatim.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createTestApp, type TestApp } from "../support/app.ts";
import { createTestUser, type TestUser } from "../support/users.ts";
import { SQL_PAYLOADS } from "./naughty-strings.ts";
import { isReservedName } from "../../src/accounts/reserved-names.ts";

let app: TestApp;
let admin: TestUser;
let alice: TestUser;
let bob: TestUser;
let roomId: number;
let messageId: number;
let schemaBefore: string;

/** Every table, column, index and trigger, as the engine describes them. */
const schema = async () =>
  JSON.stringify(
    app.store.engine === "sqlite"
      ? await app.sql.all("SELECT type, name, sql FROM sqlite_master ORDER BY name")
      : [
          await app.sql.all(
            "SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns WHERE table_schema = current_schema() ORDER BY table_name, column_name",
          ),
          await app.sql.all("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() ORDER BY indexname"),
          await app.sql.all("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal ORDER BY tgname"),
        ],
  );
const count = async (table: string) => (await app.sql.get<{ n: number }>(`SELECT count(*) AS n FROM ${table}`))!.n;
const enc = encodeURIComponent;

function as(user: TestUser | null, method: string, path: string, json?: unknown) {
  return app.request(path, { method, cookie: user?.cookie, ...(json === undefined ? {} : { json }) });
}

beforeAll(async () => {
  app = await createTestApp();
  admin = await createTestUser(app.deps, { username: "sqladmin", isAdmin: true });
  alice = await createTestUser(app.deps, { username: "alice", displayName: "Alice" });
  bob = await createTestUser(app.deps, { username: "bob", displayName: "Bob" });
  const room = await as(alice, "POST", "/api/rooms", { kind: "private", name: "injections" });
  roomId = ((await room.json()) as { room: { id: number } }).room.id;
  const posted = await as(alice, "POST", `/api/rooms/${roomId}/messages`, { clientId: crypto.randomUUID(), body: "hello" });
  messageId = ((await posted.json()) as { message: { id: number } }).message.id;
  await as(admin, "POST", "/api/admin/invites", {});
  schemaBefore = await schema();
});
afterAll(() => app.close());

describe("in path ids", () => {
  const numeric = ["/api/rooms/ID", "/api/rooms/ID/members", "/api/rooms/ID/messages", "/api/admin/users/ID"];
  const textual = ["/api/files/ID", "/api/sessions/ID", "/api/admin/invites/ID"];

  test("a numeric id is refused as not a number; nothing is read", async () => {
    for (const payload of SQL_PAYLOADS) {
      for (const path of numeric) {
        const response = await as(admin, "GET", path.replace("ID", enc(payload)));
        expect({ path, payload, refused: [400, 404].includes(response.status) }).toEqual({ path, payload, refused: true });
      }
    }
  });

  test("a text id is looked up as that exact text: not found, and nothing else is touched", async () => {
    const sessions = await count("sessions");
    const invites = await app.sql.all("SELECT id, revoked_at FROM invites ORDER BY id");
    for (const payload of SQL_PAYLOADS) {
      const download = await as(alice, "GET", `/api/files/${enc(payload)}`);
      expect({ payload, refused: [400, 404].includes(download.status) }).toEqual({ payload, refused: true });
      const session = await as(alice, "DELETE", `/api/sessions/${enc(payload)}`);
      expect({ payload, refused: [400, 404].includes(session.status) }).toEqual({ payload, refused: true });
      const invite = await as(admin, "DELETE", `/api/admin/invites/${enc(payload)}`);
      expect({ payload, refused: [400, 404].includes(invite.status) }).toEqual({ payload, refused: true });
    }
    expect(await count("sessions")).toBe(sessions);
    expect(await app.sql.all("SELECT id, revoked_at FROM invites ORDER BY id")).toEqual(invites);
    expect((await as(bob, "GET", "/api/me")).status).toBe(200);
  });
});

describe("in query strings", () => {
  test("the user search matches the payload as literal text (LIKE wildcards included), never everyone", async () => {
    const everyone = (await (await as(admin, "GET", "/api/admin/users")).json()) as { users: { id: number; username: string; displayName: string | null }[] };
    for (const payload of SQL_PAYLOADS) {
      const response = await as(alice, "GET", `/api/users?query=${enc(payload)}&limit=50`);
      const { users } = (await response.json()) as { users: { id: number }[] };
      const needle = payload.trim().normalize("NFKC").toLowerCase();
      const expected = everyone.users
        .filter((u) => u.username.toLowerCase().includes(needle) || (u.displayName ?? "").toLowerCase().includes(needle))
        .map((u) => u.id);
      expect({ payload, ids: users.map((u) => u.id).sort() }).toEqual({ payload, ids: expected.sort() });
    }
  });

  test("the audit filter and history cursors take the payload as data or refuse it", async () => {
    for (const payload of SQL_PAYLOADS) {
      const audit = await as(admin, "GET", `/api/admin/audit?event=${enc(payload)}`);
      expect({ payload, body: await audit.json() }).toEqual({ payload, body: { entries: [] } });
      const before = await as(alice, "GET", `/api/rooms/${roomId}/messages?before=${enc(payload)}`);
      expect({ payload, status: before.status }).toEqual({ payload, status: 400 });
      const limit = await as(admin, "GET", `/api/admin/audit?limit=${enc(payload)}`);
      expect({ payload, status: limit.status }).toEqual({ payload, status: 400 });
    }
  });
});

describe("in JSON fields", () => {
  test("as a username: login finds no one and registration refuses the characters", async () => {
    for (const payload of SQL_PAYLOADS.slice(0, 8)) {
      const login = await as(null, "POST", "/api/auth/login", { username: payload, password: payload.padEnd(12, "x") });
      expect({ payload, login: login.status, cookie: login.headers.getSetCookie().some((c) => c.includes("vaultroom_session=ey")) }).toEqual({
        payload,
        login: 401,
        cookie: false,
      });
      const register = await as(null, "POST", "/api/auth/register", { username: payload, password: "a long enough passphrase 9" });
      expect({ payload, register: register.status }).toEqual({ payload, register: 400 });
    }
  }, 30_000); // one argon2id verification per login, on a shared machine

  test("as a display name, room name, topic, message, caption or file name: stored verbatim", async () => {
    for (const payload of SQL_PAYLOADS) {
      const named = await as(bob, "PATCH", "/api/account", { displayName: payload });
      if (isReservedName(payload)) {
        // "admin'--" reads as "admin": refused as a name of the system, which is not an injection.
        expect({ payload, error: ((await named.json()) as { error: string }).error }).toEqual({ payload, error: "display_name_reserved" });
      } else {
        expect({ payload, name: ((await named.json()) as { user: { displayName: string } }).user.displayName }).toEqual({ payload, name: payload.trim() || null } as never);
      }

      const room = await as(alice, "PATCH", `/api/rooms/${roomId}`, { name: payload, topic: payload });
      expect({ payload, room: ((await room.json()) as { room: object }).room }).toMatchObject({ payload, room: { name: payload, topic: payload } });

      const posted = await as(alice, "POST", `/api/rooms/${roomId}/messages`, { clientId: crypto.randomUUID(), body: payload });
      expect({ payload, body: ((await posted.json()) as { message: { body: string } }).message.body }).toEqual({ payload, body: payload });

      if (payload.includes("/") || payload.includes("\\")) continue; // file names keep only their last path segment
      const query = new URLSearchParams({ name: payload, caption: payload });
      const upload = await app.request(`/api/rooms/${roomId}/files?${query}`, { method: "POST", cookie: alice.cookie, body: "x", headers: { "content-type": "application/octet-stream" } });
      const { message } = (await upload.json()) as { message: { body: string; attachment: { name: string } } };
      expect({ payload, caption: message.body, name: message.attachment.name }).toEqual({ payload, caption: payload, name: payload });
    }
  });

  test("as a number field: refused as the wrong type", async () => {
    for (const payload of SQL_PAYLOADS) {
      for (const [method, path, json] of [
        ["POST", "/api/dms", { userIds: [payload] }],
        ["POST", `/api/rooms/${roomId}/members`, { userId: payload }],
        ["POST", `/api/rooms/${roomId}/read`, { messageId: payload }],
        ["PUT", "/api/admin/storage/quota", { quotaBytes: payload }],
      ] as const) {
        const response = await as(admin, method, path, json);
        expect({ payload, path, status: response.status }).toEqual({ payload, path, status: 400 });
      }
    }
  });
});

test("afterwards every table is intact and holds exactly what was legitimately written", async () => {
  expect(await schema()).toBe(schemaBefore);
  if (app.store.engine === "sqlite") expect(await app.sql.get("PRAGMA integrity_check")).toEqual({ integrity_check: "ok" });
  expect(await count("users")).toBe(3);
  const bodies = await app.sql.all<{ body: string }>("SELECT body FROM messages WHERE room_id = ? ORDER BY id", roomId);
  expect(bodies[0]).toEqual({ body: "hello" });
  const stored = new Set(bodies.map((b) => b.body));
  for (const payload of SQL_PAYLOADS) expect({ payload, stored: stored.has(payload) }).toEqual({ payload, stored: true });
  expect((await as(alice, "GET", `/api/rooms/${roomId}/messages?before=${messageId + 1}`)).status).toBe(200);
  for (const user of [admin, alice, bob]) expect((await as(user, "GET", "/api/me")).status).toBe(200);
});
