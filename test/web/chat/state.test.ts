// applyEvent: the tab's chat state moved by server events and the tab's own actions, as plain data.
import { describe, expect, test } from "bun:test";
import { applyEvent, emptyState, totalUnread } from "../../../web/src/chat/state.ts";
import type { ChatState } from "../../../web/src/chat/state-types.ts";
import { mergeMessages } from "../../../web/src/chat/state-updates.ts";
import type { Me, Message, Room, ServerEvent, UserRef } from "../../../src/protocol.ts";

const alice: Me = { id: 1, username: "alice", displayName: "Alice", isAdmin: false };
const bob: UserRef = { id: 2, username: "bob", displayName: null };

function room(id: number, patch: Partial<Room> = {}): Room {
  return {
    id, kind: "public", name: `room${id}`, topic: "", createdBy: 1, createdAt: 0, archivedAt: null, participants: [],
    memberCount: 2, role: "member", lastMessageId: 0, lastMessageAt: null, lastReadId: 0, unread: 0, mentions: 0, pinPolicy: "members",
    notify: { level: null, mutedUntil: null }, ...patch,
  };
}

function message(id: number, roomId: number, author: UserRef, patch: Partial<Message> = {}): Message {
  return { id, roomId, author, clientId: `c${id}`, body: `m${id}`, createdAt: 1000 * id, mentions: [], ...patch };
}

function ready(rooms: Room[], changeSeq = 5): ServerEvent {
  return { type: "ready", user: alice, rooms, changeSeq, notifications: { defaultLevel: "mentions", dndUntil: null, soundRooms: false, soundDms: true, previews: true } };
}

/** A state after `ready` with room 10 open (its history loaded). */
function opened(messages: Message[] = []): ChatState {
  const state = applyEvent(emptyState(), ready([room(10), room(11)]));
  return applyEvent(state, { type: "local.history", roomId: 10, messages: [...messages].reverse(), hasMore: false });
}

