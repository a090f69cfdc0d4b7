// Users and logged-in sessions made straight in the database, so chat tests do not depend on the
// accounts routes. The cookie is signed with the app's own session key, exactly as a login would.
import type { AppDeps } from "../../src/app.ts";
import { SESSION_COOKIE, createSessionTokens } from "../../src/accounts/session-tokens.ts";
import { createSessionStore } from "../../src/accounts/sessions.ts";
import { usernameKey, usernameSkeleton } from "../../src/accounts/usernames.ts";

export interface TestUser {
  id: number;
  username: string;
  displayName: string | null;
  /** A Cookie header value for this user's session. */
  cookie: string;
  sessionId: string;
}

// Argon2id is slow on purpose; one hash per test process is plenty.
let passwordHash: Promise<string> | null = null;
let counter = 0;

export async function createTestUser(
  deps: Pick<AppDeps, "db" | "secrets">,
  options: { username?: string; displayName?: string | null; isAdmin?: boolean } = {},
): Promise<TestUser> {
  passwordHash ??= Bun.password.hash("correct horse battery staple");
  const username = options.username ?? `user${++counter}_${Math.random().toString(36).slice(2, 8)}`;
  const displayName = options.displayName ?? null;
  const { id } = deps.db
    .query<{ id: number }, [string, string, string, string | null, string | null, string, number, number]>(
      `INSERT INTO users (username, username_key, skeleton, display_name, display_skeleton, password_hash, is_admin, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
    )
    .get(
      username,
      usernameKey(username),
      usernameSkeleton(username),
      displayName,
      displayName === null ? null : usernameSkeleton(displayName),
      await passwordHash,
      options.isAdmin ? 1 : 0,
      Date.now(),
    )!;
  return { id, username, displayName: options.displayName ?? null, ...(await loginTestUser(deps, id)) };
}

/** A further session (another device) for an existing user. */
export async function loginTestUser(deps: Pick<AppDeps, "db" | "secrets">, userId: number): Promise<{ cookie: string; sessionId: string }> {
  const claims = createSessionStore(deps.db).create(userId, { userAgent: "test", ip: "127.0.0.1" });
  const token = await createSessionTokens(deps.secrets.sessionKey).sign(claims);
  return { cookie: `${SESSION_COOKIE}=${token}`, sessionId: claims.sid };
}
