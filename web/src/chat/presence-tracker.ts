// The sidebar's online list: the server-wide list fetched after each `ready` (and on a slow poll as
// a fallback), kept live by server-wide `presence.changed` events, with names looked up by id for
// people this tab has never seen (GET /api/users?ids=…), at most 100 per request.
import type { UserRef } from "./protocol.ts";
import type { ChatEvent } from "./state-types.ts";

const NAMES_PER_LOOKUP = 100;

export interface PresenceDeps {
  /** Whether the tab already has a name for this person. */
  known(userId: number): boolean;
  dispatch(event: ChatEvent): void;
  fetchOnline(): Promise<number[]>;
  fetchNames(userIds: number[]): Promise<UserRef[]>;
}

type PresenceChanged = Extract<ChatEvent, { type: "presence.changed" }>;

export function createPresenceTracker(deps: PresenceDeps) {
  /** Changes that arrived while the list was being fetched: replayed over it, which may be older. */
  let raced: PresenceChanged[] | null = null;
  /** Ids whose names were asked for (found or not: disabled and deleted people stay unnamed). */
  const asked = new Set<number>();
  /** Bumped at logout: answers to an older session's requests are dropped. */
  let generation = 0;

  async function lookUpNames(userIds: readonly number[]): Promise<void> {
    const unknown = [...new Set(userIds)].filter((id) => !deps.known(id) && !asked.has(id));
    const mine = generation;
    for (let i = 0; i < unknown.length; i += NAMES_PER_LOOKUP) {
      const chunk = unknown.slice(i, i + NAMES_PER_LOOKUP);
      for (const id of chunk) asked.add(id);
      try {
        const people = await deps.fetchNames(chunk);
        if (mine !== generation) return;
        if (people.length) deps.dispatch({ type: "local.people", people });
      } catch {
        // Asked again on the next change or poll that names them.
        for (const id of chunk) asked.delete(id);
      }
    }
  }

  return {
    /** Fetches the whole list (after `ready`, on the fallback poll). */
    async refresh(): Promise<void> {
      if (raced) return; // one fetch at a time; the one in flight is recent enough
      const mine = generation;
      raced = [];
      let online: number[];
      try {
        online = await deps.fetchOnline();
      } catch {
        if (mine === generation) raced = null;
        return;
      }
      if (mine !== generation) return;
      const replay = raced;
      raced = null;
      deps.dispatch({ type: "local.online", online });
      for (const event of replay) deps.dispatch(event);
      await lookUpNames(online);
    },

    /** A `presence.changed` the store has just applied. */
    changed(event: PresenceChanged): void {
      raced?.push(event);
      void lookUpNames(event.online);
    },

    /** Logged out: forget everything of this session. */
    reset(): void {
      generation++;
      raced = null;
      asked.clear();
    },
  };
}
