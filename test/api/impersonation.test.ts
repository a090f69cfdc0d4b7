// Issue 21, §6: one user must not be able to pass for another, for the system or for a deleted
// account. Display names that look like someone else's username or display name are refused (by
// skeleton: case, confusable letters and accents folded); reserved names are refused at
// registration and rename; deleted authors are flagged by the server, not guessed from a name.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { register as registerAccount } from "../../src/accounts/registration.ts";
import { AppError } from "../../src/errors.ts";
import type { Message } from "../../src/protocol.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import { accountsOf, errorOf, loginUser, registerUser, type Session } from "./accounts-helpers.ts";

let app: TestApp;
let admin: Session, paypal: Session, bob: Session, mallory: Session;

let address = 0;
/**
 * Registers through the domain function, each attempt from a new address: the registration rate
 * limit (10 per address) would otherwise answer these many refusals before the name checks do.
 */
async function register(input: { username: string; displayName?: string }): Promise<{ status: number; error: string }> {
  try {
    await registerAccount(accountsOf(app), { password: "correct horse battery staple", ...input }, { ip: `10.0.0.${++address}`, userAgent: "test" });
    return { status: 201, error: "" };
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return { status: error.status, error: error.code };
  }
}
const rename = (who: Session, displayName: string | null) => app.request("/api/account", { method: "PATCH", json: { displayName }, cookie: who.cookie });

beforeAll(async () => {
  app = await createTestApp();
  // The first account becomes the administrator and may take a reserved name.
  admin = await registerUser(app, "admin");
  paypal = await registerUser(app, "paypal");
  bob = await registerUser(app, "bob", { displayName: "Bob Marley" });
  mallory = await registerUser(app, "mallory");
}, 30_000);
afterAll(() => app.close());

describe("display names may not look like someone else's name", () => {
  test("another user's username, in any case, with look-alike letters or accents", async () => {
    for (const name of ["paypal", "PayPal", "pаypal" /* Cyrillic а */, "paypa\u0142".replace("\u0142", "l"), "pa\u0301ypal", "PAYPA1"]) {
      expect({ name, ...(await errorOf(await rename(mallory, name))) }).toEqual({ name, status: 409, error: "display_name_confusable" });
    }
  });

  test("another user's display name", async () => {
    for (const name of ["Bob Marley", "bob marley", "Bοb Marley" /* Greek ο */, "Bob Marle\u0301y"]) {
      expect({ name, ...(await errorOf(await rename(mallory, name))) }).toEqual({ name, status: 409, error: "display_name_confusable" });
    }
  });

  test("one's own username, or a name nobody has, is fine", async () => {
    expect((await rename(paypal, "PayPal")).status).toBe(200);
    expect((await rename(mallory, "Mallory M.")).status).toBe(200);
  });

  test("at registration too, both ways: a display name like a username, a username like a display name", async () => {
    expect(await register({ username: "eve", displayName: "Mallory M." })).toEqual({ status: 409, error: "display_name_confusable" });
    expect(await register({ username: "eve", displayName: "Bob" })).toEqual({ status: 409, error: "display_name_confusable" });
    // "PayPal" is paypal's display name now, and mallory's username stands for itself.
    expect((await register({ username: "Ma11ory.M" })).status).toBe(201);
    expect(await register({ username: "pаypal" })).toEqual({ status: 409, error: "username_confusable" });
  });

  test("a new username may not look like someone's display name", async () => {
    const zed = await registerUser(app, "zed");
    expect((await rename(zed, "Quill_Ray")).status).toBe(200);
    for (const username of ["quill_ray", "Qui11_Ray", "quill_rаy" /* Cyrillic а */]) {
      expect({ username, ...(await register({ username })) }).toEqual({ username, status: 409, error: "username_confusable" });
    }
  });

  test("a username with a combining accent collides with the plain one (admi\\u0307n, bo\\u0307b)", async () => {
    expect(await register({ username: "bo\u0307b" })).toEqual({ status: 409, error: "username_confusable" });
    expect(await register({ username: "bob\u0301" })).toEqual({ status: 409, error: "username_confusable" });
    expect((await register({ username: "admi\u0307n" })).error).toMatch(/^username_(reserved|confusable)$/);
  });
});

