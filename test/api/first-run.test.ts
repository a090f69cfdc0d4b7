// The first administrator's welcome and invite links into a room (issue 19 items 6 and 7): setup
// once (server name, a conscious registration mode, #general, a first invite link into it), never
// again; skipping keeps the secure default; a room's invite link brings the new account into that
// room, and its landing page says who invited whom to which server.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { InviteInfo, SessionProbe, SetupResponse } from "../../src/accounts/types.ts";
import type { Room } from "../../src/protocol.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import { errorOf, registerUser } from "./accounts-helpers.ts";
import { createTestUser } from "../support/users.ts";

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
}, 30_000);
afterAll(() => app.close());

const probe = async (cookie?: string) => (await (await app.request("/api/auth/session", { cookie })).json()) as SessionProbe;
const tokenOf = (link: string) => link.slice(link.indexOf("#invite=") + "#invite=".length);

describe("the first run, as one journey", () => {
  test("asked once; setup names the server, chooses the mode, makes #general and a link that brings a colleague into it", async () => {
    // The first account is asked to set the server up; nobody else is.
    const admin = await registerUser(app, "root");
    expect(admin.user.isAdmin).toBe(true);
    expect(await probe(admin.cookie)).toMatchObject({ setupNeeded: true, serverName: null });
    expect((await probe()).setupNeeded).toBe(false);

    const response = await app.request("/api/admin/setup", {
      json: { serverName: "  Acme chat ", registrationMode: "invite", createGeneral: true, generalTopic: "Everyone" },
      cookie: admin.cookie,
    });
    expect(response.status).toBe(200);
    const setup = (await response.json()) as SetupResponse;
    expect(setup).toMatchObject({ serverName: "Acme chat", registrationMode: "invite", invite: { invite: { maxUses: 10, uses: 0 } } });
    expect(setup.invite!.link).toStartWith("/register#invite=");
    // Strangers see the name (login page, titles), and the admin is not asked again.
    expect(await (await app.request("/api/auth/registration")).json()).toEqual({ mode: "invite", serverName: "Acme chat", firstAccount: false });
    expect(await probe(admin.cookie)).toMatchObject({ setupNeeded: false, serverName: "Acme chat" });
    const rooms = (await (await app.request("/api/rooms", { cookie: admin.cookie })).json()) as { rooms: Room[] };
    expect(rooms.rooms.map((r) => [r.id, r.name, r.kind, r.topic])).toEqual([[setup.roomId!, "general", "public", "Everyone"]]);
    const again = await app.request("/api/admin/setup", { json: { registrationMode: "open", createGeneral: false }, cookie: admin.cookie });
    expect(await errorOf(again)).toEqual({ status: 409, error: "setup_done" });
    expect(await errorOf(await app.request("/api/admin/setup/skip", { method: "POST", cookie: admin.cookie }))).toEqual({ status: 409, error: "setup_done" });

    // The link's landing page says who invites to which server and room; the new account lands in #general.
    const token = tokenOf(setup.invite!.link);
    const info = (await (await app.request("/api/auth/invite", { json: { token } })).json()) as InviteInfo;
    expect(info).toMatchObject({ serverName: "Acme chat", invitedBy: { username: "root" }, room: { name: "general", kind: "public" } });
    // A link that is not valid gets the registration refusal, and says nothing more.
    expect(await errorOf(await app.request("/api/auth/invite", { json: { token: "x".repeat(43) } }))).toEqual({ status: 403, error: "invite_invalid" });
    const colleague = await registerUser(app, "colleague", { invite: token });
    const theirs = (await (await app.request("/api/rooms", { cookie: colleague.cookie })).json()) as { rooms: Room[] };
    expect(theirs.rooms.map((r) => r.id)).toEqual([setup.roomId!]);
    // Without a link, registration stays closed to strangers (invite-only was chosen).
    expect(await errorOf(await app.request("/api/auth/register", { json: { username: "nobody", password: "a long enough passphrase 77" } }))).toMatchObject({
      error: "invite_required",
    });

    // Only an administrator may run or skip setup.
    expect((await app.request("/api/admin/setup", { json: { registrationMode: "open", createGeneral: false }, cookie: colleague.cookie })).status).toBe(403);
    expect((await app.request("/api/admin/setup/skip", { method: "POST", cookie: colleague.cookie })).status).toBe(403);
  }, 60_000);

  test("an invite link made in a private room's Add people brings the new account into that room", async () => {
    const admin = { user: await createTestUser(app.deps, { isAdmin: true }) };
    const colleague = await createTestUser(app.deps);
    const cookieOf = { admin: admin.user.cookie, colleague: colleague.cookie };
    const { room } = (await (await app.request("/api/rooms", { json: { kind: "private", name: "board" }, cookie: cookieOf.admin })).json()) as { room: Room };
    // A member who is not the owner may not make one for a private room (nor anyone for a room they cannot see).
    expect((await app.request(`/api/rooms/${room.id}/invites`, { json: {}, cookie: cookieOf.colleague })).status).toBe(404);
    const created = await app.request(`/api/rooms/${room.id}/invites`, { json: { maxUses: 1, expiresInHours: 48 }, cookie: cookieOf.admin });
    expect(created.status).toBe(201);
    const { link, invite } = (await created.json()) as { link: string; invite: { maxUses: number; expiresAt: number } };
    expect(invite.maxUses).toBe(1);
    const info = (await (await app.request("/api/auth/invite", { json: { token: tokenOf(link) } })).json()) as InviteInfo;
    expect(info.room).toEqual({ name: "board", kind: "private" });
    const newcomer = await registerUser(app, "newcomer", { invite: tokenOf(link) });
    const members = (await (await app.request(`/api/rooms/${room.id}/members`, { cookie: newcomer.cookie })).json()) as { members: { id: number }[] };
    expect(members.members.map((m) => m.id).sort((a, b) => a - b)).toEqual([admin.user.id, newcomer.user.id]);
    // Used up.
    expect(await errorOf(await app.request("/api/auth/invite", { json: { token: tokenOf(link) } }))).toMatchObject({ error: "invite_used_up" });
  }, 60_000);

  test("with registration closed, a link's landing page gets the same refusal as registering with it", async () => {
    const admin = await createTestUser(app.deps, { isAdmin: true });
    const created = await app.request("/api/admin/invites", { json: {}, cookie: admin.cookie });
    const { link } = (await created.json()) as { link: string };
    expect((await app.request("/api/auth/invite", { json: { token: tokenOf(link) } })).status).toBe(200);
    const closed = await app.request("/api/admin/settings", { method: "PATCH", json: { registrationMode: "closed" }, cookie: admin.cookie });
    expect(closed.status).toBe(200);
    expect(await errorOf(await app.request("/api/auth/invite", { json: { token: tokenOf(link) } }))).toEqual({ status: 403, error: "registration_closed" });
    expect(await errorOf(await app.request("/api/auth/register", { json: { username: "late", password: "a long enough passphrase 77", invite: tokenOf(link) } }))).toEqual({
      status: 403,
      error: "registration_closed",
    });
    await app.request("/api/admin/settings", { method: "PATCH", json: { registrationMode: "invite" }, cookie: admin.cookie });
    expect((await app.request("/api/auth/invite", { json: { token: tokenOf(link) } })).status).toBe(200);
  }, 60_000);
});

