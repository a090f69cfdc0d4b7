// The reconnect sync loop (web/src/chat/sync-loop.ts) against a fake server that pages like the real
// one: it repeats while a room has more or changes remain, and the chat state ends up with every
// missed message, in order, once, with every edit and deletion made while away.
import { describe, expect, test } from "bun:test";
import { applyEvent, emptyState } from "../../../web/src/chat/state.ts";
import type { ChatState } from "../../../web/src/chat/state-types.ts";
import { syncUntilDone, type SyncPage, type SyncReply, type SyncRequest } from "../../../web/src/chat/sync-loop.ts";
import type { Me, Message, Room, UserRef } from "../../../src/protocol.ts";

const alice: Me = { id: 1, username: "alice", displayName: null, isAdmin: false };
const bob: UserRef = { id: 2, username: "bob", displayName: null };

function message(id: number, roomId: number, patch: Partial<Message> = {}): Message {
  return { id, roomId, author: bob, clientId: `c${id}`, body: `m${id}`, createdAt: id, mentions: [], ...patch };
}

function room(id: number): Room {
  return {
    id, kind: "public", name: `r${id}`, topic: "", createdBy: 1, createdAt: 0, archivedAt: null, participants: [],
    memberCount: 2, role: "member", lastMessageId: 0, lastMessageAt: null, lastReadId: 0, unread: 0, mentions: 0, pinPolicy: "members",
    notify: { level: null, mutedUntil: null },
  };
}

/** Pages like message-reads.ts: `pageSize` new messages per room, `changesPage` changes per answer. */
function fakeServer(options: { rooms: Record<number, Message[]>; changes?: { seq: number; message: Message }[]; pageSize?: number; changesPage?: number; failOn?: number }) {
  const { rooms, changes = [], pageSize = 3, changesPage = 2 } = options;
  const requests: SyncRequest[] = [];
  const ask = async (request: SyncRequest): Promise<SyncReply> => {
    requests.push(structuredClone(request));
    if (requests.length === options.failOn) throw new Error("disconnected");
    const answered = request.rooms
      .filter((r) => rooms[r.roomId])
      .map((r) => {
        const after = rooms[r.roomId]!.filter((m) => m.id > r.lastId && m.deletedAt === undefined);
        return { roomId: r.roomId, messages: after.slice(0, pageSize), hasMore: after.length > pageSize };
      });
    const asked = new Set(answered.map((r) => r.roomId));
    const found = changes.filter((c) => c.seq > request.since && asked.has(c.message.roomId));
    const sent = found.slice(0, changesPage);
    const hasMoreChanges = found.length > changesPage;
    const latest = changes.at(-1)?.seq ?? 0;
    return { rooms: answered, changes: sent.map((c) => c.message), changeSeq: hasMoreChanges ? sent.at(-1)!.seq : latest, hasMoreChanges };
  };
  return { ask, requests };
}

/** Alice's tab before the reconnect: rooms 10 and 11 open with what she had seen. */
function before(): ChatState {
  let state = applyEvent(emptyState(), { type: "ready", user: alice, rooms: [room(10), room(11), room(12)], changeSeq: 0, notifications: { defaultLevel: "mentions", dndUntil: null, soundRooms: false, soundDms: true, previews: true } });
  state = applyEvent(state, { type: "local.history", roomId: 10, messages: [message(2, 10), message(1, 10)], hasMore: false });
  state = applyEvent(state, { type: "local.history", roomId: 11, messages: [message(100, 11)], hasMore: false });
  state = applyEvent(state, { type: "local.history", roomId: 12, messages: [], hasMore: false });
  return state;
}

function startOf(state: ChatState): SyncRequest {
  return {
    rooms: Object.entries(state.timelines).map(([id, t]) => ({ roomId: Number(id), lastId: t.messages.at(-1)?.id ?? 0 })),
    since: state.changeSeq,
  };
}

async function run(state: ChatState, ask: (r: SyncRequest) => Promise<SyncReply>, limits?: { pagesPerRoom: number; rounds: number }) {
  const pages: SyncPage[] = [];
  let next = state;
  const done = syncUntilDone(ask, startOf(state), (page) => {
    pages.push(page);
    next = applyEvent(next, { type: "local.sync", ...page });
  }, limits);
  await done;
  return { state: next, pages };
}

const ids = (state: ChatState, roomId: number) => state.timelines[roomId]?.messages.map((m) => m.id);

