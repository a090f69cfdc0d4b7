// The chat state of one tab and the pure function that moves it forward: applyEvent(state, event)
// returns a new state and never mutates the old one, so unchanged messages keep their identity
// (the list does not redraw them) and tests can drive it with plain objects.
import type { Room, RoomRequest } from "./protocol.ts";
import { TYPING_TTL_MS, UNREAD_CAP } from "./protocol.ts";
import type { ChatEvent, ChatState, Timeline, TypingEntry } from "./state-types.ts";
import { addPeople, inTimeline, messageCreated, renamed, withMessages, without, withUpdates } from "./state-updates.ts";
import {
  changesApplied,
  followedList,
  messageRemoved,
  myReactions,
  pinChanged,
  reactionChanged,
  replyCreated,
  summaryChanged,
  threadPage,
} from "./state-conversations.ts";

export const DEFAULT_NOTIFICATIONS: ChatState["notifications"] = { defaultLevel: "mentions", dndUntil: null, soundRooms: false, soundDms: true, previews: true };

export function emptyState(): ChatState {
  return { me: null, rooms: {}, requests: {}, timelines: {}, pending: [], online: {}, people: {}, members: {}, typing: {}, changeSeq: 0, threads: {}, followed: {}, notifications: DEFAULT_NOTIFICATIONS };
}

/** Drops the entries of `record` whose value belongs to `roomId`. */
const withoutRoom = <T extends { roomId: number }>(record: Record<number, T>, roomId: number): Record<number, T> => {
  const kept = Object.entries(record).filter(([, value]) => value.roomId !== roomId);
  return kept.length === Object.keys(record).length ? record : Object.fromEntries(kept);
};

