// GET /api/search and GET /api/rooms/:id/messages?around= (issue 13), on SQLite and in cluster mode.
// Every finding is checked twice: while the messages are not indexed yet (search reads them from the
// table) and once the indexer has caught up (search/indexer.ts), since either can be the case.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { HistoryPage, SearchReply } from "../../src/protocol.ts";
import { createSearch } from "../../src/search/search.ts";
import { MemoryLimiter } from "../../src/limits/shared-limiter.ts";
import { silentLogger } from "../../src/log.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import { createTestUser, type TestUser } from "../support/users.ts";
import { uploaded } from "./files-helpers.ts";
import { acceptIfAsked } from "../support/consent.ts";

let app: TestApp;
let alice: TestUser, bob: TestUser, carol: TestUser;
let general: number, secret: number, leftRoom: number, aliceBobDm: number, bobCarolDm: number;

async function get<T>(user: TestUser | null, path: string): Promise<{ status: number; body: T & { error?: string; message?: string } }> {
  const response = await app.request(path, { cookie: user?.cookie });
  return { status: response.status, body: (await response.json()) as T & { error?: string; message?: string } };
}
async function send<T>(user: TestUser, method: string, path: string, json?: unknown): Promise<T> {
  const response = await app.request(path, { method, cookie: user.cookie, ...(json === undefined ? {} : { json }) });
  if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (response.status === 204 ? {} : await response.json()) as T;
}
const search = (user: TestUser, q: string, extra: Record<string, string> = {}) =>
  get<SearchReply>(user, `/api/search?${new URLSearchParams({ q, ...extra })}`);
const bodies = (reply: { body: SearchReply }) => reply.body.results.map((r) => r.message.body);
const post = async (user: TestUser, roomId: number, body: string) =>
  (await send<{ message: { id: number } }>(user, "POST", `/api/rooms/${roomId}/messages`, { clientId: crypto.randomUUID(), body })).message.id;
const index = () => app.app.decorator.services.search.indexer.catchUp();
/** Runs `check` with the newest messages not indexed yet, then again once they are. */
async function bothWays(check: () => Promise<void>): Promise<void> {
  await check();
  await index();
  await check();
}
/** A room with members who accept the invitation, as strangers now must (issue 21 §4). */
async function room(owner: TestUser, kind: "public" | "private", name: string, members: TestUser[] = []): Promise<number> {
  const id = (await send<{ room: { id: number } }>(owner, "POST", "/api/rooms", { kind, name, members: members.map((m) => m.id) })).room.id;
  for (const member of members) await acceptIfAsked(app, member, id);
  return id;
}
async function dm(a: TestUser, b: TestUser): Promise<number> {
  const id = (await send<{ room: { id: number } }>(a, "POST", "/api/dms", { userIds: [b.id] })).room.id;
  await acceptIfAsked(app, b, id);
  return id;
}

beforeAll(async () => {
  // A high message rate scales the search bucket too (the rate limit has its own app below).
  app = await createTestApp({ config: { messageRate: 10_000 } });
  alice = await createTestUser(app.deps, { username: `alice${Date.now() % 100000}` });
  bob = await createTestUser(app.deps);
  carol = await createTestUser(app.deps);
  general = await room(alice, "public", "general", [bob]);
  secret = await room(bob, "private", "secret plans", [carol]);
  leftRoom = await room(alice, "public", "old project", [bob]);
  aliceBobDm = await dm(alice, bob);
  bobCarolDm = await dm(bob, carol);
}, 30_000);
afterAll(() => app.close());

