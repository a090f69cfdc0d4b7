// Every HTTP route of the API with a valid request for it: the starting point the fuzzer mutates.
// http-routes.test.ts checks this table against the app's own route list, so a new route without a
// row here fails the suite until it is fuzzed too.
import type { TestApp } from "../support/app.ts";
import { setFactorPolicy } from "../../src/accounts/factor-policy.ts";
import { repairFuzzFixture } from "../support/commands.ts";
import { createTestUser, loginTestUser, type TestUser } from "../support/users.ts";

type Json = Record<string, unknown>;

/** Things that exist before fuzzing starts, so valid requests reach the code behind the checks. */
export interface Fixture {
  admin: TestUser;
  /** A user admins may change, disable or reset without touching the fuzzing actors. */
  victim: TestUser;
  /** Public room every fuzzing user joins; holds `messageId` and `fileId`. */
  roomId: number;
  /** Public rooms for renaming/archiving and for leaving/removing, kept apart from `roomId`. */
  patchRoomId: number;
  spareRoomId: number;
  messageId: number;
  fileId: string;
  inviteId: string;
  /** Members of `roomId` who take turns sending, so per-user rate limits leave most requests through. */
  users: TestUser[];
  /** A reset link's token for a throwaway user (its first valid use spends it and ends only that user's sessions). */
  resetToken: string;
  /** An open report of a throwaway message of the admin's in `roomId` (resolving it "deleted" costs nothing shared). */
  reportId: number;
  /** A finished export of the admin's data, so the download route reaches the file. */
  exportId: string;
  /** The keys of a real P-256 push subscription (the endpoint is a closed local port). */
  pushKeys: { p256dh: string; auth: string };
}

/** Who sends one fuzzed request, with a session of its own (a fuzzed logout ends only that one). */
export interface Actor {
  kind: "none" | "user" | "admin";
  cookie: string | null;
  sessionId: string;
  userId: number;
}

/**
 * Placeholders in samples, filled in as each request is sent: values only known once its actor exists,
 * and values that must be new every time (a reused clientId would only ever hit the duplicate path).
 */
export const LATE = { session: "$session", ownMessage: "$ownMessage", uuid: "$uuid", name: "$name" } as const;

export interface RouteCase {
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  /** As Elysia lists it, e.g. /api/rooms/:id/members/:userId. */
  path: string;
  params?: (f: Fixture) => Record<string, string>;
  query?: (f: Fixture) => Record<string, string>;
  body?: (f: Fixture) => Json;
  /** The body is raw bytes (uploads), not JSON. */
  rawBody?: true;
  /** Only meaningful on a listening server (the socket upgrade): fuzzed in socket-frames.test.ts. */
  socketOnly?: true;
  /**
   * The actor's session has just re-authenticated (as after POST /api/account/reauth), so routes behind
   * the 5-minute re-authentication reach the code behind it instead of answering reauth_required.
   */
  reauth?: true;
}

const WRONG_PASSWORD = "definitely not the password";
/** createTestUser's password for every test user. */
const TEST_PASSWORD = "correct horse battery staple";
/** A passkey ceremony's answer of the right shape; @simplewebauthn refuses it (passkey_failed), which is the deepest a made-up one gets. */
const b64u = (bytes: number) => Buffer.alloc(bytes, 7).toString("base64url");
const assertion = () => ({
  id: b64u(16),
  rawId: b64u(16),
  type: "public-key",
  clientExtensionResults: {},
  response: { clientDataJSON: b64u(64), authenticatorData: b64u(37), signature: b64u(70), userHandle: b64u(8) },
});
const attestation = () => ({
  id: b64u(16),
  rawId: b64u(16),
  type: "public-key",
  clientExtensionResults: {},
  response: { clientDataJSON: b64u(64), attestationObject: b64u(120), transports: ["internal"] },
});
const uuid = () => crypto.randomUUID();

