// Search over every conversation the reader is a member of now, the same on both engines: parse the
// query (query-parser.ts), decide which index answers each term (search-plan.ts), resolve the filters
// to ids and times, then walk message ids downwards through one statement per id window
// (search-queries.ts).
//
// Authorization: the rooms searched are the reader's rooms at the time of the search, and every
// statement checks membership again itself; a room named with in: or room= that the reader is not
// in is refused exactly like one that does not exist. No count is ever returned.
//
// Bounded work: the rate of searches (SEARCH_BUCKET) and their cost (chat.takeCost) per user, across
// a cluster's nodes; each statement covers a window of ids (so its own work is bounded); between
// windows the event loop runs (SQLite answers synchronously), and after SEARCH_BUDGET_MS the walk
// stops: with results, the page ends there (`next` goes on from that point); with none, the search
// is refused as search_too_broad.
import type { Actor } from "../accounts/sessions.ts";
import { usernameKey, usernameSkeleton } from "../accounts/usernames.ts";
import type { Conn, Store } from "../db/store.ts";
import type { Logger } from "../log.ts";
import { createIndexer } from "./indexer.ts";
import { AppError, throwIfRateLimited } from "../errors.ts";
import type { SharedLimiter } from "../limits/shared-limiter.ts";
import { toMessages } from "../messages/message-queries.ts";
import { DEFAULT_CHAT_LIMITS } from "../messages/chat-limits.ts";
import { DEFAULT_SEARCH_LIMIT, MAX_SEARCH_LIMIT, type SearchReply, type SearchResult } from "../protocol.ts";
import { chatErrors } from "../rooms/chat-errors.ts";
import { highlightRanges, relevance } from "./highlight.ts";
import { parseQuery, searchErrors, type CalendarSpan, type ParsedQuery } from "./query-parser.ts";
import { hasPositiveText, planText, type HighlightPlan, type TextPlan } from "./search-plan.ts";
import { searchSql as q, type SearchParams } from "./search-queries.ts";
import { textMatcher } from "./text-match.ts";

/** Per user, across nodes: a burst of 10 searches, then one a second. */
export const SEARCH_BUCKET = { capacity: 10, refillPerSecond: 1 };

/** The search bucket for an operator's --message-rate: scaled like the chat's own buckets (chat-limits.ts). */
export function searchBucket(messageRate: number | null): { capacity: number; refillPerSecond: number } {
  const factor = messageRate === null ? 1 : Math.max(1, messageRate / DEFAULT_CHAT_LIMITS.userMessages.refillPerSecond);
  return { capacity: Math.ceil(SEARCH_BUCKET.capacity * factor), refillPerSecond: SEARCH_BUCKET.refillPerSecond * factor };
}
/** Work one search may take before it stops (see the header). */
export const SEARCH_BUDGET_MS = 500;
/** sort=relevance ranks the newest matches, this many at most. */
export const RELEVANCE_POOL = 200;
/** The first id window, and the most one statement covers. */
const FIRST_WINDOW = 8_192;
const MAX_WINDOW = 262_144;
/** Unindexed messages read per statement (they are matched here, row by row). */
const TAIL_WINDOW = 2_048;

/** Units of chat.takeCost one search spends: about its rows and index work. */
export const searchCost = (limit: number) => 50 + 5 * limit;

export interface SearchInput {
  q: string;
  /** The room the reader is in ("search this room"), as in:. */
  room?: number;
  /** `next` from the previous page. */
  before?: string;
  limit?: number;
  sort?: "newest" | "relevance";
  /** The reader's offset from UTC in minutes, as Date.getTimezoneOffset() gives it, for dates. */
  tz?: number;
}

interface Filters {
  rooms: Map<number, { kind: SearchResult["room"]["kind"]; name: string }>;
  /** The rooms are a choice (in:, room=), not every room of the reader. */
  restricted: boolean;
  authors: number[];
  since: number | null;
  until: number | null;
  hasFile: boolean;
  hasLink: boolean;
  /** is:pinned: only pinned messages (few: at most MAX_PINS_PER_ROOM a room), matched row by row. */
  pinned: boolean;
}