describe("only rooms I am a member of now", () => {
  test("a room I left, another pair's DM and a private room I never joined give nothing, and no count", async () => {
    await post(bob, general, "zebracorn sighting in general");
    await post(bob, aliceBobDm, "zebracorn in our DM");
    await post(bob, secret, "zebracorn secret plan");
    await post(bob, bobCarolDm, "zebracorn between bob and carol");
    await post(bob, leftRoom, "zebracorn in the old project");
    await send(alice, "POST", `/api/rooms/${leftRoom}/leave`);
    await bothWays(async () => {
      const mine = await search(alice, "zebracorn");
      expect(mine.status).toBe(200);
      expect(bodies(mine).sort()).toEqual(["zebracorn in our DM", "zebracorn sighting in general"]);
      // Carol sees her two; the answer's shape has no count of anything.
      expect(bodies(await search(carol, "zebracorn")).sort()).toEqual(["zebracorn between bob and carol", "zebracorn secret plan"]);
      expect(Object.keys(mine.body).sort()).toEqual(["next", "results"]);
      // A word only others can see is answered exactly like a word no one wrote.
      const othersOnly = await search(alice, "zebracorn secret");
      const nobody = await search(alice, "qwxzyv nothing");
      expect(othersOnly).toEqual(nobody);
      expect(othersOnly.body).toEqual({ results: [], next: null });
    });
  });

  test("naming a room I am not in (in:, room=) is refused exactly like a room that does not exist", async () => {
    const notMine = await search(alice, 'in:"secret plans" zebracorn');
    const missing = await search(alice, 'in:"no such room" zebracorn');
    expect(notMine).toEqual(missing);
    expect(notMine.status).toBe(404);
    expect(notMine.body.error).toBe("room_not_found");
    const byId = await search(alice, "zebracorn", { room: String(secret) });
    const noId = await search(alice, "zebracorn", { room: "987654" });
    expect(byId).toEqual(noId);
    expect(byId.body.error).toBe("room_not_found");
  });

  test("a room left after a message was indexed is not searched any more", async () => {
    const reader = await createTestUser(app.deps);
    const temp = await room(alice, "public", "temporary", [reader]);
    await post(alice, temp, "quokkafest is on friday");
    await index();
    expect(bodies(await search(reader, "quokkafest"))).toEqual(["quokkafest is on friday"]);
    await send(reader, "POST", `/api/rooms/${temp}/leave`);
    expect(await search(reader, "quokkafest")).toEqual({ status: 200, body: { results: [], next: null } });
  });
});

describe("kept in step with the messages", () => {
  test("an edit replaces the text found and a deletion removes it, at once, indexed or not", async () => {
    for (const indexFirst of [false, true]) {
      const id = await post(alice, general, `marmalade ${indexFirst} recipe`);
      if (indexFirst) await index();
      expect(bodies(await search(bob, "marmalade"))).toContain(`marmalade ${indexFirst} recipe`);
      await send(alice, "PATCH", `/api/messages/${id}`, { body: `gooseberry ${indexFirst} recipe` });
      expect(bodies(await search(bob, `marmalade ${indexFirst}`))).toEqual([]);
      expect(bodies(await search(bob, `gooseberry ${indexFirst}`))).toEqual([`gooseberry ${indexFirst} recipe`]);
      await send(alice, "DELETE", `/api/messages/${id}`);
      expect(bodies(await search(bob, `gooseberry ${indexFirst}`))).toEqual([]);
      await index();
      expect(bodies(await search(bob, `gooseberry ${indexFirst}`))).toEqual([]);
    }
  });

  test("a deleted account's messages stay searchable, shown as a deleted user", async () => {
    const leaver = await createTestUser(app.deps);
    await send(leaver, "POST", `/api/rooms/${general}/join`);
    await post(leaver, general, "farewell axolotl party");
    await send(leaver, "DELETE", "/api/account", { password: "correct horse battery staple" });
    await bothWays(async () => {
      const found = await search(bob, "axolotl");
      expect(found.body.results.map((r) => [r.message.body, r.message.author.deleted])).toEqual([["farewell axolotl party", true]]);
    });
  });

  test("file names and captions are searchable; the name's matches come as ranges of the name", async () => {
    const message = await uploaded(app, alice, general, new Uint8Array([1, 2, 3]), { name: "Quarterly-Budget-Été.xlsx", caption: "numbers inside" });
    await bothWays(async () => {
      const byName = await search(bob, "budget-ete");
      expect(byName.body.results.map((r) => r.message.id)).toEqual([message.id]);
      expect(byName.body.results[0]!.fileNameHighlights).toEqual([[10, 20]]);
      expect(bodies(await search(bob, "numbers has:file"))).toEqual(["numbers inside"]);
    });
  });
});