export const ROUTES: RouteCase[] = [
  { method: "GET", path: "/api/health" },
  { method: "GET", path: "/api/auth/registration" },
  { method: "GET", path: "/api/auth/session" },
  {
    method: "POST",
    path: "/api/auth/register",
    body: () => ({ username: LATE.name, password: "a long enough passphrase 77", displayName: "Fuzz", invite: "x" }),
  },
  { method: "POST", path: "/api/auth/login", body: (f) => ({ username: f.victim.username, password: WRONG_PASSWORD }) },
  { method: "POST", path: "/api/auth/logout" },
  { method: "GET", path: "/api/me" },
  { method: "GET", path: "/api/sessions/" },
  { method: "DELETE", path: "/api/sessions/:id", params: () => ({ id: LATE.session }) },
  { method: "POST", path: "/api/sessions/revoke-others" },
  { method: "POST", path: "/api/account/password", body: () => ({ currentPassword: WRONG_PASSWORD, newPassword: "another long passphrase 42" }) },
  { method: "PATCH", path: "/api/account/", body: () => ({ displayName: "Fuzzy Name" }) },
  { method: "DELETE", path: "/api/account/", body: () => ({ password: WRONG_PASSWORD }) },
  { method: "GET", path: "/api/admin/users" },
  { method: "PATCH", path: "/api/admin/users/:id", params: (f) => ({ id: String(f.victim.id) }), body: () => ({ isAdmin: false, disabled: false }) },
  { method: "POST", path: "/api/admin/users/:id/reset-password", params: (f) => ({ id: String(f.victim.id) }) },
  { method: "GET", path: "/api/admin/settings" },
  { method: "PATCH", path: "/api/admin/settings", body: () => ({ registrationMode: "open" }) },
  { method: "GET", path: "/api/admin/invites" },
  { method: "POST", path: "/api/admin/invites", body: () => ({ expiresInHours: 24, maxUses: 2 }) },
  { method: "DELETE", path: "/api/admin/invites/:id", params: (f) => ({ id: f.inviteId }) },
  { method: "GET", path: "/api/admin/stats" },
  { method: "GET", path: "/api/admin/audit", query: () => ({ before: "1000000", limit: "10", event: "logout" }) },
  { method: "GET", path: "/api/admin/storage/" },
  { method: "PUT", path: "/api/admin/storage/quota", body: () => ({ quotaBytes: 1024 * 1024 * 1024 }) },
  { method: "GET", path: "/api/rooms/" },
  { method: "GET", path: "/api/rooms/public", query: (f) => ({ after: String(f.roomId), limit: "10", query: "fuzz" }) },
  { method: "POST", path: "/api/rooms/", body: (f) => ({ kind: "public", name: "fuzz room", topic: "a topic", members: [f.victim.id] }) },
  { method: "GET", path: "/api/rooms/:id", params: (f) => ({ id: String(f.roomId) }) },
  { method: "PATCH", path: "/api/rooms/:id", params: (f) => ({ id: String(f.patchRoomId) }), body: () => ({ name: "renamed", topic: "new topic", archived: false, pinPolicy: "owners" }) },
  { method: "POST", path: "/api/rooms/:id/join", params: (f) => ({ id: String(f.roomId) }) },
  { method: "POST", path: "/api/rooms/:id/leave", params: (f) => ({ id: String(f.spareRoomId) }) },
  { method: "GET", path: "/api/rooms/:id/members", params: (f) => ({ id: String(f.roomId) }) },
  { method: "POST", path: "/api/rooms/:id/members", params: (f) => ({ id: String(f.spareRoomId) }), body: (f) => ({ userId: f.victim.id }) },
  { method: "DELETE", path: "/api/rooms/:id/members/:userId", params: (f) => ({ id: String(f.spareRoomId), userId: String(f.victim.id) }) },
  {
    method: "GET",
    path: "/api/rooms/:id/messages",
    params: (f) => ({ id: String(f.roomId) }),
    query: (f) => ({ around: String(f.messageId), limit: "20" }),
  },
  {
    method: "POST",
    path: "/api/rooms/:id/messages",
    params: (f) => ({ id: String(f.roomId) }),
    body: (f) => ({ clientId: LATE.uuid, body: "hello from the fuzzer", threadRootId: f.messageId, alsoToRoom: true, quoteId: f.messageId }),
  },
  { method: "GET", path: "/api/rooms/:id/pins", params: (f) => ({ id: String(f.roomId) }) },
  { method: "PUT", path: "/api/messages/:id/reactions/:emoji", params: () => ({ id: LATE.ownMessage, emoji: encodeURIComponent("👍") }) },
  { method: "DELETE", path: "/api/messages/:id/reactions/:emoji", params: () => ({ id: LATE.ownMessage, emoji: encodeURIComponent("👍") }) },
  { method: "PUT", path: "/api/messages/:id/pin", params: () => ({ id: LATE.ownMessage }) },
  { method: "DELETE", path: "/api/messages/:id/pin", params: () => ({ id: LATE.ownMessage }) },
  { method: "GET", path: "/api/threads", query: () => ({ before: "1000000" }) },
  { method: "POST", path: "/api/threads/:id/read", params: (f) => ({ id: String(f.messageId) }), body: (f) => ({ messageId: f.messageId }) },
  { method: "POST", path: "/api/rooms/:id/read", params: (f) => ({ id: String(f.roomId) }), body: (f) => ({ messageId: f.messageId }) },
  { method: "PATCH", path: "/api/messages/:id", params: () => ({ id: LATE.ownMessage }), body: () => ({ body: "edited by the fuzzer" }) },
  { method: "DELETE", path: "/api/messages/:id", params: () => ({ id: LATE.ownMessage }) },
  { method: "POST", path: "/api/dms", body: (f) => ({ userIds: [f.victim.id] }) },
  { method: "GET", path: "/api/users", query: () => ({ query: "fu", limit: "5" }) },
  { method: "GET", path: "/api/presence" },
  { method: "GET", path: "/api/search", query: (f) => ({ q: "first from:fuzz -x has:link", room: String(f.roomId), limit: "5", sort: "newest", tz: "-60" }) },
  { method: "GET", path: "/ws", socketOnly: true },
  {
    method: "POST",
    path: "/api/rooms/:id/files",
    params: (f) => ({ id: String(f.roomId) }),
    query: () => ({ name: "notes.txt", caption: "a caption", clientId: LATE.uuid }),
    rawBody: true,
  },
  { method: "GET", path: "/api/files/usage" },
  { method: "GET", path: "/api/files/:id", params: (f) => ({ id: f.fileId }), query: () => ({ inline: "1" }) },
  // First run, invitations, blocks and several files per message (issues 19 and 21 §4).
  { method: "POST", path: "/api/auth/invite", body: () => ({ token: "not-a-real-invite-token" }) },
  { method: "POST", path: "/api/admin/setup", body: () => ({ serverName: "Fuzz", registrationMode: "invite", createGeneral: false }) },
  { method: "POST", path: "/api/admin/setup/skip" },
  { method: "GET", path: "/api/admin/users/:id/rooms", params: (f) => ({ id: String(f.victim.id) }) },
  { method: "POST", path: "/api/admin/users/:id/rooms/remove", params: (f) => ({ id: String(f.victim.id) }), body: (f) => ({ roomIds: [f.spareRoomId] }) },
  { method: "GET", path: "/api/requests" },
  { method: "POST", path: "/api/requests/:id/accept", params: (f) => ({ id: String(f.spareRoomId) }) },
  { method: "POST", path: "/api/requests/:id/decline", params: (f) => ({ id: String(f.spareRoomId) }), body: () => ({ block: false }) },
  { method: "GET", path: "/api/blocks" },
  { method: "PUT", path: "/api/blocks/:userId", params: (f) => ({ userId: String(f.victim.id) }) },
  { method: "DELETE", path: "/api/blocks/:userId", params: (f) => ({ userId: String(f.victim.id) }) },
  { method: "POST", path: "/api/rooms/:id/hide", params: (f) => ({ id: String(f.roomId) }) },
  { method: "GET", path: "/api/rooms/:id/requests", params: (f) => ({ id: String(f.roomId) }) },
  { method: "POST", path: "/api/rooms/:id/invites", params: (f) => ({ id: String(f.spareRoomId) }), body: () => ({ expiresInHours: 24, maxUses: 2 }) },
  { method: "POST", path: "/api/rooms/:id/uploads", params: (f) => ({ id: String(f.roomId) }), query: () => ({ name: "tray.txt" }), rawBody: true },
  { method: "DELETE", path: "/api/uploads/:id", params: () => ({ id: "AAAAAAAAAAAAAAAAAAAAAA" }) },
  // Operations (issue 17): reports, bans, retention, the audit chain, the API's own description.
  { method: "POST", path: "/api/messages/:id/report", params: (f) => ({ id: String(f.messageId) }), body: () => ({ reason: "fuzzing a report" }) },
  { method: "GET", path: "/api/admin/reports", query: () => ({ status: "open", before: "1000000", limit: "10" }) },
  { method: "POST", path: "/api/admin/reports/:id/resolve", params: (f) => ({ id: String(f.reportId) }), body: () => ({ action: "dismissed" }) },
  // Bans land in patchRoomId (the admin owns it); repairFixture lifts every ban a fuzzed id may have made elsewhere.
  { method: "GET", path: "/api/rooms/:id/bans", params: (f) => ({ id: String(f.patchRoomId) }) },
  { method: "POST", path: "/api/rooms/:id/bans", params: (f) => ({ id: String(f.patchRoomId) }), body: (f) => ({ userId: f.victim.id, reason: "fuzzed" }) },
  { method: "DELETE", path: "/api/rooms/:id/bans/:userId", params: (f) => ({ id: String(f.patchRoomId), userId: String(f.victim.id) }) },
  { method: "GET", path: "/api/rooms/:id/retention", params: (f) => ({ id: String(f.roomId) }) },
  { method: "PUT", path: "/api/rooms/:id/retention", params: (f) => ({ id: String(f.patchRoomId) }), body: () => ({ retentionDays: 365, disappearHours: null }) },
  { method: "GET", path: "/api/admin/retention" },
  { method: "PUT", path: "/api/admin/retention", body: () => ({ messageDays: 3650, fileDays: null }) },
  { method: "GET", path: "/api/admin/audit/events" },
  { method: "GET", path: "/api/admin/audit/verify" },
  { method: "GET", path: "/api/openapi.json" },
  { method: "POST", path: "/api/admin/rooms/:id/export", params: (f) => ({ id: String(f.roomId) }) },
  // Notifications and Web Push (issue 12).
  { method: "GET", path: "/api/notifications" },
  { method: "PATCH", path: "/api/notifications", body: () => ({ defaultLevel: "mentions", dndUntil: null, soundRooms: true, soundDms: false, previews: true }) },
  { method: "PUT", path: "/api/rooms/:id/notify", params: (f) => ({ id: String(f.roomId) }), body: () => ({ level: "all", mutedUntil: null }) },
  { method: "GET", path: "/api/mentions", query: (f) => ({ before: String(f.messageId + 1), limit: "10" }) },
  { method: "GET", path: "/api/push/devices" },
  { method: "PUT", path: "/api/push/subscription", body: (f) => ({ endpoint: "https://127.0.0.1:9/push/fuzz", keys: f.pushKeys }) },
  { method: "DELETE", path: "/api/push/subscription" },
  { method: "DELETE", path: "/api/push/devices/:id", params: () => ({ id: "1" }) },
  { method: "POST", path: "/api/push/test" },
  // Accounts (issue 14): the security overview, re-authentication, TOTP, recovery codes, passkeys, exports.
  { method: "GET", path: "/api/account/security" },
  { method: "POST", path: "/api/account/reauth", body: () => ({ password: TEST_PASSWORD }) },
  { method: "POST", path: "/api/account/totp/setup", reauth: true },
  // A valid code needs the secret this actor's setup answered, which a fuzzed request cannot know ahead:
  // the well-formed code reaches the check of a pending setup and the code (totp_setup_missing, invalid_code).
  { method: "POST", path: "/api/account/totp/enable", body: () => ({ code: "123456" }), reauth: true },
  { method: "POST", path: "/api/account/totp/disable", reauth: true },
  { method: "POST", path: "/api/account/recovery-codes", reauth: true },
  { method: "GET", path: "/api/auth/passkeys" },
  { method: "POST", path: "/api/auth/passkey/options" },
  // Passkey ceremonies: a made-up answer of the right shape reaches @simplewebauthn's verification and
  // is refused there (passkey_failed); a real one needs an authenticator (test/e2e covers it in Chromium).
  { method: "POST", path: "/api/auth/passkey", body: () => ({ response: assertion() }) },
  { method: "POST", path: "/api/account/reauth/passkey/options" },
  { method: "POST", path: "/api/account/reauth/passkey", body: () => ({ response: assertion() }) },
  { method: "POST", path: "/api/account/passkeys/options", reauth: true },
  { method: "POST", path: "/api/account/passkeys", body: () => ({ response: attestation(), name: "fuzz key" }), reauth: true },
  { method: "PATCH", path: "/api/account/passkeys/:id", params: () => ({ id: b64u(16) }), body: () => ({ name: "renamed key" }) },
  { method: "DELETE", path: "/api/account/passkeys/:id", params: () => ({ id: b64u(16) }), reauth: true },
  // The login's second step reads only the half-session cookie a password login with 2FA sets, which no
  // fuzzing actor holds (the actors' sessions are whole): these answer second_factor_expired, and the
  // hostile cookies, bodies and content types still go through their parsing. Codes that pass are
  // in test/api/two-factor-login.test.ts.
  { method: "POST", path: "/api/auth/second-factor", body: () => ({ code: "123456" }) },
  { method: "POST", path: "/api/auth/second-factor/cancel" },
  { method: "POST", path: "/api/auth/second-factor/passkey/options" },
  { method: "POST", path: "/api/auth/second-factor/passkey", body: () => ({ response: assertion() }) },
  // The first valid use spends the token (then reset_link_invalid); it belongs to a throwaway user.
  { method: "POST", path: "/api/auth/reset-password/account", body: (f) => ({ token: f.resetToken }) },
  { method: "POST", path: "/api/auth/reset-password", body: (f) => ({ token: f.resetToken, newPassword: "a brand new long passphrase 9" }) },
  { method: "GET", path: "/api/admin/second-factor-policy" },
  // repairFixture turns the policy off again: "admins" or "everyone" locks every actor without a second factor out.
  { method: "PUT", path: "/api/admin/second-factor-policy", body: () => ({ policy: "off", graceLogins: 3 }) },
  { method: "POST", path: "/api/admin/users/:id/reset-second-factors", params: (f) => ({ id: String(f.victim.id) }) },
  { method: "GET", path: "/api/account/exports" },
  { method: "POST", path: "/api/account/exports" },
  { method: "GET", path: "/api/account/exports/:id/download", params: (f) => ({ id: f.exportId }) },
];

