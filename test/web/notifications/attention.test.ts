// The tab's mention badges (`@2` per room) moved by events, and the attention count the title and
// the app badge (navigator.setAppBadge) show: mentions of me + unread DMs; a muted DM counts only
// its mentions, a muted room only its mentions (as every room does).
import { describe, expect, test } from "bun:test";
import { applyEvent, emptyState } from "../../../web/src/chat/state.ts";
import type { ChatState } from "../../../web/src/chat/state-types.ts";
import { attentionCount } from "../../../web/src/notifications/desktop.ts";
import { FOREVER, type Me, type Message, type Room, type UserRef } from "../../../src/protocol.ts";

const me: Me = { id: 1, username: "alice", displayName: "Alice", isAdmin: false };
const bob: UserRef = { id: 2, username: "bob", displayName: null };
const NOW = 1_000_000;

function room(id: number, patch: Partial<Room> = {}): Room {
  return {
    id, kind: "public", name: `room${id}`, topic: "", createdBy: 1, createdAt: 0, archivedAt: null, participants: [],
    memberCount: 2, role: "member", lastMessageId: 0, lastMessageAt: null, lastReadId: 0, unread: 0, mentions: 0, pinPolicy: "members",
    notify: { level: null, mutedUntil: null }, ...patch,
  };
}

const message = (id: number, roomId: number, patch: Partial<Message> = {}): Message => ({
  id, roomId, author: bob, clientId: `c${id}`, body: `m${id}`, createdAt: id, mentions: [], ...patch,
});

function withRooms(rooms: Room[]): ChatState {
  return applyEvent(emptyState(), {
    type: "ready", user: me, rooms, changeSeq: 1,
    notifications: { defaultLevel: "mentions", dndUntil: null, soundRooms: false, soundDms: true, previews: true },
  });
}

describe("mention badges", () => {
  test("a new message that mentions me adds one to its room's mention badge; one that does not only to unread", () => {
    let state = withRooms([room(10)]);
    state = applyEvent(state, { type: "message.created", message: message(1, 10) });
    state = applyEvent(state, { type: "message.created", message: message(2, 10, { mentions: [me.id] }) });
    state = applyEvent(state, { type: "message.created", message: message(3, 10, { mentions: [3] }) });
    expect(state.rooms[10]).toMatchObject({ unread: 3, mentions: 1 });
  });

  test("an edit that mentions me (mention.added) adds one; reading (read.updated) sets both counts from the server", () => {
    let state = withRooms([room(10)]);
    state = applyEvent(state, { type: "message.created", message: message(1, 10) });
    state = applyEvent(state, { type: "mention.added", message: message(1, 10, { mentions: [me.id], editedAt: 5 }) });
    expect(state.rooms[10]!.mentions).toBe(1);
    state = applyEvent(state, { type: "read.updated", roomId: 10, lastReadId: 1, unread: 0, mentions: 0 });
    expect(state.rooms[10]).toMatchObject({ unread: 0, mentions: 0 });
    // An edit of a message already read mentions me without a new badge.
    state = applyEvent(state, { type: "mention.added", message: message(1, 10, { mentions: [me.id], editedAt: 6 }) });
    expect(state.rooms[10]!.mentions).toBe(0);
  });
});

describe("the title and app badge count", () => {
  test("is mentions of me in rooms plus unread DMs; plain unread room messages do not count", () => {
    const state = withRooms([room(10, { unread: 7, mentions: 2 }), room(11, { unread: 4 }), room(12, { kind: "dm", unread: 3 })]);
    expect(attentionCount(state, NOW)).toBe(2 + 3);
  });

  test("a muted DM counts only its mentions; a muted room still counts its mentions", () => {
    const muted = { level: null, mutedUntil: FOREVER };
    const state = withRooms([room(10, { unread: 7, mentions: 2, notify: muted }), room(12, { kind: "dm", unread: 3, mentions: 1, notify: muted })]);
    expect(attentionCount(state, NOW)).toBe(2 + 1);
    // A mute that has ended counts the DM again.
    const ended = withRooms([room(12, { kind: "dm", unread: 3, notify: { level: null, mutedUntil: NOW - 1 } })]);
    expect(attentionCount(ended, NOW)).toBe(3);
  });
});