describe("the reconnect sync loop", () => {
  test("repeats while a room has more, naming every room each time, until everything missed is in", async () => {
    const server = fakeServer({
      rooms: {
        10: Array.from({ length: 12 }, (_, i) => message(i + 1, 10)),
        11: [message(100, 11), message(101, 11)],
        // Room 12 is gone (Alice left it elsewhere): the server leaves it out of every answer.
      },
    });
    const { state } = await run(before(), server.ask);
    expect(ids(state, 10)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(ids(state, 11)).toEqual([100, 101]);
    expect(state.rooms[10]!.unread).toBe(10);
    // 10 missed in room 10 at 3 per page: 4 answers. Each repeat names room 11 again (changes only
    // cover the rooms named), from its new last id; room 12, left out once, is not asked again.
    expect(server.requests.map((r) => r.rooms)).toEqual([
      [{ roomId: 10, lastId: 2 }, { roomId: 11, lastId: 100 }, { roomId: 12, lastId: 0 }],
      [{ roomId: 10, lastId: 5 }, { roomId: 11, lastId: 101 }],
      [{ roomId: 10, lastId: 8 }, { roomId: 11, lastId: 101 }],
      [{ roomId: 10, lastId: 11 }, { roomId: 11, lastId: 101 }],
    ]);
  });

  test("repeats with the new changeSeq while hasMoreChanges, applying every edit and deletion made while away", async () => {
    const server = fakeServer({
      rooms: { 10: [message(1, 10), message(2, 10), message(3, 10)], 11: [message(100, 11)] },
      changes: [
        { seq: 1, message: message(1, 10, { body: "first edit", editedAt: 5 }) },
        { seq: 2, message: message(100, 11, { body: "edited in 11", editedAt: 6 }) },
        { seq: 3, message: message(1, 10, { body: "second edit", editedAt: 7 }) },
        { seq: 4, message: message(2, 10, { body: "", deletedAt: 8 }) },
        { seq: 5, message: message(3, 10, { body: "new, then edited", editedAt: 9 }) },
      ],
    });
    const { state, pages } = await run(before(), server.ask);
    expect(server.requests.map((r) => r.since)).toEqual([0, 2, 4]);
    expect(pages.map((p) => p.changeSeq)).toEqual([2, 4, 5]);
    expect(state.changeSeq).toBe(5);
    expect(state.timelines[10]!.messages.map((m) => [m.id, m.body])).toEqual([[1, "second edit"], [3, "new, then edited"]]);
    expect(state.timelines[11]!.messages.map((m) => m.body)).toEqual(["edited in 11"]);
  });

  test("asks nothing when no timeline is open", async () => {
    const server = fakeServer({ rooms: { 10: [message(1, 10)] } });
    const state = applyEvent(emptyState(), { type: "ready", user: alice, rooms: [room(10)], changeSeq: 0, notifications: { defaultLevel: "mentions", dndUntil: null, soundRooms: false, soundDms: true, previews: true } });
    await run(state, server.ask);
    expect(server.requests).toEqual([]);
  });

  test("a room that missed more than the page cap is reloaded from its newest page instead", async () => {
    const server = fakeServer({ rooms: { 10: Array.from({ length: 40 }, (_, i) => message(i + 1, 10)), 11: [message(100, 11), message(101, 11)] } });
    const { state, pages } = await run(before(), server.ask, { pagesPerRoom: 2, rounds: 50 });
    expect(pages.map((p) => p.restart)).toEqual([[], [10]]);
    expect(state.timelines[10]).toBeUndefined();
    // Its counters still moved with what arrived; the other room is complete.
    expect(state.rooms[10]!.lastMessageId).toBe(8);
    expect(ids(state, 11)).toEqual([100, 101]);
    expect(server.requests).toHaveLength(2);
  });

  test("changes that never run out within the round cap reload every timeline", async () => {
    const changes = Array.from({ length: 10 }, (_, i) => ({ seq: i + 1, message: message(1, 10, { body: `edit ${i}`, editedAt: i + 1 }) }));
    const server = fakeServer({ rooms: { 10: [message(1, 10), message(2, 10)], 11: [message(100, 11)] }, changes, changesPage: 1 });
    const { state, pages } = await run(before(), server.ask, { pagesPerRoom: 5, rounds: 3 });
    expect(server.requests).toHaveLength(3);
    expect(pages.at(-1)!.restart).toBe("all");
    expect(state.timelines).toEqual({});
  });

  test("a connection lost mid-way rejects, keeping the pages already applied contiguous", async () => {
    const server = fakeServer({ rooms: { 10: Array.from({ length: 12 }, (_, i) => message(i + 1, 10)), 11: [message(100, 11)] }, failOn: 2 });
    let state = before();
    const applied = syncUntilDone(server.ask, startOf(state), (page) => {
      state = applyEvent(state, { type: "local.sync", ...page });
    });
    await expect(applied).rejects.toThrow("disconnected");
    expect(ids(state, 10)).toEqual([1, 2, 3, 4, 5]);
    // The next reconnect starts from where the timeline ends.
    expect(startOf(state).rooms.find((r) => r.roomId === 10)).toEqual({ roomId: 10, lastId: 5 });
  });
});