async function call(test: TestApp, cookie: string, method: string, path: string, json?: unknown): Promise<Json> {
  const response = await test.request(path, { method, cookie, ...(json === undefined ? {} : { json }) });
  if (response.status >= 300) throw new Error(`fixture ${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as Json;
}

export async function createFixture(test: TestApp): Promise<Fixture> {
  const admin = await createTestUser(test.deps, { username: "fuzzadmin", isAdmin: true });
  const victim = await createTestUser(test.deps, { username: "fuzzvictim" });
  const room = async (name: string) => ((await call(test, admin.cookie, "POST", "/api/rooms", { kind: "public", name })).room as { id: number }).id;
  const roomId = await room("fuzzing");
  const patchRoomId = await room("renamed often");
  const spareRoomId = await room("left often");
  const posted = await call(test, admin.cookie, "POST", `/api/rooms/${roomId}/messages`, { clientId: uuid(), body: "the first message" });
  const upload = await test.request(`/api/rooms/${roomId}/files?name=fixture.txt`, {
    method: "POST",
    cookie: admin.cookie,
    body: "fixture bytes",
    headers: { "content-type": "application/octet-stream" },
  });
  if (upload.status !== 201) throw new Error(`fixture upload: ${upload.status} ${await upload.text()}`);
  const uploaded = (await upload.json()) as { message: { attachment: { id: string } } };
  const invite = await call(test, admin.cookie, "POST", "/api/admin/invites", { maxUses: 5 });
  const reported = await call(test, admin.cookie, "POST", `/api/rooms/${roomId}/messages`, { clientId: uuid(), body: "to be reported" });
  const users: TestUser[] = [];
  for (let i = 0; i < POOL_SIZE; i++) {
    const user = await createTestUser(test.deps, { username: `fuzzer${i}` });
    await call(test, user.cookie, "POST", `/api/rooms/${roomId}/join`);
    await call(test, user.cookie, "POST", `/api/rooms/${spareRoomId}/join`);
    users.push(user);
  }
  await call(test, users[0]!.cookie, "POST", `/api/messages/${(reported.message as { id: number }).id}/report`, { reason: "fixture report" });
  const reports = await call(test, admin.cookie, "GET", "/api/admin/reports");
  const resettable = await createTestUser(test.deps, { username: "fuzzreset" });
  const link = await call(test, admin.cookie, "POST", `/api/admin/users/${resettable.id}/reset-password`);
  const exported = await call(test, admin.cookie, "POST", "/api/account/exports");
  await test.app.decorator.services.exports.settled();
  const keyPair = (await crypto.subtle.generateKey({ name: "ECDH", namedCurve: "P-256" }, true, ["deriveBits"])) as CryptoKeyPair;
  const publicKey = new Uint8Array(await crypto.subtle.exportKey("raw", keyPair.publicKey));
  return {
    admin,
    victim,
    roomId,
    patchRoomId,
    spareRoomId,
    messageId: (posted.message as { id: number }).id,
    fileId: uploaded.message.attachment.id,
    inviteId: (invite.invite as { id: string }).id,
    users,
    resetToken: (link.link as string).split("#token=")[1]!,
    reportId: (reports.reports as { id: number }[])[0]!.id,
    exportId: (exported.export as { id: string }).id,
    pushKeys: { p256dh: Buffer.from(publicKey).toString("base64url"), auth: Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64url") },
  };
}

const POOL_SIZE = 16;
let turn = 0;

/** A new session of the next pool user, of the admin, or nobody. */
export async function actorFor(test: TestApp, fixture: Fixture, kind: Actor["kind"]): Promise<Actor> {
  if (kind === "none") return { kind, cookie: null, sessionId: "0".repeat(32), userId: 0 };
  const user = kind === "admin" ? fixture.admin : fixture.users[turn++ % fixture.users.length]!;
  const session = await loginTestUser(test.deps, user.id);
  return { kind, cookie: session.cookie, sessionId: session.sessionId, userId: user.id };
}

/** A message of the actor's own (for edit/delete), or the fixture's when the actor cannot post. */
export async function ownMessageId(test: TestApp, fixture: Fixture, actor: Actor): Promise<number> {
  if (!actor.cookie) return fixture.messageId;
  const response = await test.request(`/api/rooms/${fixture.roomId}/messages`, { cookie: actor.cookie, json: { clientId: uuid(), body: "mine" } });
  // The admin's message budget runs dry over many runs (429): then the fixture's message will do.
  if (response.status !== 201) return fixture.messageId;
  return ((await response.json()) as { message: { id: number } }).message.id;
}

/** Undoes what fuzzed admin requests may have done to the shared fixture, between routes. */
export async function repairFixture(test: TestApp, fixture: Fixture): Promise<void> {
  await test.store.write(repairFuzzFixture, {
    adminId: fixture.admin.id,
    victimId: fixture.victim.id,
    userIds: fixture.users.map((user) => user.id),
    roomId: fixture.roomId,
    spareRoomId: fixture.spareRoomId,
    now: Date.now(),
  });
  // A policy wanting a second factor locks out every actor (the admin included) until it is off again.
  await test.store.write(setFactorPolicy, { actorId: fixture.admin.id, ip: "127.0.0.1", next: { policy: "off", graceLogins: 0 } });
  const { cookie } = await loginTestUser(test.deps, fixture.admin.id);
  const steps: [string, string, unknown][] = [
    ["PATCH", `/api/admin/users/${fixture.victim.id}`, { disabled: false }],
    ["PATCH", "/api/admin/settings", { registrationMode: "open" }],
    ["PUT", "/api/admin/storage/quota", { quotaBytes: null }],
    ["PUT", "/api/admin/retention", { messageDays: null, fileDays: null }],
  ];
  for (const [method, path, json] of steps) await call(test, cookie, method, path, json);
}
