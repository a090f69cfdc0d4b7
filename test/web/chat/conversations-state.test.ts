// The conversation parts of applyEvent (web/src/chat/state-conversations.ts): replies reach their
// open thread and the root's summary, followed threads count unread replies, reactions keep which
// ones are mine, pins, deleted roots that stay as placeholders, a timeline loaded around a message,
// and `rev` deciding which copy of a message is later.
import { describe, expect, test } from "bun:test";
import { applyEvent, DEFAULT_NOTIFICATIONS, emptyState } from "../../../web/src/chat/state.ts";
import { threadsUnread } from "../../../web/src/chat/state-conversations.ts";
import type { ChatState } from "../../../web/src/chat/state-types.ts";
import type { Message, Reaction, Room, ThreadSummary, UserRef } from "../../../src/protocol.ts";

const alice: UserRef & { isAdmin: boolean } = { id: 1, username: "alice", displayName: null, isAdmin: false };
const bob: UserRef = { id: 2, username: "bob", displayName: null };

function room(id: number): Room {
  return {
    id, kind: "public", name: `room${id}`, topic: "", createdBy: 1, createdAt: 0, archivedAt: null, participants: [],
    memberCount: 2, role: "member", lastMessageId: 0, lastMessageAt: null, lastReadId: 0, unread: 0, pinPolicy: "members",
    mentions: 0, notify: { level: null, mutedUntil: null },
  };
}

function message(id: number, author: UserRef, patch: Partial<Message> = {}): Message {
  return { id, roomId: 10, author, clientId: `c${id}`, body: `m${id}`, createdAt: 1000 * id, mentions: [], ...patch };
}

const summary = (replyCount: number, participants: UserRef[] = [bob]): ThreadSummary => ({ replyCount, lastReplyId: 100 + replyCount, lastReplyAt: 5, participants });

/** Room 10 open with messages 1 (mine) and 2 (Bob's); the thread of 1 open with no replies yet. */
function opened(): ChatState {
  let state = applyEvent(emptyState(), {
    type: "ready", user: alice, rooms: [room(10)], changeSeq: 5, notifications: DEFAULT_NOTIFICATIONS,
  });
  state = applyEvent(state, { type: "local.history", roomId: 10, messages: [message(2, bob), message(1, alice)], hasMore: false });
  return applyEvent(state, { type: "local.thread", roomId: 10, rootId: 1, root: message(1, alice), messages: [], hasMore: false });
}

describe("thread replies", () => {
  test("go to their open thread and the root's summary, not to the room's timeline, and are unread in a thread I follow", () => {
    let state = opened();
    state = applyEvent(state, { type: "message.created", message: message(101, bob, { threadRootId: 1 }), thread: summary(1), seq: 20 });
    expect(state.threads[1]!.messages.map((m) => m.id)).toEqual([101]);
    expect(state.timelines[10]!.messages.map((m) => m.id)).toEqual([1, 2]);
    expect(state.timelines[10]!.messages[0]!.thread).toEqual(summary(1));
    expect(state.timelines[10]!.messages[0]!.rev).toBe(20);
    expect(state.changeSeq).toBe(20);
    // Not unread in the room, but in my thread (the root is mine, so I follow it).
    expect(state.rooms[10]!.unread).toBe(0);
    expect(state.followed[1]).toMatchObject({ unread: 1, lastReadId: 0 });
    expect(threadsUnread(state)).toBe(1);
    // Also sent to the room: in both.
    state = applyEvent(state, { type: "message.created", message: message(102, bob, { threadRootId: 1, alsoToRoom: true }), thread: summary(2), seq: 21 });
    expect(state.timelines[10]!.messages.map((m) => m.id)).toEqual([1, 2, 102]);
    expect(state.threads[1]!.messages.map((m) => m.id)).toEqual([101, 102]);
    expect(state.rooms[10]!.unread).toBe(1);
    expect(state.followed[1]!.unread).toBe(2);
  });

  test("my own reply makes me follow the thread with nothing unread; thread.updated with my reading clears it", () => {
    let state = opened();
    state = applyEvent(state, { type: "message.created", message: message(103, alice, { threadRootId: 2 }), thread: summary(1, [alice]), seq: 22 });
    expect(state.followed[2]).toEqual({ roomId: 10, rootId: 2, lastReadId: 103, unread: 0 });
    state = applyEvent(state, { type: "message.created", message: message(104, bob, { threadRootId: 2 }), thread: summary(2), seq: 23 });
    expect(state.followed[2]!.unread).toBe(1);
    state = applyEvent(state, { type: "thread.updated", roomId: 10, rootId: 2, read: { roomId: 10, rootId: 2, lastReadId: 104, unread: 0 } });
    expect(threadsUnread(state)).toBe(0);
  });

  test("a deleted root with replies stays as a placeholder; it goes once its last reply does", () => {
    let state = applyEvent(opened(), { type: "message.created", message: message(101, bob, { threadRootId: 1 }), thread: summary(1), seq: 20 });
    state = applyEvent(state, { type: "message.deleted", roomId: 10, messageId: 1, seq: 21 }, 9999);
    const placeholder = state.timelines[10]!.messages.find((m) => m.id === 1)!;
    expect(placeholder).toMatchObject({ body: "", deletedAt: 9999, thread: { replyCount: 1 } });
    expect(state.threads[1]!.root).toMatchObject({ body: "", deletedAt: 9999 });
    state = applyEvent(state, { type: "message.deleted", roomId: 10, messageId: 101, seq: 22 });
    state = applyEvent(state, { type: "thread.updated", roomId: 10, rootId: 1, thread: summary(0, []), seq: 22 });
    expect(state.timelines[10]!.messages.map((m) => m.id)).toEqual([2]);
    expect(state.threads[1]!.messages).toEqual([]);
  });
});

