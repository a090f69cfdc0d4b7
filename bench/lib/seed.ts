// Makes the accounts and rooms every scenario starts from, through VaultRoom's real API: users
// register (the first becomes the admin), the admin opens the rooms, members join, each ingest
// sender opens a private room of its own. Registration is rate limited per client address (10 at
// once), so the users arrive from many loopback addresses; password hashing is bounded on the
// server, so the harness keeps few registrations in flight. The server is then stopped, and each
// scenario runs on a fresh copy of this data directory (same users, same sessions, no messages).
import { Secret, TOTP } from "otpauth";
import { api, clientAddress, sessionCookie } from "./http.ts";
import type { Member } from "./job.ts";
import type { RunningServer } from "./servers.ts";

export interface Seed {
  password: string;
  /** Every user; users[0] is the admin. Sessions (cookies) stay valid in copies of the data directory. */
  users: Member[];
  /** The room of N members the room scenarios use: users[0..members-1]. */
  benchRoomId: number;
  members: number;
  /** Room every user is in: idle sockets subscribe to it besides their own user topic. */
  lobbyRoomId: number;
  /** Private room of each ingest sender (users[i] owns ingestRooms[i]). */
  ingestRooms: number[];
}

export interface SeedPlan {
  users: number;
  members: number;
  ingestSenders: number;
  /** users[from .. from+count-1]: every other one of them turns TOTP on (the login storm's half on TOTP). */
  totpUsers: { from: number; count: number };
}

/** RFC 6238 as the server checks it (SHA-1, 6 digits, 30 s): what an authenticator app shows at `at`. */
export const totpCode = (secret: string, at: number) =>
  new TOTP({ algorithm: "SHA1", digits: 6, period: 30, secret: Secret.fromBase32(secret) }).generate({ timestamp: at });

/** Registrations one address may make at once (the server's burst is 10). */
const PER_ADDRESS = 10;
/** In flight at once: the server hashes two at a time and queues 32, so this never sees "busy". */
const PARALLEL = 8;

export const username = (i: number) => `b${String(i).padStart(5, "0")}`;

export async function seed(server: RunningServer, plan: SeedPlan, log: (line: string) => void): Promise<Seed> {
  const password = `bench-${crypto.randomUUID()}`;
  const users: Member[] = new Array(plan.users);
  let next = 0;
  let done = 0;
  const started = performance.now();
  const register = async () => {
    while (next < plan.users) {
      const i = next++;
      const response = await retry(() =>
        api(server.port, {
          method: "POST",
          path: "/api/auth/register",
          from: clientAddress(Math.floor(i / PER_ADDRESS)),
          body: { username: username(i), password },
        }),
      );
      if (response.status !== 201) throw new Error(`registering ${username(i)}: ${response.status} ${response.body.slice(0, 200)}`);
      users[i] = { userId: response.json<{ user: { id: number } }>().user.id, username: username(i), cookie: sessionCookie(response) };
      if (++done % 100 === 0) log(`  registered ${done}/${plan.users} users (${Math.round((performance.now() - started) / 1000)} s)`);
    }
  };
  // The first account becomes the admin; register it alone so that stays deterministic.
  next = 1;
  await (async () => {
    const response = await api(server.port, {
      method: "POST",
      path: "/api/auth/register",
      from: clientAddress(0),
      body: { username: username(0), password },
    });
    if (response.status !== 201) throw new Error(`registering the first user: ${response.status} ${response.body.slice(0, 200)}`);
    users[0] = { userId: response.json<{ user: { id: number } }>().user.id, username: username(0), cookie: sessionCookie(response) };
  })();
  await Promise.all(Array.from({ length: PARALLEL }, register));

  const call = async (member: Member, method: "POST", path: string, body?: unknown) => {
    const response = await api(server.port, { method, path, body, cookie: member.cookie });
    if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${response.body.slice(0, 200)}`);
    return response.json<{ room: { id: number } }>();
  };
  const admin = users[0]!;
  const benchRoomId = (await call(admin, "POST", "/api/rooms", { kind: "public", name: "bench", topic: "load test room" })).room.id;
  const lobbyRoomId = (await call(admin, "POST", "/api/rooms", { kind: "public", name: "lobby" })).room.id;
  await forEach(users.slice(1, plan.members), 16, (user) => call(user, "POST", `/api/rooms/${benchRoomId}/join`));
  await forEach(users.slice(1), 16, (user) => call(user, "POST", `/api/rooms/${lobbyRoomId}/join`));
  const onTotp = users.slice(plan.totpUsers.from, plan.totpUsers.from + plan.totpUsers.count).filter((_, i) => i % 2 === 0);
  await forEach(onTotp, 4, async (user, i) => {
    // Five per address, apart from the registrations' and the storm's: two login-bucket tries each.
    const from = clientAddress(200 + Math.floor(i / 5));
    // From the user's own address: re-authentication and enabling spend the login buckets.
    const send = async (path: string, body?: unknown) => {
      const response = await retry(() => api(server.port, { method: "POST", path, body, cookie: user.cookie, from }));
      if (response.status !== 200) throw new Error(`${path} for ${user.username}: ${response.status} ${response.body.slice(0, 200)}`);
      return response;
    };
    // Turning TOTP on wants a fresh re-authentication of the session (one more password hash each).
    await send("/api/account/reauth", { password });
    const secret = (await send("/api/account/totp/setup")).json<{ secret: string }>();
    const enabledAt = Date.now();
    await send("/api/account/totp/enable", { code: totpCode(secret.secret, enabledAt) });
    user.totpSecret = secret.secret;
    user.totpEnabledAt = enabledAt;
  });
  if (onTotp.length) log(`  ${onTotp.length} users turned TOTP on`);
  const ingestRooms: number[] = new Array(plan.ingestSenders);
  await forEach(users.slice(0, plan.ingestSenders), 16, async (user, i) => {
    ingestRooms[i] = (await call(user, "POST", "/api/rooms", { kind: "private", name: `ingest ${i}` })).room.id;
  });
  return { password, users, benchRoomId, members: plan.members, lobbyRoomId, ingestRooms };
}

async function forEach<T>(items: T[], parallel: number, work: (item: T, index: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      await work(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, items.length) }, worker));
}

/** Retries only "busy" (503): the server's bounded hashing queue saying "later", never an error. */
async function retry(call: () => ReturnType<typeof api>): ReturnType<typeof api> {
  for (let attempt = 0; ; attempt++) {
    const response = await call();
    if (response.status !== 503 || attempt >= 10) return response;
    await Bun.sleep(1000);
  }
}