export function applyEvent(state: ChatState, event: ChatEvent, now = Date.now()): ChatState {
  switch (event.type) {
    case "ready": {
      const rooms: Record<number, Room> = {};
      for (const room of event.rooms) rooms[room.id] = room;
      // Timelines of rooms I can still see survive a reconnect; a sync fills what was missed. One loaded
      // around an older message is not caught up by a sync: it reloads. Open threads reload their newest page.
      const timelines: Record<number, Timeline> = {};
      for (const [id, timeline] of Object.entries(state.timelines)) if (rooms[Number(id)] && !timeline.hasNewer) timelines[Number(id)] = timeline;
      const participants = event.rooms.flatMap((r) => r.participants);
      const requests: Record<number, RoomRequest> = {};
      for (const request of event.requests ?? []) requests[request.roomId] = request;
      return {
        ...state,
        me: event.user,
        rooms,
        requests,
        timelines,
        people: addPeople(state.people, [event.user, ...participants, ...Object.values(requests).map((r) => r.invitedBy)]),
        typing: {},
        threads: {},
        changeSeq: state.me === null ? event.changeSeq : state.changeSeq,
        notifications: event.notifications,
      };
    }
    case "message.created": {
      const next = messageCreated(state, event.message);
      if (event.message.threadRootId === undefined) return next;
      const replied = replyCreated(next, event.message, event.thread, event.seq);
      return event.seq !== undefined ? { ...replied, changeSeq: Math.max(replied.changeSeq, event.seq) } : replied;
    }
    case "local.message": {
      const next = messageCreated(state, event.message);
      return event.message.threadRootId === undefined ? next : replyCreated(next, event.message, undefined, undefined);
    }
    case "message.updated":
      return { ...changesApplied(state, event.message.roomId, [event.message]), changeSeq: Math.max(state.changeSeq, event.seq) };
    case "message.deleted":
      return { ...messageRemoved(state, event.roomId, event.messageId, now), changeSeq: Math.max(state.changeSeq, event.seq) };
    case "reaction.changed":
      return { ...reactionChanged(state, event), changeSeq: Math.max(state.changeSeq, event.seq) };
    case "message.pinned":
      return { ...pinChanged(state, event.roomId, event.messageId, event.pinned, event.seq), changeSeq: Math.max(state.changeSeq, event.seq) };
    case "message.unpinned":
      return { ...pinChanged(state, event.roomId, event.messageId, null, event.seq), changeSeq: Math.max(state.changeSeq, event.seq) };
    case "thread.updated": {
      if ("read" in event) return { ...state, followed: { ...state.followed, [event.rootId]: event.read } };
      return { ...summaryChanged(state, event.roomId, event.rootId, event.thread, event.seq), changeSeq: Math.max(state.changeSeq, event.seq) };
    }
    case "local.reactions":
      return myReactions(state, event.roomId, event.messageId, event.reactions);
    case "local.pinned":
      return pinChanged(state, event.roomId, event.messageId, event.pinned);
    case "local.thread":
      return threadPage(state, event.roomId, event.rootId, event.root, event.messages, event.hasMore);
    case "local.around": {
      // The timeline starts again around the message: what was loaded may not join up with it.
      const messages = [...event.messages].reverse().filter((m) => inTimeline(m));
      const timeline: Timeline = { messages, hasOlder: event.hasMore, hasNewer: event.hasNewer };
      return { ...state, timelines: { ...state.timelines, [event.roomId]: timeline }, people: addPeople(state.people, event.messages.map((m) => m.author)) };
    }
    case "local.newer": {
      const timeline = state.timelines[event.roomId];
      if (!timeline) return state;
      const merged = withMessages(state, event.roomId, [...event.messages].reverse());
      const caughtUp = merged.timelines[event.roomId]!;
      return {
        ...merged,
        timelines: { ...merged.timelines, [event.roomId]: { ...caughtUp, hasNewer: event.hasNewer } },
        people: addPeople(merged.people, event.messages.map((m) => m.author)),
      };
    }
    case "local.followed":
      return followedList(state, event.threads);
    case "messages.deleted": {
      const timeline = state.timelines[event.roomId];
      const next = { ...state, changeSeq: Math.max(state.changeSeq, event.seq) };
      const gone = new Set(event.messageIds);
      if (!timeline || !timeline.messages.some((m) => m.id !== null && gone.has(m.id))) return next;
      return {
        ...next,
        timelines: { ...state.timelines, [event.roomId]: { ...timeline, messages: timeline.messages.filter((m) => m.id === null || !gone.has(m.id)) } },
      };
    }
    case "room.added":
    case "local.room":
      return {
        ...state,
        rooms: { ...state.rooms, [event.room.id]: event.room },
        // Accepted (here or on another device): the room replaces its invitation.
        requests: without(state.requests, event.room.id),
        people: addPeople(state.people, event.room.participants),
      };
    case "request.added":
      return {
        ...state,
        requests: { ...state.requests, [event.request.roomId]: event.request },
        people: addPeople(state.people, [event.request.invitedBy, ...event.request.participants]),
      };
    case "request.removed":
      return { ...state, requests: without(state.requests, event.roomId) };
    case "room.removed":
      return {
        ...state,
        rooms: without(state.rooms, event.roomId),
        timelines: without(state.timelines, event.roomId),
        members: without(state.members, event.roomId),
        typing: without(state.typing, event.roomId),
        pending: state.pending.filter((p) => p.roomId !== event.roomId),
        threads: withoutRoom(state.threads, event.roomId),
        followed: withoutRoom(state.followed, event.roomId),
      };
    case "room.updated": {
      const room = state.rooms[event.room.id];
      if (!room) return state;
      return { ...state, rooms: { ...state.rooms, [room.id]: { ...room, ...event.room } } };
    }
    case "member.joined": {
      const room = state.rooms[event.roomId];
      const members = state.members[event.roomId];
      const known = members?.some((m) => m.id === event.member.id) ?? false;
      // My own join: `room.added` already brought the room with its count, me included.
      const mine = state.me !== null && event.member.id === state.me.id;
      const member = { ...event.member, online: state.online[event.member.id] ?? false };
      // The server says the count after the change: set it, never add to one that may already count this join.
      const memberCount = event.memberCount ?? (room && !known && !mine ? room.memberCount + 1 : room?.memberCount);
      return {
        ...state,
        rooms: room && memberCount !== undefined && memberCount !== room.memberCount ? { ...state.rooms, [room.id]: { ...room, memberCount } } : state.rooms,
        members: members && !known ? { ...state.members, [event.roomId]: [...members, member] } : state.members,
        people: addPeople(state.people, [event.member]),
      };
    }
    case "member.left": {
      if (state.me && event.userId === state.me.id) return applyEvent(state, { type: "room.removed", roomId: event.roomId, reason: event.reason }, now);
      const room = state.rooms[event.roomId];
      const members = state.members[event.roomId];
      const memberCount = event.memberCount ?? Math.max(0, (room?.memberCount ?? 0) - 1);
      return {
        ...state,
        rooms: room ? { ...state.rooms, [room.id]: { ...room, memberCount } } : state.rooms,
        members: members ? { ...state.members, [event.roomId]: members.filter((m) => m.id !== event.userId) } : state.members,
      };
    }
    case "presence.changed": {
      const online = { ...state.online };
      for (const id of event.online) online[id] = true;
      for (const id of event.offline) delete online[id];
      return { ...state, online };
    }
    case "user.updated":
      // Only people this tab shows or may show: a stranger's rename is nothing to keep.
      return renamed(state, event.user);
    case "typing": {
      if (state.me && event.user.id === state.me.id) return state;
      const entries = (state.typing[event.roomId] ?? []).filter((e) => e.user.id !== event.user.id && e.until > now);
      if (event.typing) entries.push({ user: event.user, until: now + TYPING_TTL_MS });
      return { ...state, typing: { ...state.typing, [event.roomId]: entries } };
    }
    case "local.typingExpired": {
      let changed = false;
      const typing: Record<number, TypingEntry[]> = {};
      for (const [id, entries] of Object.entries(state.typing)) {
        const live = entries.filter((e) => e.until > now);
        if (live.length !== entries.length) changed = true;
        if (live.length) typing[Number(id)] = live;
      }
      return changed ? { ...state, typing } : state;
    }
    case "read.updated": {
      const room = state.rooms[event.roomId];
      if (!room) return state;
      return { ...state, rooms: { ...state.rooms, [room.id]: { ...room, lastReadId: event.lastReadId, unread: event.unread, mentions: event.mentions } } };
    }
    case "mention.added": {
      // An edit mentioned me: one more unread mention, if I have not read that far yet.
      const room = state.rooms[event.message.roomId];
      if (!room || event.message.id <= room.lastReadId) return withUpdates(state, event.message.roomId, [event.message]);
      const next = withUpdates(state, event.message.roomId, [event.message]);
      return { ...next, rooms: { ...next.rooms, [room.id]: { ...room, mentions: Math.min(UNREAD_CAP, room.mentions + 1) } } };
    }
    case "room.notify": {
      const room = state.rooms[event.roomId];
      if (!room) return state;
      return { ...state, rooms: { ...state.rooms, [room.id]: { ...room, notify: event.notify } } };
    }
    case "notifications.updated":
      return { ...state, notifications: event.notifications };
    case "push.changed":
      return state;
    case "local.pending":
      return { ...state, pending: [...state.pending.filter((p) => p.clientId !== event.pending.clientId), event.pending] };
    case "local.failed":
      return {
        ...state,
        pending: state.pending.map((p) => (p.clientId === event.clientId ? { ...p, status: "failed", error: event.error } : p)),
      };
    case "local.retry":
      return {
        ...state,
        pending: state.pending.map((p) => (p.clientId === event.clientId ? { ...p, status: "sending", error: undefined } : p)),
      };
    case "local.discard":
      return { ...state, pending: state.pending.filter((p) => p.clientId !== event.clientId) };
    case "local.history": {
      // History pages arrive newest first; the timeline is kept oldest first.
      const existing = state.timelines[event.roomId] ?? { messages: [], hasOlder: true };
      const seeded = state.timelines[event.roomId] ? state : { ...state, timelines: { ...state.timelines, [event.roomId]: existing } };
      const next = withMessages(seeded, event.roomId, [...event.messages].reverse(), event.hasMore);
      return { ...next, people: addPeople(next.people, event.messages.map((m) => m.author)) };
    }
    case "local.dropTimeline":
      return { ...state, timelines: without(state.timelines, event.roomId) };
    case "local.sync": {
      let next: ChatState = state;
      for (const room of event.rooms) for (const message of room.messages) next = messageCreated(next, message);
      for (const change of event.changes) next = changesApplied(next, change.roomId, [change]);
      // Too much was missed to stitch in: those rooms start again from their newest page when shown.
      if (event.restart === "all") next = { ...next, timelines: {} };
      else for (const roomId of event.restart ?? []) next = { ...next, timelines: without(next.timelines, roomId) };
      return { ...next, changeSeq: Math.max(next.changeSeq, event.changeSeq) };
    }
    case "local.online": {
      const online: Record<number, true> = {};
      for (const id of event.online) online[id] = true;
      return { ...state, online };
    }
    case "local.people":
      return { ...state, people: addPeople(state.people, event.people) };
    case "local.members": {
      // The list just read is the truth: the count in the header agrees with it.
      const room = state.rooms[event.roomId];
      return {
        ...state,
        rooms: room && room.kind !== "dm" && room.memberCount !== event.members.length ? { ...state.rooms, [room.id]: { ...room, memberCount: event.members.length } } : state.rooms,
        members: { ...state.members, [event.roomId]: event.members },
        people: addPeople(state.people, event.members),
      };
    }
    case "local.reset":
      return emptyState();
    case "ack":
    case "error":
      // Replies are matched to their request by the socket client, which then dispatches local events.
      return state;
  }
}

/** Messages of others after my read position, summed over rooms: the number in the tab title. */
export function totalUnread(state: ChatState): number {
  return Object.values(state.rooms).reduce((sum, room) => sum + room.unread, 0);
}