describe("the query language", () => {
  let early: number;
  beforeAll(async () => {
    const dated = await room(alice, "public", "dated room", [bob, carol]);
    early = await post(carol, dated, "walrus from last year");
    await post(bob, dated, "walrus today, see https://example.org/walrus");
    await post(alice, dated, "walrus ERR_42 in a.b.c");
    await post(alice, dated, "the quarterly report is ready");
    await post(alice, dated, "quarterly numbers, report later");
  });

  test("from:, in:, has:link, phrases, exclusions, identifiers, accents", async () => {
    await bothWays(async () => {
      expect(bodies(await search(bob, `walrus from:${carol.username}`))).toEqual(["walrus from last year"]);
      expect(bodies(await search(bob, `walrus from:@${alice.username}`))).toEqual(["walrus ERR_42 in a.b.c"]);
      expect(bodies(await search(bob, 'walrus has:link in:"dated room"'))).toEqual(["walrus today, see https://example.org/walrus"]);
      expect(bodies(await search(bob, "in:#general zebracorn"))).toEqual(["zebracorn sighting in general"]);
      expect(bodies(await search(bob, '"quarterly report"'))).toEqual(["the quarterly report is ready"]);
      expect(bodies(await search(bob, "quarterly report -ready"))).toEqual(["quarterly numbers, report later"]);
      expect(bodies(await search(bob, "err_42"))).toEqual(["walrus ERR_42 in a.b.c"]);
      expect(bodies(await search(bob, "a.b.c"))).toEqual(["walrus ERR_42 in a.b.c"]);
      expect(bodies(await search(bob, "ALRU from:" + carol.username))).toEqual(["walrus from last year"]);
      expect(early).toBeGreaterThan(0);
    });
  });

  test("before:, after:, during: by the reader's calendar (tz)", async () => {
    // Its own server, whose first message was written on 2025-03-14 at noon UTC and the rest now
    // (message times grow with their ids, as the server writes them).
    const dated = await createTestApp({ config: { messageRate: 10_000 } });
    try {
      const reader = await createTestUser(dated.deps);
      const roomId = (await (await dated.request("/api/rooms", { cookie: reader.cookie, json: { kind: "public", name: "dated" } })).json()).room.id as number;
      const insert = (body: string, at: number) =>
        dated.sql.run("INSERT INTO messages (room_id, author_id, client_id, body, created_at) VALUES (?, ?, ?, ?, ?)", roomId, reader.id, crypto.randomUUID(), body, at);
      await insert("walrus from last year", Date.UTC(2025, 2, 14, 12));
      await insert("walrus from march", Date.UTC(2025, 2, 31, 12));
      for (let i = 0; i < 3; i++) await insert(`walrus today ${i}`, Date.now());
      const ask = async (q: string, extra: Record<string, string> = {}) =>
        ((await (await dated.request(`/api/search?${new URLSearchParams({ q, ...extra })}`, { cookie: reader.cookie })).json()) as SearchReply).results.map((r) => r.message.body);
      for (const phase of ["not indexed", "indexed"]) {
        if (phase === "indexed") await dated.app.decorator.services.search.indexer.catchUp();
        expect({ phase, found: await ask("walrus before:2025-03-15") }).toEqual({ phase, found: ["walrus from last year"] });
        expect(await ask("walrus during:2025-03-14")).toEqual(["walrus from last year"]);
        expect(await ask("walrus during:2025-03")).toEqual(["walrus from march", "walrus from last year"]);
        expect(await ask("walrus after:2025-03-14 before:2026-01")).toEqual(["walrus from march"]);
        // Noon UTC is already the 15th in Kiribati (UTC+14: Date.getTimezoneOffset() = -840).
        expect(await ask("walrus during:2025-03-14", { tz: "-840" })).toEqual([]);
        expect(await ask("walrus during:2025-03-15", { tz: "-840" })).toEqual(["walrus from last year"]);
        expect(await ask("during:2025")).toEqual(["walrus from march", "walrus from last year"]);
      }
    } finally {
      await dated.close();
    }
  });

  test("is:pinned finds only pinned messages, with the other filters, and never in a room I cannot read", async () => {
    const keep = await post(alice, general, "narwhal agenda for monday");
    await post(alice, general, "narwhal gossip, not pinned");
    const secretPin = await post(bob, secret, "narwhal secret pinned");
    const unpinned = await post(bob, general, "narwhal pinned then unpinned");
    for (const id of [keep, secretPin, unpinned]) await send(bob, "PUT", `/api/messages/${id}/pin`);
    await send(bob, "DELETE", `/api/messages/${unpinned}/pin`);
    await bothWays(async () => {
      expect(bodies(await search(alice, "narwhal is:pinned"))).toEqual(["narwhal agenda for monday"]);
      expect(bodies(await search(alice, "is:pinned agenda"))).toEqual(["narwhal agenda for monday"]);
      expect(bodies(await search(alice, "is:pinned gossip"))).toEqual([]);
      expect(bodies(await search(alice, `is:pinned from:${bob.username}`))).toEqual([]);
      expect(bodies(await search(alice, `is:pinned from:${alice.username} narwhal`))).toEqual(["narwhal agenda for monday"]);
      // Bob is in both rooms: his pins in each, newest first; Carol only the secret room's.
      expect(bodies(await search(bob, "narwhal is:pinned"))).toEqual(["narwhal secret pinned", "narwhal agenda for monday"]);
      expect(bodies(await search(carol, "narwhal is:pinned"))).toEqual(["narwhal secret pinned"]);
    });
  });

  test('from: takes a display name too, quoted when it has a space, in any case and with French quotes', async () => {
    await send(carol, "PATCH", "/api/account", { displayName: "Carole Dupré" });
    await bothWays(async () => {
      expect(bodies(await search(bob, 'walrus from:"Carole Dupré"'))).toEqual(["walrus from last year"]);
      expect(bodies(await search(bob, "walrus from:«carole dupre»"))).toEqual(["walrus from last year"]);
      expect(bodies(await search(bob, "walrus from:“Carole Dupré”"))).toEqual(["walrus from last year"]);
    });
    // A username still wins over someone else's display name.
    expect(bodies(await search(bob, `walrus from:${alice.username}`))).toEqual(["walrus ERR_42 in a.b.c"]);
  });

  test("an unknown person in from: is said, not silently empty", async () => {
    const reply = await search(bob, "walrus from:nobody_by_that_name");
    expect([reply.status, reply.body.error]).toEqual([404, "user_not_found"]);
  });

  test("results newest first with highlight ranges into the body; relevance on request", async () => {
    const found = await search(bob, "walrus");
    expect(bodies(found)).toEqual(["walrus ERR_42 in a.b.c", "walrus today, see https://example.org/walrus", "walrus from last year"]);
    expect(found.body.results[1]!.highlights).toEqual([
      [0, 6],
      [38, 44],
    ]);
    expect(found.body.results[1]!.room).toEqual({ id: expect.any(Number), kind: "public", name: "dated room" });
    const ranked = await search(bob, "walrus", { sort: "relevance" });
    expect(bodies(ranked)[0]).toBe("walrus today, see https://example.org/walrus");
  });
});