describe("skipping the setup", () => {
  test("keeps the secure default: a server open to anyone becomes invite-only, and is not asked again", async () => {
    const other = await createTestApp();
    try {
      const first = await registerUser(other, "boss");
      expect(await (await other.request("/api/auth/registration")).json()).toMatchObject({ mode: "open" });
      const skipped = await other.request("/api/admin/setup/skip", { method: "POST", cookie: first.cookie });
      expect(await skipped.json()).toEqual({ registrationMode: "invite" });
      expect(await (await other.request("/api/auth/session", { cookie: first.cookie })).json()).toMatchObject({ setupNeeded: false, registrationMode: "invite" });
    } finally {
      await other.close();
    }
  }, 30_000);
});

describe("the welcome room", () => {
  test("every new account joins the #general the setup made, whichever link made it, until it is archived", async () => {
    const other = await createTestApp();
    try {
      const root = await registerUser(other, "root");
      const setup = (await (await other.request("/api/admin/setup", { json: { registrationMode: "invite", createGeneral: true }, cookie: root.cookie })).json()) as SetupResponse;
      const roomsOf = async (cookie: string) => ((await (await other.request("/api/rooms", { cookie })).json()) as { rooms: Room[] }).rooms.map((r) => r.id);
      // A link from the dashboard names no room: the newcomer still lands in #general.
      const newLink = async () => tokenOf(((await (await other.request("/api/admin/invites", { json: {}, cookie: root.cookie })).json()) as { link: string }).link);
      const colleague = await registerUser(other, "colleague", { invite: await newLink() });
      expect(await roomsOf(colleague.cookie)).toEqual([setup.roomId!]);
      // Archived, it welcomes nobody any more.
      expect((await other.request(`/api/rooms/${setup.roomId}`, { method: "PATCH", json: { archived: true }, cookie: root.cookie })).status).toBe(200);
      const late = await registerUser(other, "late", { invite: await newLink() });
      expect(await roomsOf(late.cookie)).toEqual([]);
    } finally {
      await other.close();
    }
  }, 60_000);
});