/** A span of the reader's calendar as [start, end) in ms since the epoch. */
function calendarRange(span: CalendarSpan, tzMinutes: number): [number, number] {
  const at = (year: number, month: number, day: number) => Date.UTC(year, month, day) + tzMinutes * 60_000;
  if (span.day !== null) return [at(span.year, span.month! - 1, span.day), at(span.year, span.month! - 1, span.day + 1)];
  if (span.month !== null) return [at(span.year, span.month - 1, 1), at(span.year, span.month, 1)];
  return [at(span.year, 0, 1), at(span.year + 1, 0, 1)];
}

const foldName = (name: string) => name.normalize("NFKC").toLowerCase().trim();

async function resolveFilters(db: Conn, actor: Actor, query: ParsedQuery, input: SearchInput): Promise<Filters> {
  const mine = await db.all(q.myRooms, actor.userId);
  let rooms = new Map(mine.map((room) => [room.id, { kind: room.kind, name: room.name }]));
  if (input.room !== undefined) {
    const room = rooms.get(input.room);
    if (!room) throw chatErrors.roomNotFound();
    rooms = new Map([[input.room, room]]);
  }
  const named = query.filters.flatMap((f) => (f.kind === "in" ? [foldName(f.room)] : []));
  if (named.length > 0) {
    const picked = [...rooms].filter(([, room]) => room.kind !== "dm" && named.includes(foldName(room.name)));
    // Every name must be one of my rooms: a room I am not in is answered like one that does not exist.
    for (const name of named) {
      if (!mine.some((room) => room.kind !== "dm" && foldName(room.name) === name)) {
        throw new AppError(404, "room_not_found", "You are in no room of that name.");
      }
    }
    rooms = new Map(picked);
  }
  const authors: number[] = [];
  for (const f of query.filters) {
    if (f.kind !== "from") continue;
    // A username first; else a display name (people know each other by those), case and accents
    // aside. Display names cannot clash (name-clashes.ts), but older data may hold look-alikes: any of them.
    const user = await db.get(q.userByKey, usernameKey(f.username));
    const named = user ? [user] : await db.all(q.usersByDisplaySkeleton, usernameSkeleton(f.username));
    if (named.length === 0) throw new AppError(404, "user_not_found", "Nobody has that username or name.");
    authors.push(...named.map((u) => u.id));
  }
  let since: number | null = null;
  let until: number | null = null;
  const tz = input.tz ?? 0;
  for (const f of query.filters) {
    if (f.kind !== "before" && f.kind !== "after" && f.kind !== "during") continue;
    const [start, end] = calendarRange(f.date, tz);
    if (f.kind !== "before") since = Math.max(since ?? start, f.kind === "after" ? end : start);
    if (f.kind !== "after") until = Math.min(until ?? end, f.kind === "before" ? start : end);
  }
  return {
    rooms,
    restricted: input.room !== undefined || named.length > 0,
    authors: [...new Set(authors)],
    since,
    until,
    hasFile: query.filters.some((f) => f.kind === "has" && f.value === "file"),
    hasLink: query.filters.some((f) => f.kind === "has" && f.value === "link"),
    pinned: query.filters.some((f) => f.kind === "is" && f.value === "pinned"),
  };
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Ids grow with time, so a date is also an id: the first message at or after `time`, found by
 * bisecting ids in [low, high). Times come from the posting node's clock, so the bound is taken
 * DATE_SLACK_MS wide; the exact date is still checked on every row.
 */
const DATE_SLACK_MS = 5 * 60_000;
async function firstIdAtOrAfter(db: Conn, time: number, low: number, high: number): Promise<number> {
  let lo = low;
  let hi = high;
  while (lo < hi) {
    const mid = lo + Math.floor((hi - lo) / 2);
    const row = await db.get(q.createdAtFrom, mid);
    if (!row || row.id >= hi) {
      hi = mid;
    } else if (row.createdAt >= time) {
      hi = Math.min(mid, row.id);
    } else {
      lo = row.id + 1;
    }
  }
  return lo;
}

function statementFor(text: TextPlan, filters: Filters, onlyRooms: number[]) {
  if (text.substrings.length > 0) return q.bySubstring;
  if (text.phrases.length > 0) return q.byWords;
  if (filters.authors.length > 0 || onlyRooms.length > 0 || filters.hasFile || filters.hasLink) return q.byMeta;
  return q.byDate;
}

/** Ids of matches, newest first, below `below`: up to `want`, or fewer when the budget ran out. */
async function walk(
  db: Conn,
  actor: Actor,
  text: TextPlan,
  filters: Filters,
  below: number,
  want: number,
  deadline: number,
): Promise<{ ids: number[]; stoppedAt: number | null }> {
  const roomIds = [...filters.rooms.keys()];
  const spans = await db.all(q.roomSpans, roomIds);
  const firsts = spans.flatMap((s) => (s.first === null ? [] : [s.first]));
  if (firsts.length === 0) return { ids: [], stoppedAt: null };
  let lowest = Math.min(...firsts);
  let cursor = Math.min(below, Math.max(...spans.map((s) => s.last ?? 0)) + 1);
  if (filters.since !== null) lowest = await firstIdAtOrAfter(db, filters.since - DATE_SLACK_MS, lowest, cursor);
  if (filters.until !== null) cursor = await firstIdAtOrAfter(db, filters.until + DATE_SLACK_MS, lowest, cursor);
  const upto = (await db.get(q.indexedUpto))!.upto;
  const onlyRooms = filters.restricted ? roomIds : [];
  const statement = statementFor(text, filters, onlyRooms);
  const matches = textMatcher(text);
  const params = (from: number, to: number, limit: number): SearchParams => [
    actor.userId,
    roomIds,
    filters.authors,
    filters.since,
    filters.until,
    filters.hasFile ? 1 : 0,
    filters.hasLink ? 1 : 0,
    text.substrings,
    text.notSubstrings,
    text.phrases,
    text.notPhrases,
    to,
    from,
    limit,
    onlyRooms,
  ];
  const ids: number[] = [];
  if (filters.pinned) {
    // Pins are few, so no index window: read them newest first, a page at a time, and match each.
    const floor = lowest;
    while (ids.length < want) {
      const rows = await db.all(q.pinned, ...params(floor, cursor, TAIL_WINDOW));
      for (const row of rows) {
        if (ids.length < want && matches(row.fileName === null ? row.body : `${row.body}\n${row.fileName}`)) ids.push(row.id);
      }
      if (rows.length < TAIL_WINDOW) break;
      cursor = rows.at(-1)!.id;
      if (performance.now() > deadline) return { ids, stoppedAt: cursor };
      await yieldToEventLoop();
    }
    return { ids, stoppedAt: null };
  }
  let window = FIRST_WINDOW;
  while (ids.length < want && cursor > lowest) {
    if (cursor - 1 > upto) {
      // Not indexed yet (posted a moment ago): read the rows and match their text here.
      const floor = Math.max(lowest, upto + 1, cursor - TAIL_WINDOW);
      for (const row of await db.all(q.tail, ...params(floor, cursor, TAIL_WINDOW))) {
        if (ids.length < want && matches(row.fileName === null ? row.body : `${row.body}\n${row.fileName}`)) ids.push(row.id);
      }
      cursor = floor;
    } else {
      const floor = Math.max(lowest, cursor - window);
      for (const row of await db.all(statement, ...params(floor, cursor, want - ids.length))) ids.push(row.id);
      cursor = floor;
      window = Math.min(window * 4, MAX_WINDOW);
    }
    if (ids.length < want && cursor > lowest) {
      if (performance.now() > deadline) return { ids, stoppedAt: cursor };
      await yieldToEventLoop();
    }
  }
  return { ids, stoppedAt: null };
}

async function toResults(db: Conn, actor: Actor, ids: number[], filters: Filters, highlight: HighlightPlan): Promise<SearchResult[]> {
  if (ids.length === 0) return [];
  const found = await db.all(q.results, ids, actor.userId);
  const rows = new Map(found.map((row) => [row.id, row]));
  // With their files (one statement for all): a file's name is matched and highlighted too.
  const messages = new Map((await toMessages(db, found)).map((message) => [message.id, message]));
  const results: SearchResult[] = [];
  for (const id of ids) {
    const row = rows.get(id);
    if (!row) continue; // deleted, or the reader left the room, between the two reads
    const message = messages.get(id)!;
    results.push({
      message,
      room: { id: row.roomId, kind: row.roomKind, name: filters.rooms.get(row.roomId)?.name ?? row.roomName },
      highlights: highlightRanges(message.body, highlight),
      fileNameHighlights: message.attachment ? highlightRanges(message.attachment.name, highlight) : [],
    });
  }
  return results;
}

/** "123" (newest first) or "score:id" (relevance). */
function parseCursor(before: string | undefined): { id: number; score: number | null } | null {
  if (before === undefined) return null;
  const [first, second] = before.split(":");
  return second === undefined ? { id: Number(first), score: null } : { id: Number(second), score: Number(first) };
}

export interface SearchDeps {
  store: Store;
  logger: Logger;
  limiter: SharedLimiter;
  takeCost: (userId: number, cost: number) => Promise<number>;
  /** --message-rate, which scales the search bucket like the chat's. */
  messageRate?: number | null;
  /** Work one search may take (SEARCH_BUDGET_MS); tests shorten it. */
  budgetMs?: number;
}

export function createSearch(deps: SearchDeps) {
  const { limiter } = deps;
  const bucket = searchBucket(deps.messageRate ?? null);
  const budgetMs = deps.budgetMs ?? SEARCH_BUDGET_MS;
  const db = deps.store.read;
  const indexer = createIndexer(deps.store, deps.logger);
  return {
    /** Indexes new messages in the background (server.ts starts it with the server). */
    indexer,
    async search(actor: Actor, input: SearchInput): Promise<SearchReply> {
      const limit = Math.min(Math.max(1, Math.trunc(input.limit ?? DEFAULT_SEARCH_LIMIT)), MAX_SEARCH_LIMIT);
      // Parsing first: a malformed query costs the reader nothing but this answer.
      const query = parseQuery(input.q);
      const { text, highlight } = planText(query);
      // Something must say what to look for: a word or a filter (excluded words alone would list everything else).
      if (!hasPositiveText(text) && query.filters.length === 0) throw searchErrors.empty();
      throwIfRateLimited((await limiter.take("userSearches", bucket, String(actor.userId))).retryAfterSeconds);
      throwIfRateLimited(await deps.takeCost(actor.userId, searchCost(limit)));
      const deadline = performance.now() + budgetMs;
      const filters = await resolveFilters(db, actor, query, input);
      if (filters.rooms.size === 0) return { results: [], next: null };
      const cursor = parseCursor(input.before);

      if (input.sort === "relevance") {
        const { ids, stoppedAt } = await walk(db, actor, text, filters, Number.MAX_SAFE_INTEGER, RELEVANCE_POOL, deadline);
        if (ids.length === 0 && stoppedAt !== null) throw searchErrors.tooBroad();
        const scored = (await toResults(db, actor, ids, filters, highlight))
          .map((result) => ({ result, score: relevance(result.message.body + "\n" + (result.message.attachment?.name ?? ""), highlight) }))
          .sort((a, b) => b.score - a.score || b.result.message.id - a.result.message.id)
          .filter(({ result, score }) => !cursor || cursor.score === null || score < cursor.score || (score === cursor.score && result.message.id < cursor.id));
        const page = scored.slice(0, limit);
        const last = page.at(-1);
        return {
          results: page.map((s) => s.result),
          next: scored.length > limit && last ? `${last.score}:${last.result.message.id}` : null,
        };
      }

      const below = cursor && cursor.score === null ? cursor.id : Number.MAX_SAFE_INTEGER;
      const { ids, stoppedAt } = await walk(db, actor, text, filters, below, limit + 1, deadline);
      if (ids.length === 0 && stoppedAt !== null) throw searchErrors.tooBroad();
      const results = await toResults(db, actor, ids.slice(0, limit), filters, highlight);
      const next = ids.length > limit ? String(ids[limit - 1]) : stoppedAt !== null ? String(stoppedAt) : null;
      return { results, next };
    },
  };
}

export type Search = ReturnType<typeof createSearch>;