describe("names reserved for the system", () => {
  test("are refused as usernames after the first account, confusables and punctuation included", async () => {
    for (const username of ["administrator", "Root", "system", "ѕуѕtеm" /* Cyrillic */, "support", "moderator", "vaultroom", "deleted-9", "deleted_user", "Deleted.42"]) {
      expect({ username, ...(await register({ username })) }).toEqual({ username, status: 400, error: "username_reserved" });
    }
  });

  test("are refused as display names, including what deleted accounts are shown as", async () => {
    for (const name of ["Admin", "A.D.M.I.N", "Support", "deleted user", "Deleted User", "deleted-5", "utilisateur supprimé", "System"]) {
      expect({ name, ...(await errorOf(await rename(mallory, name))) }).toEqual({ name, status: 400, error: "display_name_reserved" });
    }
  });

  test("an administrator may use one as a display name; a longer name containing one is fine for anyone", async () => {
    expect((await rename(admin, "Admin")).status).toBe(200);
    expect((await rename(mallory, "Admin Team Fan")).status).toBe(200);
  });
});

describe("deleted accounts", () => {
  test("their messages carry the server's deleted flag; a live account is never flagged, whatever its name", async () => {
    await register({ username: "dave", displayName: "Dave D." });
    const dave = await loginUser(app, "dave");
    const room = await app.request("/api/rooms", { json: { kind: "public", name: "deleted flag" }, cookie: mallory.cookie });
    const roomId = ((await room.json()) as { room: { id: number } }).room.id;
    expect((await app.request(`/api/rooms/${roomId}/join`, { method: "POST", cookie: dave.cookie })).status).toBe(200);
    const post = (who: Session, body: string) =>
      app.request(`/api/rooms/${roomId}/messages`, { json: { clientId: crypto.randomUUID(), body }, cookie: who.cookie });
    expect((await post(dave, "soon gone")).status).toBe(201);
    expect((await post(mallory, "still here")).status).toBe(201);
    const deleted = await app.request("/api/account", { method: "DELETE", json: { password: "correct horse battery staple" }, cookie: dave.cookie });
    expect(deleted.status).toBe(204);

    const history = (await (await app.request(`/api/rooms/${roomId}/messages`, { cookie: mallory.cookie })).json()) as { messages: Message[] };
    const authors = Object.fromEntries(history.messages.map((m) => [m.body, m.author]));
    expect(authors["soon gone"]).toEqual({ id: dave.user.id, username: `deleted-${dave.user.id}`, displayName: null, deleted: true });
    expect(authors["still here"]).not.toHaveProperty("deleted");
    // Nothing derived from the name stays behind either.
    expect(await app.sql.get("SELECT display_skeleton FROM users WHERE id = ?", dave.user.id)).toEqual({ display_skeleton: null });
  });
});

describe("a message must show something", () => {
  test("a body of only controls, format characters, spaces or fillers is refused as empty", async () => {
    const room = await app.request("/api/rooms", { json: { kind: "public", name: "empty bodies" }, cookie: mallory.cookie });
    const roomId = ((await room.json()) as { room: { id: number } }).room.id;
    for (const body of ["\u200b", "\u2066\u2069", " \u00ad ", "\u200e\u200f", "\ufeff", "\u3164", "\u2800", "\u0007\u001b"]) {
      const response = await app.request(`/api/rooms/${roomId}/messages`, { json: { clientId: crypto.randomUUID(), body }, cookie: mallory.cookie });
      const answer = (await response.json()) as { error: string; message: string };
      expect({ body, status: response.status, error: answer.error, message: answer.message }).toEqual({
        body,
        status: 400,
        error: "invalid_request",
        message: "A message cannot be empty.",
      });
    }
  });

  test("nor a room name", async () => {
    const response = await app.request("/api/rooms", { json: { kind: "public", name: "\u3164\u2800" }, cookie: mallory.cookie });
    expect(await errorOf(response)).toEqual({ status: 400, error: "invalid_request" });
  });
});
