// The conversation parts of applyEvent (state.ts): thread timelines, reactions, pins and followed
// threads. Pure updates that copy only what changes. A message may be held in its room's timeline, in
// a thread's timeline (as a reply or as the root) or both; a change reaches every copy.
import type { FollowedThread, Message, PinInfo, Reaction, ThreadReadState, ThreadSummary } from "./protocol.ts";
import { UNREAD_CAP } from "./protocol.ts";
import type { ChatState, ThreadTimeline } from "./state-types.ts";
import { addPeople, mergeMessages, withUpdates } from "./state-updates.ts";

/** Applies `change` to every copy of message `id` the state holds; untouched copies keep their identity. */
export function updateMessage(state: ChatState, roomId: number, id: number, change: (message: Message) => Message): ChatState {
  let next = state;
  const timeline = state.timelines[roomId];
  const at = timeline?.messages.findIndex((m) => m.id === id) ?? -1;
  if (timeline && at >= 0) {
    const messages = [...timeline.messages];
    messages[at] = change(messages[at]!);
    next = { ...next, timelines: { ...next.timelines, [roomId]: { ...timeline, messages } } };
  }
  for (const [key, thread] of Object.entries(state.threads)) {
    if (thread.roomId !== roomId) continue;
    let updated: ThreadTimeline | null = null;
    if (thread.root?.id === id) updated = { ...thread, root: change(thread.root) };
    const index = thread.messages.findIndex((m) => m.id === id);
    if (index >= 0) {
      const messages = [...(updated ?? thread).messages];
      messages[index] = change(messages[index]!);
      updated = { ...(updated ?? thread), messages };
    }
    if (updated) next = { ...next, threads: { ...next.threads, [Number(key)]: updated } };
  }
  return next;
}

/** A later state of a message replaces an earlier one; `rev` says which is later. */
const isStale = (message: Message, rev: number) => (message.rev ?? 0) > rev;

/**
 * The reactions after a change, with `mine` carried over from what this tab knew: the frame is the
 * same for everyone, and only says whose reaction changed.
 */
export function reactionsAfter(previous: Reaction[] | undefined, next: Reaction[], change: { userId: number; emoji: string; added: boolean }, me: number | undefined): Reaction[] {
  const mineBefore = new Set((previous ?? []).filter((r) => r.mine).map((r) => r.emoji));
  if (change.userId === me) {
    if (change.added) mineBefore.add(change.emoji);
    else mineBefore.delete(change.emoji);
  }
  return next.map((r) => (mineBefore.has(r.emoji) || r.userIds.includes(me ?? -1) ? { ...r, mine: true as const } : { ...r, mine: undefined }));
}

function withReactions(message: Message, reactions: Reaction[], rev: number | undefined): Message {
  const copy: Message = { ...message, ...(rev !== undefined ? { rev } : {}) };
  if (reactions.length) copy.reactions = reactions;
  else delete copy.reactions;
  return copy;
}

export function reactionChanged(
  state: ChatState,
  event: { roomId: number; messageId: number; userId: number; emoji: string; added: boolean; reactions: Reaction[]; seq: number },
): ChatState {
  const me = state.me?.id;
  return updateMessage(state, event.roomId, event.messageId, (message) =>
    isStale(message, event.seq) ? message : withReactions(message, reactionsAfter(message.reactions, event.reactions, event, me), event.seq),
  );
}

/** My own reaction acknowledged: the server's list, with `mine` as the server marked it for me. */
export function myReactions(state: ChatState, roomId: number, messageId: number, reactions: Reaction[]): ChatState {
  return updateMessage(state, roomId, messageId, (message) => withReactions(message, reactions, undefined));
}

export function pinChanged(state: ChatState, roomId: number, messageId: number, pinned: PinInfo | null, seq?: number): ChatState {
  return updateMessage(state, roomId, messageId, (message) => {
    if (seq !== undefined && isStale(message, seq)) return message;
    const copy: Message = { ...message, ...(seq !== undefined ? { rev: seq } : {}) };
    if (pinned) copy.pinned = pinned;
    else delete copy.pinned;
    return copy;
  });
}

export function summaryChanged(state: ChatState, roomId: number, rootId: number, thread: ThreadSummary, seq: number): ChatState {
  const next = updateMessage(state, roomId, rootId, (message) => {
    if (isStale(message, seq)) return message;
    const copy: Message = { ...message, rev: seq };
    if (thread.replyCount > 0) copy.thread = thread;
    else delete copy.thread;
    return copy;
  });
  // A deleted root shown only for its replies goes once the last reply does.
  const timeline = next.timelines[roomId];
  if (thread.replyCount === 0 && timeline?.messages.some((m) => m.id === rootId && m.deletedAt !== undefined)) {
    return { ...next, timelines: { ...next.timelines, [roomId]: { ...timeline, messages: timeline.messages.filter((m) => m.id !== rootId) } } };
  }
  return next;
}

