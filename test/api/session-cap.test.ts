// Repeated logins cannot grow one account's sessions without bound: past the cap, the least
// recently used sessions end (and their sockets close), the newest ones keep working.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { startSession } from "../../src/accounts/login.ts";
import { MAX_SESSIONS_PER_USER, sessions as sessionRepo } from "../../src/accounts/sessions.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import { accountsOf, isLoggedIn, registerUser, watchEndedSessions } from "./accounts-helpers.ts";

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());

test(`a login beyond ${MAX_SESSIONS_PER_USER} sessions ends the least recently used one`, async () => {
  const first = await registerUser(app, "alice");
  const accounts = accountsOf(app);
  const ended = watchEndedSessions(app);
  const meta = { ip: "198.51.100.7", userAgent: "script" };
  // The browser's session was last used a minute ago; the scripted ones below are all newer.
  expect(await app.sql.run("UPDATE sessions SET last_seen_at = last_seen_at - 60000 WHERE user_id = ?", first.user.id)).toBe(1);
  // Logins as the login route makes them (the rate limit is the route's business, not this test's).
  for (let i = 0; i < MAX_SESSIONS_PER_USER; i++) await startSession(accounts, first.user, meta, null);
  const sessions = await sessionRepo.list(app.store.read, first.user.id);
  expect(sessions).toHaveLength(MAX_SESSIONS_PER_USER);
  expect(await isLoggedIn(app, first.cookie)).toBe(false);
  expect(ended.flatMap((e) => e.sessionIds)).toHaveLength(1);
  expect(ended[0]!.reason).toBe("too_many_sessions");
});
