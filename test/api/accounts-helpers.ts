// Shared steps for the accounts and admin API tests. Passwords hash with the real argon2id (~100 ms),
// so tests create few users and reuse them within a file.
import type { Accounts } from "../../src/accounts/accounts.ts";
import type { AuditEntry, User } from "../../src/accounts/types.ts";
import { cookieFrom, type TestApp } from "../support/app.ts";

export const PASSWORD = "correct horse battery staple";

/** The accounts services of the app under test (exposed by accountApi for exactly this). */
export function accountsOf(test: TestApp): Accounts {
  return (test.app.decorator as unknown as { accounts: Accounts }).accounts;
}

export interface Session {
  user: User;
  cookie: string;
}

export async function registerUser(test: TestApp, username: string, extra: Record<string, unknown> = {}): Promise<Session> {
  const response = await test.request("/api/auth/register", { json: { username, password: PASSWORD, ...extra } });
  if (response.status !== 201) throw new Error(`register ${username}: ${response.status} ${await response.text()}`);
  const { user } = (await response.json()) as { user: User };
  return { user, cookie: cookieFrom(response) };
}

export async function loginUser(test: TestApp, username: string, password = PASSWORD): Promise<Session> {
  const response = await test.request("/api/auth/login", { json: { username, password } });
  if (response.status !== 200) throw new Error(`login ${username}: ${response.status} ${await response.text()}`);
  const { user } = (await response.json()) as { user: User };
  return { user, cookie: cookieFrom(response) };
}

export async function errorOf(response: Response): Promise<{ status: number; error: string }> {
  const body = (await response.json()) as { error: string };
  return { status: response.status, error: body.error };
}

export function auditRows(test: TestApp, event: string): Promise<AuditEntry[]> {
  return accountsOf(test).audit.list({ event });
}

/** Collects every `sessions.ended` announcement, as the socket layer receives them after each commit. */
export function watchEndedSessions(test: TestApp): Array<{ sessionIds: string[]; reason: string }> {
  const seen: Array<{ sessionIds: string[]; reason: string }> = [];
  const hub = test.app.decorator.services.chat.hub;
  const apply = hub.apply.bind(hub);
  hub.apply = (item) => {
    if (item.kind === "sessions.ended") seen.push({ sessionIds: item.sessionIds, reason: item.reason });
    apply(item);
  };
  return seen;
}

export async function isLoggedIn(test: TestApp, cookie: string): Promise<boolean> {
  return (await test.request("/api/me", { cookie })).status === 200;
}
