// GET /api/users?ids=…: names for the people a client sees online but has no name for. The same
// public fields as the directory, for the same people (active users only), at most 100 ids.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { DirectoryUser } from "../../src/protocol.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import { createTestUser, type TestUser } from "../support/users.ts";

let app: TestApp;
let alice: TestUser, bob: TestUser, gone: TestUser, banned: TestUser;

async function lookup(user: TestUser | null, query: string) {
  const res = await app.request(`/api/users?${query}`, { cookie: user?.cookie });
  return { status: res.status, body: (await res.json()) as { users?: DirectoryUser[]; error?: string } };
}

beforeAll(async () => {
  app = await createTestApp();
  [alice, bob, gone, banned] = await Promise.all([
    createTestUser(app.deps, { displayName: "Alice Liddell" }),
    createTestUser(app.deps),
    createTestUser(app.deps),
    createTestUser(app.deps),
  ]);
  await app.sql.run("UPDATE users SET deleted_at = 1, username = 'deleted-' || id WHERE id = ?", gone.id);
  await app.sql.run("UPDATE users SET disabled = 1 WHERE id = ?", banned.id);
}, 30_000);
afterAll(() => app.close());

describe("looking users up by id", () => {
  test("answers the named active users, by id, with the directory's public fields only", async () => {
    const { status, body } = await lookup(bob, `ids=${bob.id},${alice.id},${alice.id}`);
    expect(status).toBe(200);
    expect(body.users).toEqual([
      { id: alice.id, username: alice.username, displayName: "Alice Liddell", online: false },
      { id: bob.id, username: bob.username, displayName: null, online: false },
    ]);
  });

  test("leaves out unknown, deleted and disabled accounts, exactly like the directory", async () => {
    const { body } = await lookup(alice, `ids=${gone.id},${banned.id},999999,${bob.id}`);
    expect(body.users!.map((u) => u.id)).toEqual([bob.id]);
    const search = await lookup(alice, `query=${banned.username}`);
    expect(search.body.users).toEqual([]);
  });

  test("takes up to 100 ids and refuses more, or anything that is not a list of ids", async () => {
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1).join(",");
    const ok = await lookup(alice, `ids=${hundred}`);
    expect(ok.status).toBe(200);
    expect(ok.body.users!.map((u) => u.id)).toEqual([alice.id, bob.id].filter((id) => id <= 100));
    for (const bad of [`${hundred},101`, "", "0", "-1", "1,,2", "1;DROP TABLE users", "abc", "1e3", "9".repeat(16), "1,"]) {
      const { status, body } = await lookup(alice, `ids=${encodeURIComponent(bad)}`);
      expect({ bad, status, error: body.error }).toEqual({ bad, status: 400, error: "invalid_request" });
    }
  });

  test("asks either by ids or by query, not both", async () => {
    const { status, body } = await lookup(alice, `ids=${bob.id}&query=x`);
    expect({ status, error: body.error }).toEqual({ status: 400, error: "invalid_request" });
  });

  test("needs a login", async () => {
    expect((await lookup(null, `ids=${alice.id}`)).status).toBe(401);
  });
});