describe("applyEvent", () => {
  test("ready sets who I am and my rooms", () => {
    const state = applyEvent(emptyState(), ready([room(10)], 7));
    expect(state.me).toEqual(alice);
    expect(Object.keys(state.rooms)).toEqual(["10"]);
    expect(state.changeSeq).toBe(7);
  });

  test("a reconnect's ready keeps timelines of rooms I still have and the change cursor for sync", () => {
    let state = opened([message(1, 10, bob)]);
    state = applyEvent(state, { type: "local.history", roomId: 11, messages: [], hasMore: false });
    state = applyEvent(state, ready([room(10)], 99));
    expect(state.timelines[10]!.messages.map((m) => m.id)).toEqual([1]);
    expect(state.timelines[11]).toBeUndefined();
    expect(state.changeSeq).toBe(5);
  });

  test("history pages arrive newest first and are kept oldest first, without duplicates", () => {
    let state = opened([message(5, 10, bob), message(6, 10, bob)]);
    state = applyEvent(state, { type: "local.history", roomId: 10, messages: [message(4, 10, bob), message(3, 10, bob)], hasMore: true });
    state = applyEvent(state, { type: "local.history", roomId: 10, messages: [message(5, 10, bob)], hasMore: true });
    expect(state.timelines[10]!.messages.map((m) => m.id)).toEqual([3, 4, 5, 6]);
    expect(state.timelines[10]!.hasOlder).toBe(true);
  });

  test("a message from someone else counts as unread and moves the room's last message", () => {
    const state = applyEvent(opened(), { type: "message.created", message: message(8, 11, bob) });
    expect(state.rooms[11]!.unread).toBe(1);
    expect(state.rooms[11]!.lastMessageId).toBe(8);
    expect(totalUnread(state)).toBe(1);
    // Room 11's history was never opened: nothing is stored for it.
    expect(state.timelines[11]).toBeUndefined();
  });

  test("my own message is not unread and replaces my pending copy with the same clientId", () => {
    let state = applyEvent(opened(), { type: "local.pending", pending: { clientId: "abc", roomId: 10, body: "hi", createdAt: 1, status: "sending" } });
    expect(state.pending).toHaveLength(1);
    state = applyEvent(state, { type: "message.created", message: message(9, 10, alice, { clientId: "abc", body: "hi" }) });
    expect(state.pending).toHaveLength(0);
    expect(state.timelines[10]!.messages.map((m) => m.body)).toEqual(["hi"]);
    expect(state.rooms[10]!.unread).toBe(0);
    expect(state.rooms[10]!.lastReadId).toBe(9);
  });

  test("the same message arriving live and in a sync answer is stored once", () => {
    let state = opened([message(1, 10, bob)]);
    state = applyEvent(state, { type: "message.created", message: message(2, 10, bob) });
    state = applyEvent(state, { type: "local.sync", rooms: [{ roomId: 10, messages: [message(2, 10, bob), message(3, 10, bob)] }], changes: [], changeSeq: 9 });
    expect(state.timelines[10]!.messages.map((m) => m.id)).toEqual([1, 2, 3]);
    expect(state.rooms[10]!.unread).toBe(2);
    expect(state.changeSeq).toBe(9);
  });

  test("sync applies edits and deletions made while away", () => {
    let state = opened([message(1, 10, bob), message(2, 10, bob)]);
    state = applyEvent(state, {
      type: "local.sync",
      rooms: [{ roomId: 10, messages: [] }],
      changes: [message(1, 10, bob, { body: "edited", editedAt: 5000 }), message(2, 10, bob, { body: "", deletedAt: 6000 })],
      changeSeq: 12,
    });
    expect(state.timelines[10]!.messages.map((m) => [m.id, m.body])).toEqual([[1, "edited"]]);
  });

  test("a sync that missed too much starts the room's timeline again, keeping its counters", () => {
    let state = opened([message(1, 10, bob)]);
    state = applyEvent(state, { type: "local.sync", rooms: [{ roomId: 10, messages: [message(2, 10, bob)] }], changes: [], changeSeq: 6, restart: [10] });
    expect(state.timelines[10]).toBeUndefined();
    expect(state.rooms[10]!.lastMessageId).toBe(2);
    state = applyEvent(opened([message(1, 10, bob)]), { type: "local.sync", rooms: [], changes: [], changeSeq: 6, restart: "all" });
    expect(state.timelines).toEqual({});
  });

  test("an edit of a message never loaded is not inserted (no island before the loaded page)", () => {
    let state = opened([message(50, 10, bob), message(51, 10, bob)]);
    state = applyEvent(state, { type: "message.updated", message: message(3, 10, bob, { body: "old, edited", editedAt: 9 }), seq: 30 });
    state = applyEvent(state, { type: "local.sync", rooms: [], changes: [message(4, 10, bob, { body: "also old", editedAt: 9 })], changeSeq: 31 });
    expect(state.timelines[10]!.messages.map((m) => m.id)).toEqual([50, 51]);
    expect(state.changeSeq).toBe(31);
  });

  test("edits replace the message; deletions remove it; unchanged messages keep their identity", () => {
    let state = opened([message(1, 10, bob), message(2, 10, bob)]);
    const first = state.timelines[10]!.messages[0];
    state = applyEvent(state, { type: "message.updated", message: message(2, 10, bob, { body: "new", editedAt: 3 }), seq: 20 });
    expect(state.timelines[10]!.messages[1]!.body).toBe("new");
    expect(state.timelines[10]!.messages[0]).toBe(first!);
    expect(state.changeSeq).toBe(20);
    state = applyEvent(state, { type: "message.deleted", roomId: 10, messageId: 2, seq: 21 });
    expect(state.timelines[10]!.messages.map((m) => m.id)).toEqual([1]);
  });

  test("a batched deletion (retention) removes every named message of the room and moves the sync point", () => {
    let state = opened([message(1, 10, bob), message(2, 10, bob), message(3, 10, bob)]);
    const kept = state.timelines[10]!.messages[1];
    state = applyEvent(state, { type: "messages.deleted", roomId: 10, messageIds: [1, 3, 99], seq: 40 });
    expect(state.timelines[10]!.messages.map((m) => m.id)).toEqual([2]);
    expect(state.timelines[10]!.messages[0]).toBe(kept!);
    expect(state.changeSeq).toBe(40);
    // A room whose timeline is not loaded: only the sync point moves.
    state = applyEvent(state, { type: "messages.deleted", roomId: 77, messageIds: [5], seq: 41 });
    expect(state.timelines[77]).toBeUndefined();
    expect(state.changeSeq).toBe(41);
  });

  test("a failed message can be retried or discarded", () => {
    let state = applyEvent(opened(), { type: "local.pending", pending: { clientId: "x", roomId: 10, body: "b", createdAt: 1, status: "sending" } });
    state = applyEvent(state, { type: "local.failed", clientId: "x", error: "Too many" });
    expect(state.pending[0]).toMatchObject({ status: "failed", error: "Too many" });
    state = applyEvent(state, { type: "local.retry", clientId: "x" });
    expect(state.pending[0]!.status).toBe("sending");
    state = applyEvent(state, { type: "local.discard", clientId: "x" });
    expect(state.pending).toEqual([]);
  });

  test("read.updated clears a room's unread count", () => {
    let state = applyEvent(opened(), { type: "message.created", message: message(8, 11, bob) });
    state = applyEvent(state, { type: "read.updated", roomId: 11, lastReadId: 8, unread: 0, mentions: 0 });
    expect(state.rooms[11]!.unread).toBe(0);
    expect(totalUnread(state)).toBe(0);
  });

  test("leaving a room forgets it, its history and its pending messages", () => {
    let state = applyEvent(opened([message(1, 10, bob)]), { type: "local.pending", pending: { clientId: "p", roomId: 10, body: "x", createdAt: 1, status: "failed" } });
    state = applyEvent(state, { type: "room.removed", roomId: 10, reason: "left" });
    expect(state.rooms[10]).toBeUndefined();
    expect(state.timelines[10]).toBeUndefined();
    expect(state.pending).toEqual([]);
  });

  test("being removed (member.left about me) is the same as room.removed", () => {
    const state = applyEvent(opened(), { type: "member.left", roomId: 10, userId: alice.id, reason: "removed" });
    expect(state.rooms[10]).toBeUndefined();
  });

  test("members joining and leaving update the count and a loaded member list", () => {
    // The list just read is the truth: the header's count agrees with it (two members here).
    const carol = { id: 3, username: "carol", displayName: null, role: "member" as const, joinedAt: 0, online: false };
    let state = applyEvent(opened(), { type: "local.members", roomId: 10, members: [carol] });
    expect(state.rooms[10]!.memberCount).toBe(1);
    state = applyEvent(opened(), { type: "local.members", roomId: 10, members: [{ ...alice, role: "owner", joinedAt: 0, online: true }, carol] });
    // A join says nothing about presence: the list shows the member as presence last said.
    const member = { ...bob, role: "member" as const, joinedAt: 1 };
    state = applyEvent(state, { type: "member.joined", roomId: 10, member });
    state = applyEvent(state, { type: "member.joined", roomId: 10, member });
    expect(state.rooms[10]!.memberCount).toBe(3);
    expect(state.members[10]!.filter((m) => m.id === 2).map((m) => [m.id, m.online])).toEqual([[2, false]]);
    expect(state.online[2]).toBeUndefined();
    state = applyEvent(state, { type: "member.left", roomId: 10, userId: 2, reason: "left" });
    expect(state.rooms[10]!.memberCount).toBe(2);
    expect(state.members[10]!.map((m) => m.id)).toEqual([1, 3]);
    // Someone presence already shows online joins as online.
    state = applyEvent(state, { type: "presence.changed", online: [2], offline: [] });
    state = applyEvent(state, { type: "member.joined", roomId: 10, member });
    expect(state.members[10]!.filter((m) => m.id === 2).map((m) => [m.id, m.online])).toEqual([[2, true]]);
    // My own join is already counted by room.added.
    state = applyEvent(state, { type: "member.joined", roomId: 10, member: { ...alice, role: "member" as const, joinedAt: 2 } });
    expect(state.rooms[10]!.memberCount).toBe(3);
  });

  test("the server's member count is set, never added to: a join after the room.added that counted it changes nothing (issue 19 bug 1)", () => {
    // Added to a room: room.added (count 2, me included) and the member.joined about me may arrive
    // in either order, and a join about someone else may already be in the count.
    let state = applyEvent(emptyState(), ready([]));
    state = applyEvent(state, { type: "room.added", room: room(12, { memberCount: 2 }) });
    state = applyEvent(state, { type: "member.joined", roomId: 12, member: { ...bob, role: "owner", joinedAt: 0 }, memberCount: 2 });
    expect(state.rooms[12]!.memberCount).toBe(2);
    state = applyEvent(state, { type: "member.joined", roomId: 12, member: { ...alice, role: "member", joinedAt: 1 }, memberCount: 2 });
    expect(state.rooms[12]!.memberCount).toBe(2);
    state = applyEvent(state, { type: "member.joined", roomId: 12, member: { id: 3, username: "carol", displayName: null, role: "member", joinedAt: 2 }, memberCount: 3 });
    expect(state.rooms[12]!.memberCount).toBe(3);
    state = applyEvent(state, { type: "member.left", roomId: 12, userId: 3, reason: "left", memberCount: 2 });
    expect(state.rooms[12]!.memberCount).toBe(2);
  });

  test("invitations arrive with ready and live, and leave when answered or when the room arrives", () => {
    const request = { roomId: 20, kind: "private" as const, name: "plans", topic: "", invitedBy: bob, participants: [], memberCount: 1, createdAt: 5 };
    let state = applyEvent(emptyState(), { ...(ready([], 5) as Extract<ServerEvent, { type: "ready" }>), requests: [request] });
    expect(Object.keys(state.requests)).toEqual(["20"]);
    expect(state.people[2]).toEqual(bob);
    state = applyEvent(state, { type: "request.removed", roomId: 20, reason: "declined" });
    expect(state.requests).toEqual({});
    state = applyEvent(state, { type: "request.added", request });
    expect(state.requests[20]).toEqual(request);
    // Accepted on another device: the room replaces its invitation.
    state = applyEvent(state, { type: "room.added", room: room(20) });
    expect(state.requests).toEqual({});
    expect(state.rooms[20]).toBeDefined();
  });

  test("presence changes add and remove people from the online set", () => {
    let state = applyEvent(opened(), { type: "local.online", online: [2, 3] });
    state = applyEvent(state, { type: "presence.changed", online: [4], offline: [3] });
    expect(Object.keys(state.online).map(Number).sort()).toEqual([2, 4]);
  });

  test("typing indicators expire, and a message from the typist ends theirs", () => {
    let state = applyEvent(opened(), { type: "typing", roomId: 10, user: bob, typing: true }, 1000);
    expect(state.typing[10]!.map((e) => e.user.id)).toEqual([2]);
    expect(applyEvent(state, { type: "local.typingExpired" }, 5999).typing[10]).toHaveLength(1);
    expect(applyEvent(state, { type: "local.typingExpired" }, 6001).typing[10]).toBeUndefined();
    state = applyEvent(state, { type: "message.created", message: message(3, 10, bob) }, 2000);
    expect(state.typing[10]).toEqual([]);
  });

  test("my own typing echo is ignored", () => {
    const state = applyEvent(opened(), { type: "typing", roomId: 10, user: alice, typing: true });
    expect(state.typing[10]).toBeUndefined();
  });

  test("room.updated renames; room.added brings DM participants into the people list", () => {
    let state = applyEvent(opened(), { type: "room.updated", room: { id: 10, kind: "public", name: "renamed", topic: "t", archivedAt: null, pinPolicy: "members" } });
    expect(state.rooms[10]!.name).toBe("renamed");
    state = applyEvent(state, { type: "room.added", room: room(12, { kind: "dm", name: "", participants: [alice, bob] }) });
    expect(state.people[2]).toEqual(bob);
  });

  test("replies (ack, error) do not change the state by themselves", () => {
    const state = opened();
    expect(applyEvent(state, { type: "error", code: "rate_limited", message: "slow down" })).toBe(state);
  });

  test("mergeMessages returns the same array when nothing changed", () => {
    const list = [message(1, 10, bob)];
    expect(mergeMessages(list, [message(1, 10, bob)])).toBe(list);
  });
});