describe("pages", () => {
  test("exactly a page of matches has no next page, by date or by relevance; one more has", async () => {
    const exact = await room(alice, "private", "exact", [bob]);
    for (let i = 0; i < 3; i++) await post(alice, exact, `okapi sighting ${i}`);
    await bothWays(async () => {
      for (const sort of [{}, { sort: "relevance" }] as Record<string, string>[]) {
        const full = await search(bob, "okapi", { limit: "3", ...sort });
        expect({ sort, n: full.body.results.length, next: full.body.next }).toEqual({ sort, n: 3, next: null });
        const short = await search(bob, "okapi", { limit: "2", ...sort });
        expect(short.body.results).toHaveLength(2);
        expect(short.body.next).not.toBeNull();
      }
    });
    // Nothing found, given all the time it needs: an empty page, not "too broad".
    expect((await search(bob, "okapi nowhere-to-be-found", { sort: "relevance" })).body).toEqual({ results: [], next: null });
  });

  test("keyset pages newest first: next goes on exactly where the page ended, to the end", async () => {
    const pager = await room(alice, "private", "pager", [bob]);
    const ids: number[] = [];
    for (let i = 0; i < 7; i++) ids.push(await post(alice, pager, `pangolin number ${i}`));
    await post(alice, pager, "unrelated");
    await bothWays(async () => {
      const seen: number[] = [];
      let before: string | null = null;
      let pages = 0;
      do {
        const reply: { body: SearchReply } = await search(bob, "pangolin", { limit: "3", ...(before ? { before } : {}) });
        seen.push(...reply.body.results.map((r) => r.message.id));
        before = reply.body.next;
        pages++;
      } while (before !== null);
      expect(seen).toEqual([...ids].reverse());
      expect(pages).toBe(3);
    });
    const relevant: number[] = [];
    let next: string | null = null;
    do {
      const reply: { body: SearchReply } = await search(bob, "pangolin", { limit: "2", sort: "relevance", ...(next ? { before: next } : {}) });
      relevant.push(...reply.body.results.map((r) => r.message.id));
      next = reply.body.next;
    } while (next !== null);
    expect(relevant.sort()).toEqual([...ids].sort());
  });

  test("a search that cannot finish within its budget is search_too_broad; one cut short says where to go on", async () => {
    const wide = await room(alice, "private", "wide", [bob]);
    await post(alice, wide, "capybara first");
    // A message far above the others in id, so the walk needs several windows to reach the first.
    await app.sql.run("INSERT INTO messages (id, room_id, author_id, client_id, body, created_at) VALUES (?, ?, ?, ?, ?, ?)", 5_000_000, wide, alice.id, crypto.randomUUID(), "capybara last", Date.now());
    await index();
    const hurried = createSearch({ store: app.store, logger: silentLogger, limiter: new MemoryLimiter(), takeCost: async () => 0, budgetMs: 0 });
    const actor = { userId: bob.id, username: bob.username, displayName: null, isAdmin: false, sessionId: bob.sessionId } as Parameters<typeof hurried.search>[0];
    const cut = await hurried.search(actor, { q: "capybara" });
    expect(cut.results.map((r) => r.message.body)).toEqual(["capybara last"]);
    expect(cut.next).not.toBeNull();
    await expect(hurried.search(actor, { q: "capybara first" })).rejects.toMatchObject({ status: 422, code: "search_too_broad" });
    // Sorted by relevance too: nothing found in the time allowed is said, not shown as "no results";
    // something found in that time is shown.
    await expect(hurried.search(actor, { q: "capybara first", sort: "relevance" })).rejects.toMatchObject({ status: 422, code: "search_too_broad" });
    expect((await hurried.search(actor, { q: "capybara", sort: "relevance" })).results.map((r) => r.message.body)).toEqual(["capybara last"]);
    // Given time, the same searches finish.
    expect(bodies(await search(bob, "capybara"))).toEqual(["capybara last", "capybara first"]);
  });
});

