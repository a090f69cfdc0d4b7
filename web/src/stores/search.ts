// The search panel's state: what was asked (query text and, from "search this room", a room), the
// results so far and where the next page starts. One search at a time: a newer one cancels the
// answer of an older one.
import { createSignal } from "solid-js";
import { api, call } from "../api/http.ts";
import type { SearchResult } from "../chat/protocol.ts";
import { errorText } from "../i18n/errors.ts";

export interface SearchState {
  open: boolean;
  query: string;
  /** Searching one room only ("search this room"), or every conversation. */
  roomId: number | null;
  results: SearchResult[];
  next: string | null;
  status: "idle" | "loading" | "done" | "error";
  error: string;
  /** Bumped to focus the panel's field (Ctrl/Cmd+F, "/"). */
  focusRequest: number;
}

const initial: SearchState = { open: false, query: "", roomId: null, results: [], next: null, status: "idle", error: "", focusRequest: 0 };
const [search, setSearch] = createSignal<SearchState>(initial);
export { search as searchState };

let asked = 0;
const PAGE = 20;

async function fetchPage(query: string, roomId: number | null, before: string | null, ticket: number, append: boolean): Promise<void> {
  setSearch((s) => ({ ...s, status: "loading", error: "" }));
  try {
    const reply = await call(
      api.search.get({
        query: {
          q: query,
          limit: PAGE,
          // The reader's calendar, for before:/after:/during:.
          tz: new Date().getTimezoneOffset(),
          ...(roomId === null ? {} : { room: roomId }),
          ...(before === null ? {} : { before }),
        },
      }),
    );
    if (ticket !== asked) return;
    setSearch((s) => ({ ...s, status: "done", results: append ? [...s.results, ...reply.results] : reply.results, next: reply.next }));
  } catch (error) {
    if (ticket !== asked) return;
    setSearch((s) => ({ ...s, status: "error", error: errorText(error), ...(append ? {} : { results: [], next: null }) }));
  }
}

/** Opens the panel (and focuses its field); with a query, runs it. */
export function openSearch(options: { query?: string; roomId?: number | null } = {}): void {
  setSearch((s) => ({
    ...s,
    open: true,
    query: options.query ?? s.query,
    roomId: options.roomId === undefined ? s.roomId : options.roomId,
    focusRequest: s.focusRequest + 1,
  }));
  if (options.query?.trim()) runSearch(options.query, search().roomId);
}

export function runSearch(query: string, roomId: number | null = search().roomId): void {
  const ticket = ++asked;
  setSearch((s) => ({ ...s, open: true, query, roomId, results: [], next: null }));
  if (!query.trim() && roomId === null) {
    setSearch((s) => ({ ...s, status: "idle", error: "" }));
    return;
  }
  void fetchPage(query, roomId, null, ticket, false);
}

export function loadMoreResults(): void {
  const current = search();
  if (current.next === null || current.status === "loading") return;
  void fetchPage(current.query, current.roomId, current.next, asked, true);
}

export function closeSearch(): void {
  asked++;
  setSearch((s) => ({ ...s, open: false, status: s.status === "loading" ? "idle" : s.status }));
}

/** Logged out: nothing of the last search stays. */
export function resetSearch(): void {
  asked++;
  setSearch(initial);
}