/** A new reply: into its thread if open, my following of it, and the root's summary. */
export function replyCreated(state: ChatState, reply: Message, thread: ThreadSummary | undefined, seq: number | undefined): ChatState {
  const rootId = reply.threadRootId!;
  let next = state;
  const open = next.threads[rootId];
  if (open) {
    const messages = mergeMessages(open.messages, [reply]);
    if (messages !== open.messages) next = { ...next, threads: { ...next.threads, [rootId]: { ...open, messages } } };
  }
  const me = state.me?.id;
  const followed = next.followed[rootId];
  const rootIsMine = open?.root?.author.id === me || next.timelines[reply.roomId]?.messages.some((m) => m.id === rootId && m.author.id === me);
  if (reply.author.id === me) {
    next = { ...next, followed: { ...next.followed, [rootId]: { roomId: reply.roomId, rootId, lastReadId: Math.max(reply.id, followed?.lastReadId ?? 0), unread: 0 } } };
  } else if (followed || rootIsMine) {
    const current = followed ?? { roomId: reply.roomId, rootId, lastReadId: 0, unread: 0 };
    if (reply.id > current.lastReadId) {
      next = { ...next, followed: { ...next.followed, [rootId]: { ...current, unread: Math.min(UNREAD_CAP, current.unread + 1) } } };
    }
  }
  if (thread && seq !== undefined) next = summaryChanged(next, reply.roomId, rootId, thread, seq);
  return { ...next, people: addPeople(next.people, [reply.author]) };
}

/** A page of a thread, newest first, kept oldest first. */
export function threadPage(state: ChatState, roomId: number, rootId: number, root: Message | null, page: Message[], hasMore: boolean): ChatState {
  const current = state.threads[rootId] ?? { roomId, root: null, messages: [], hasOlder: true };
  const messages = mergeMessages(current.messages, [...page].reverse());
  // Pages are asked for older and older (before the oldest held): the last one says whether more remain.
  const thread: ThreadTimeline = { roomId, root: root ?? current.root, messages, hasOlder: hasMore };
  const people = addPeople(state.people, [...page.map((m) => m.author), ...(root ? [root.author] : [])]);
  return { ...state, threads: { ...state.threads, [rootId]: thread }, people };
}

export function followedList(state: ChatState, threads: FollowedThread[]): ChatState {
  const followed: Record<number, ThreadReadState> = {};
  for (const { roomId, rootId, lastReadId, unread } of threads) followed[rootId] = { roomId, rootId, lastReadId, unread };
  return { ...state, followed, people: addPeople(state.people, threads.map((t) => t.root.author)) };
}

/** Unread replies over the threads I follow, for the Threads entry's badge. */
export function threadsUnread(state: ChatState): number {
  return Object.values(state.followed).reduce((sum, thread) => sum + (state.rooms[thread.roomId] ? thread.unread : 0), 0);
}

/** Later states of messages (edits, sync's changes) reach every copy held: the timeline and open threads. */
export function changesApplied(state: ChatState, roomId: number, updated: Message[]): ChatState {
  let next = withUpdates(state, roomId, updated);
  for (const [key, thread] of Object.entries(next.threads)) {
    if (thread.roomId !== roomId) continue;
    const held = new Set(thread.messages.map((m) => m.id));
    const replies = updated.filter((m) => held.has(m.id));
    const messages = replies.length ? mergeMessages(thread.messages, replies) : thread.messages;
    const newRoot = thread.root ? updated.find((m) => m.id === thread.root!.id && (m.rev ?? 0) >= (thread.root!.rev ?? 0)) : undefined;
    if (messages !== thread.messages || newRoot) {
      next = { ...next, threads: { ...next.threads, [Number(key)]: { ...thread, messages, root: newRoot ?? thread.root } } };
    }
  }
  return next;
}

/**
 * A message deleted: gone from the timeline and its thread, unless it is a root whose replies keep a
 * placeholder ("This message was deleted"), which loses its text, reactions and pin.
 */
export function messageRemoved(state: ChatState, roomId: number, messageId: number, now: number): ChatState {
  const erase = (m: Message): Message => {
    const { reactions: _r, pinned: _p, attachment: _a, attachments: _f, quote: _q, ...rest } = m;
    return { ...rest, body: "", deletedAt: m.deletedAt ?? now };
  };
  let next = state;
  const timeline = state.timelines[roomId];
  const held = timeline?.messages.find((m) => m.id === messageId);
  if (timeline && held) {
    const messages = (held.thread?.replyCount ?? 0) > 0
      ? timeline.messages.map((m) => (m.id === messageId ? erase(m) : m))
      : timeline.messages.filter((m) => m.id !== messageId);
    next = { ...next, timelines: { ...next.timelines, [roomId]: { ...timeline, messages } } };
  }
  for (const [key, thread] of Object.entries(next.threads)) {
    if (thread.roomId !== roomId) continue;
    const inThread = thread.messages.some((m) => m.id === messageId);
    const isRoot = thread.root?.id === messageId;
    if (!inThread && !isRoot) continue;
    next = {
      ...next,
      threads: {
        ...next.threads,
        [Number(key)]: { ...thread, messages: inThread ? thread.messages.filter((m) => m.id !== messageId) : thread.messages, root: isRoot ? erase(thread.root!) : thread.root },
      },
    };
  }
  return next;
}