describe("bad input", () => {
  test("each refusal has its code", async () => {
    const cases: [string, number, string][] = [
      [`/api/search?q=${"a".repeat(257)}`, 400, "search_query_too_long"],
      [`/api/search?q=${Array.from({ length: 21 }, (_, i) => `w${i}`).join("+")}`, 400, "search_too_many_terms"],
      ["/api/search?q=", 400, "search_empty_query"],
      ["/api/search?q=-only+-excluded", 400, "search_empty_query"],
      ["/api/search?q=has:pdf", 400, "search_invalid_filter"],
      ["/api/search?q=before:yesterday", 400, "search_invalid_filter"],
      ["/api/search", 400, "invalid_request"],
      ["/api/search?q=x&limit=0", 400, "invalid_request"],
      ["/api/search?q=x&limit=51", 400, "invalid_request"],
      ["/api/search?q=x&before=abc", 400, "invalid_request"],
      ["/api/search?q=x&sort=oldest", 400, "invalid_request"],
      ["/api/search?q=x&tz=9999", 400, "invalid_request"],
      [`/api/search?q=${"a".repeat(3000)}`, 400, "invalid_request"],
    ];
    for (const [path, status, error] of cases) {
      const reply = await get<Record<string, never>>(bob, path);
      expect({ path: path.slice(0, 60), status: reply.status, error: reply.body.error }).toEqual({ path: path.slice(0, 60), status, error });
    }
    expect((await get(null, "/api/search?q=walrus")).status).toBe(401);
  });
});

