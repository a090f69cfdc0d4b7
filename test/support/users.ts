// Users and logged-in sessions made straight in the database, so chat tests do not depend on the
// accounts routes. The cookie is signed with the app's own session key, exactly as a login would.
import type { AppDeps } from "../../src/app.ts";
import { createSessionTokens } from "../../src/accounts/session-jwt.ts";
import { SESSION_COOKIE } from "../../src/accounts/session-tokens.ts";
import { sessions } from "../../src/accounts/sessions.ts";
import { command } from "../../src/db/store.ts";
import { users } from "../../src/accounts/users.ts";
import { nameClashes } from "../../src/accounts/name-clashes.ts";
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

const insertUser = command(
  "test.insertUser",
  async (tx, input: { username: string; displayName: string | null; passwordHash: string; isAdmin: boolean }) =>
    {
      const { id } = await users.insert(tx, { ...input, key: usernameKey(input.username), skeleton: usernameSkeleton(input.username), mustChangePassword: false });
      // As registration records it (accounts/name-clashes.ts), so look-alike checks see test users too.
      await nameClashes.recordDisplayName(tx, id, input.displayName);
      return id;
    },
);

const startSession = command("test.startSession", async (tx, userId: number) => sessions.create(tx, userId, { userAgent: "test", ip: "127.0.0.1" }));

export async function createTestUser(
  deps: Pick<AppDeps, "store" | "secrets">,
  options: { username?: string; displayName?: string | null; isAdmin?: boolean } = {},
): Promise<TestUser> {
  passwordHash ??= Bun.password.hash("correct horse battery staple");
  const username = options.username ?? `user${++counter}_${Math.random().toString(36).slice(2, 8)}`;
  const id = await deps.store.write(insertUser, {
    username,
    displayName: options.displayName ?? null,
    passwordHash: await passwordHash,
    isAdmin: options.isAdmin ?? false,
  });
  return { id, username, displayName: options.displayName ?? null, ...(await loginTestUser(deps, id)) };
}

/** A further session (another device) for an existing user. */
export async function loginTestUser(deps: Pick<AppDeps, "store" | "secrets">, userId: number): Promise<{ cookie: string; sessionId: string }> {
  const claims = await deps.store.write(startSession, userId);
  const token = await createSessionTokens(deps.secrets.sessionKey).sign(claims);
  return { cookie: `${SESSION_COOKIE}=${token}`, sessionId: claims.sid };
}
