// The sidebar's online list (web/src/chat/presence-tracker.ts) with fake HTTP calls: the fetched
// list is corrected by changes that raced it, and names are looked up by id, 100 at a time, once.
import { describe, expect, test } from "bun:test";
import { createPresenceTracker } from "../../../web/src/chat/presence-tracker.ts";
import { applyEvent, emptyState } from "../../../web/src/chat/state.ts";
import type { ChatEvent, ChatState } from "../../../web/src/chat/state-types.ts";
import type { UserRef } from "../../../src/protocol.ts";

function harness(options: { names?: (ids: number[]) => UserRef[] } = {}) {
  let state: ChatState = emptyState();
  const lookups: number[][] = [];
  let release: (online: number[]) => void = () => undefined;
  const dispatch = (event: ChatEvent) => {
    state = applyEvent(state, event);
  };
  const tracker = createPresenceTracker({
    known: (id) => state.people[id] !== undefined,
    dispatch,
    fetchOnline: () => new Promise<number[]>((resolve) => (release = resolve)),
    fetchNames: async (ids) => {
      lookups.push(ids);
      return (options.names ?? ((list) => list.map((id) => ({ id, username: `user${id}`, displayName: null }))))(ids);
    },
  });
  /** What the store does with a presence.changed from the socket. */
  const changed = (online: number[], offline: number[]) => {
    const event = { type: "presence.changed" as const, online, offline };
    dispatch(event);
    tracker.changed(event);
  };
  return { tracker, lookups, changed, release: (online: number[]) => release(online), get state() { return state; } };
}

const online = (state: ChatState) => Object.keys(state.online).map(Number).sort((a, b) => a - b);
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("the presence tracker", () => {
  test("a change that arrives while the list is being fetched is applied over the (older) list", async () => {
    const h = harness();
    const refreshed = h.tracker.refresh();
    h.changed([7], [3]);
    h.release([3, 4]); // computed before 7 came and 3 left
    await refreshed;
    expect(online(h.state)).toEqual([4, 7]);
  });

  test("names of people never seen are looked up by id, in chunks of 100, and only once", async () => {
    const h = harness();
    const ids = Array.from({ length: 250 }, (_, i) => i + 1);
    const refreshed = h.tracker.refresh();
    h.release(ids);
    await refreshed;
    expect(h.lookups.map((chunk) => chunk.length)).toEqual([100, 100, 50]);
    expect(h.state.people[250]).toEqual({ id: 250, username: "user250", displayName: null });
    h.changed([1, 2, 251], []);
    await flush();
    expect(h.lookups.at(-1)).toEqual([251]);
    h.changed([251], []);
    await flush();
    expect(h.lookups).toHaveLength(4);
  });

  test("someone the lookup does not return (disabled, deleted) is not asked about again and again", async () => {
    const h = harness({ names: () => [] });
    h.changed([9], []);
    await flush();
    h.changed([9], []);
    await flush();
    expect(h.lookups).toEqual([[9]]);
    expect(h.state.people[9]).toBeUndefined();
  });

  test("after logout, a late answer from the old session changes nothing", async () => {
    const h = harness();
    const refreshed = h.tracker.refresh();
    h.tracker.reset();
    h.release([1, 2]);
    await refreshed;
    expect(online(h.state)).toEqual([]);
    expect(h.lookups).toEqual([]);
  });
});