describe("reactions", () => {
  const thumbs = (userIds: number[]): Reaction[] => [{ emoji: "👍", count: userIds.length, userIds }];

  test("keep which are mine from what this tab knew, and a later rev wins over an earlier one", () => {
    let state = opened();
    state = applyEvent(state, { type: "reaction.changed", roomId: 10, messageId: 2, userId: 1, emoji: "👍", added: true, reactions: thumbs([1]), seq: 30 });
    expect(state.timelines[10]!.messages[1]!.reactions).toEqual([{ emoji: "👍", count: 1, userIds: [1], mine: true }]);
    // Bob reacts too: the frame has no `mine`; mine stays mine.
    state = applyEvent(state, { type: "reaction.changed", roomId: 10, messageId: 2, userId: 2, emoji: "👍", added: true, reactions: thumbs([1, 2]), seq: 31 });
    expect(state.timelines[10]!.messages[1]!.reactions![0]).toMatchObject({ count: 2, mine: true });
    // A stale frame (an earlier rev) changes nothing.
    const before = state.timelines[10]!.messages[1];
    state = applyEvent(state, { type: "reaction.changed", roomId: 10, messageId: 2, userId: 2, emoji: "👍", added: false, reactions: thumbs([1]), seq: 29 });
    expect(state.timelines[10]!.messages[1]).toBe(before!);
    // A history page with an older copy does not undo it either.
    state = applyEvent(state, { type: "local.history", roomId: 10, messages: [message(2, bob, { rev: 12 })], hasMore: false });
    expect(state.timelines[10]!.messages[1]!.reactions![0]!.count).toBe(2);
    // The last one taken back: no reactions left.
    state = applyEvent(state, { type: "reaction.changed", roomId: 10, messageId: 2, userId: 1, emoji: "👍", added: false, reactions: [], seq: 33 });
    expect(state.timelines[10]!.messages[1]!.reactions).toBeUndefined();
  });

  test("reach the copy in an open thread too", () => {
    let state = applyEvent(opened(), { type: "message.created", message: message(101, bob, { threadRootId: 1 }), thread: summary(1), seq: 20 });
    state = applyEvent(state, { type: "reaction.changed", roomId: 10, messageId: 101, userId: 2, emoji: "🎉", added: true, reactions: [{ emoji: "🎉", count: 1, userIds: [2] }], seq: 40 });
    expect(state.threads[1]!.messages[0]!.reactions).toEqual([{ emoji: "🎉", count: 1, userIds: [2] }]);
  });
});

describe("pins and jumps", () => {
  test("message.pinned and unpinned set and clear the pin", () => {
    let state = applyEvent(opened(), { type: "message.pinned", roomId: 10, messageId: 2, pinned: { by: alice, at: 7 }, seq: 50 });
    expect(state.timelines[10]!.messages[1]!.pinned).toEqual({ by: alice, at: 7 });
    state = applyEvent(state, { type: "message.unpinned", roomId: 10, messageId: 2, seq: 51 });
    expect(state.timelines[10]!.messages[1]!.pinned).toBeUndefined();
  });

  test("a timeline loaded around a message takes no live messages until it has caught up", () => {
    let state = applyEvent(opened(), { type: "local.around", roomId: 10, messages: [message(52, bob), message(51, bob), message(50, bob)], hasMore: true, hasNewer: true });
    expect(state.timelines[10]).toMatchObject({ hasOlder: true, hasNewer: true });
    state = applyEvent(state, { type: "message.created", message: message(90, bob) });
    expect(state.timelines[10]!.messages.map((m) => m.id)).toEqual([50, 51, 52]);
    expect(state.rooms[10]!.lastMessageId).toBe(90);
    state = applyEvent(state, { type: "local.newer", roomId: 10, messages: [message(90, bob), message(53, bob)], hasNewer: false });
    expect(state.timelines[10]!.messages.map((m) => m.id)).toEqual([50, 51, 52, 53, 90]);
    state = applyEvent(state, { type: "message.created", message: message(91, bob) });
    expect(state.timelines[10]!.messages.at(-1)!.id).toBe(91);
    // A reconnect drops a timeline still away from the present (it reloads), and open threads.
    state = applyEvent(state, { type: "local.around", roomId: 10, messages: [message(50, bob)], hasMore: true, hasNewer: true });
    state = applyEvent(state, {
      type: "ready", user: alice, rooms: [room(10)], changeSeq: 99, notifications: DEFAULT_NOTIFICATIONS,
    });
    expect(state.timelines[10]).toBeUndefined();
    expect(state.threads).toEqual({});
  });
});
