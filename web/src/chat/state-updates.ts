// The building blocks of applyEvent (state.ts): small pure updates that copy only what changes, so
// untouched rooms and messages keep their identity.
import type { Message, UserRef } from "./protocol.ts";
import { UNREAD_CAP } from "./protocol.ts";
import type { ChatState } from "./state-types.ts";

export const without = <T>(record: Record<number, T>, key: number): Record<number, T> => {
  if (!(key in record)) return record;
  const copy = { ...record };
  delete copy[key];
  return copy;
};

export function addPeople(people: Record<number, UserRef>, users: UserRef[]): Record<number, UserRef> {
  let next = people;
  for (const user of users) {
    const known = next[user.id];
    if (known && known.username === user.username && known.displayName === user.displayName && known.deleted === user.deleted) continue;
    if (next === people) next = { ...people };
    next[user.id] = { id: user.id, username: user.username, displayName: user.displayName, ...(user.deleted ? { deleted: true } : {}) };
  }
  return next;
}

/** A deleted message stays only as the placeholder of a thread that still has replies. */
export const isPlaceholder = (message: Message) => message.deletedAt !== undefined && (message.thread?.replyCount ?? 0) > 0;

/**
 * Merges messages into a timeline: sorted by id, one copy each, the later copy kept (by `rev`, which
 * every change moves; of two copies with the same `rev`, an edit's).
 */
export function mergeMessages(existing: Message[], incoming: Message[]): Message[] {
  if (incoming.length === 0) return existing;
  const byId = new Map(existing.map((m) => [m.id, m]));
  let changed = false;
  for (const message of incoming) {
    const current = byId.get(message.id);
    if (message.deletedAt !== undefined && !isPlaceholder(message)) {
      if (current) {
        byId.delete(message.id);
        changed = true;
      }
      continue;
    }
    if (current) {
      const [was, is] = [current.rev ?? 0, message.rev ?? 0];
      if (was > is) continue;
      if (was === is && (current.editedAt ?? 0) >= (message.editedAt ?? 0) && current.body === message.body && current.deletedAt === message.deletedAt) continue;
    }
    byId.set(message.id, message);
    changed = true;
  }
  if (!changed) return existing;
  return [...byId.values()].sort((a, b) => a.id - b.id);
}

export function withMessages(state: ChatState, roomId: number, incoming: Message[], hasOlder?: boolean): ChatState {
  const timeline = state.timelines[roomId];
  if (!timeline) return state;
  const messages = mergeMessages(timeline.messages, incoming);
  const older = hasOlder ?? timeline.hasOlder;
  if (messages === timeline.messages && older === timeline.hasOlder) return state;
  return { ...state, timelines: { ...state.timelines, [roomId]: { ...timeline, messages, hasOlder: older } } };
}

/**
 * Edits: replace only messages the timeline holds. An edit of an older message that was never loaded
 * must not be inserted, or the timeline would hold an island and the next history page (before its
 * oldest id) would skip everything between.
 */
export function withUpdates(state: ChatState, roomId: number, updated: Message[]): ChatState {
  const timeline = state.timelines[roomId];
  if (!timeline) return state;
  const held = new Set(timeline.messages.map((m) => m.id));
  const known = updated.filter((m) => held.has(m.id));
  return known.length ? withMessages(state, roomId, known) : state;
}

/** A message of the room's timeline (not a reply shown only in its thread). */
export const inTimeline = (message: Message) => message.threadRootId === undefined || message.alsoToRoom === true;

/**
 * A new message: into its timeline if open (and caught up to the present: a timeline loaded around an
 * older message would get a gap), over my pending copy, onto the room's counters.
 */
export function messageCreated(state: ChatState, message: Message): ChatState {
  // A timeline opened around an older message does not reach the present: appending would hide the gap.
  const timeline = state.timelines[message.roomId];
  let next = inTimeline(message) && !timeline?.hasNewer ? withMessages(state, message.roomId, [message]) : state;
  const mine = state.me !== null && message.author.id === state.me.id;
  if (mine && next.pending.some((p) => p.clientId === message.clientId)) {
    next = { ...next, pending: next.pending.filter((p) => p.clientId !== message.clientId) };
  }
  const room = next.rooms[message.roomId];
  if (room && message.id > room.lastMessageId) {
    // System lines and replies shown only in their thread are not unread in the room.
    const counts = !mine && message.id > room.lastReadId && inTimeline(message) && message.event === undefined;
    const unread = counts ? Math.min(UNREAD_CAP, room.unread + 1) : room.unread;
    const mentionsMe = !mine && state.me !== null && message.id > room.lastReadId && (message.mentions?.includes(state.me.id) ?? false);
    next = {
      ...next,
      rooms: {
        ...next.rooms,
        [room.id]: {
          ...room,
          lastMessageId: message.id,
          lastMessageAt: message.createdAt,
          // My own message means I have read everything before it.
          lastReadId: mine ? Math.max(room.lastReadId, message.id) : room.lastReadId,
          unread: mine ? 0 : unread,
          mentions: mine ? 0 : mentionsMe ? Math.min(UNREAD_CAP, room.mentions + 1) : room.mentions,
        },
      },
    };
  }
  const typing = next.typing[message.roomId];
  if (typing?.some((entry) => entry.user.id === message.author.id)) {
    next = { ...next, typing: { ...next.typing, [message.roomId]: typing.filter((e) => e.user.id !== message.author.id) } };
  }
  next = { ...next, people: addPeople(next.people, [message.author]) };
  return next;
}

/**
 * A renamed user, relabelled everywhere this tab shows them: the people it knows, me, DM participants,
 * member lists, and the authors of loaded messages. Only what names them is copied.
 */
export function renamed(state: ChatState, user: UserRef): ChatState {
  const same = (u: UserRef) => u.id === user.id && (u.displayName !== user.displayName || u.username !== user.username);
  const relabel = <T extends UserRef>(u: T): T => (same(u) ? { ...u, username: user.username, displayName: user.displayName } : u);
  const mapIfAny = <T extends UserRef>(list: T[]): T[] => (list.some(same) ? list.map(relabel) : list);

  const rooms = { ...state.rooms };
  for (const [id, room] of Object.entries(state.rooms)) {
    const participants = mapIfAny(room.participants);
    if (participants !== room.participants) rooms[Number(id)] = { ...room, participants };
  }
  const members = { ...state.members };
  for (const [id, list] of Object.entries(state.members)) members[Number(id)] = mapIfAny(list);
  const timelines = { ...state.timelines };
  for (const [id, timeline] of Object.entries(state.timelines)) {
    if (!timeline.messages.some((m) => same(m.author))) continue;
    timelines[Number(id)] = { ...timeline, messages: timeline.messages.map((m) => (same(m.author) ? { ...m, author: relabel(m.author) } : m)) };
  }
  return {
    ...state,
    me: state.me && same(state.me) ? relabel(state.me) : state.me,
    people: state.people[user.id] ? addPeople(state.people, [user]) : state.people,
    rooms,
    members,
    timelines,
  };
}