describe("around a message", () => {
  let roomId: number;
  const ids: number[] = [];
  beforeAll(async () => {
    roomId = await room(alice, "private", "context", [bob]);
    for (let i = 0; i < 30; i++) ids.push(await post(alice, roomId, `line ${i}`));
  });
  const around = (user: TestUser, room: number, messageId: number, limit?: number) =>
    get<HistoryPage>(user, `/api/rooms/${room}/messages?around=${messageId}${limit ? `&limit=${limit}` : ""}`);
  // A history page, newest first (the permalinks' page too: one implementation, messages/message-reads.ts).
  // Accepting the invitation left a "joined" line before the 30 messages: system lines are left aside.
  const oldestFirst = (page: { body: HistoryPage }) => page.body.messages.filter((m) => !m.event).map((m) => m.id).reverse();

  test("the message with the older half (itself included) before and the newer half after", async () => {
    const page = await around(bob, roomId, ids[10]!, 10);
    expect(page.status).toBe(200);
    expect(oldestFirst(page)).toEqual(ids.slice(6, 16));
    expect([page.body.hasMore, page.body.hasNewer]).toEqual([true, true]);
    const first = await around(bob, roomId, ids[0]!, 10);
    expect(oldestFirst(first)).toEqual(ids.slice(0, 6));
    expect([first.body.hasMore, first.body.hasNewer]).toEqual([false, true]);
    const last = await around(bob, roomId, ids[29]!, 10);
    expect(oldestFirst(last)).toEqual(ids.slice(25, 30));
    expect([last.body.hasMore, last.body.hasNewer]).toEqual([true, false]);
  });

  test("paging on from a window with before= (older) reaches the start", async () => {
    const page = await around(bob, roomId, ids[10]!, 10);
    const older = await get<{ messages: { id: number; event?: unknown }[]; hasMore: boolean }>(bob, `/api/rooms/${roomId}/messages?before=${page.body.messages.at(-1)!.id}&limit=10`);
    expect(older.body.messages.filter((m) => !m.event).map((m) => m.id)).toEqual(ids.slice(0, 6).reverse());
    expect(older.body.hasMore).toBe(false);
  });

  test("a non-member, a deleted message, or a message of another room: refused like nothing there", async () => {
    const nonMember = await around(carol, roomId, ids[3]!);
    const noRoom = await around(carol, 987654, ids[3]!);
    expect(nonMember).toEqual(noRoom);
    expect(nonMember.body.error).toBe("room_not_found");
    await send(alice, "DELETE", `/api/messages/${ids[20]}`);
    const deleted = await around(bob, roomId, ids[20]!);
    const elsewhere = await around(bob, roomId, await post(bob, general, "elsewhere"));
    const never = await around(bob, roomId, 99_999_999);
    expect(deleted).toEqual(never);
    expect(elsewhere).toEqual(never);
    expect([never.status, never.body.error]).toEqual([404, "message_not_found"]);
  });
});

describe("rate limits", () => {
  test("searches per user: a burst of 10, then 429 with Retry-After; read work is priced too", async () => {
    const limited = await createTestApp();
    try {
      const user = await createTestUser(limited.deps);
      const statuses: number[] = [];
      let retryAfter: string | null = null;
      for (let i = 0; i < 12; i++) {
        const response = await limited.request(`/api/search?q=anything${i}`, { cookie: user.cookie });
        statuses.push(response.status);
        if (response.status === 429) retryAfter = response.headers.get("retry-after");
      }
      expect(statuses.slice(0, 10)).toEqual(Array(10).fill(200));
      expect(statuses.slice(10)).toEqual([429, 429]);
      expect(Number(retryAfter)).toBeGreaterThan(0);
      // Another user is not held up by the first one's searches.
      const other = await createTestUser(limited.deps);
      expect((await limited.request("/api/search?q=anything", { cookie: other.cookie })).status).toBe(200);
      // Search spends the same per-user read budget as history and sync (chat.takeCost).
      const spender = await createTestUser(limited.deps);
      expect(await limited.app.decorator.services.chat.takeCost(spender.id, 8000)).toBe(0);
      const starved = await limited.request("/api/search?q=anything", { cookie: spender.cookie });
      expect(starved.status).toBe(429);
    } finally {
      await limited.close();
    }
  });
});
