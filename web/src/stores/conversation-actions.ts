// What the interface asks of conversations (issue 11): react, pin, load and read threads, jump to a
// message (history around it), scroll down from there, the Threads list and message links. Each goes
// over the tab's socket or the typed HTTP client and lands in the state through dispatch.
import { api, call } from "../api/http.ts";
import { RequestError } from "../api/socket.ts";
import { DEFAULT_HISTORY_LIMIT, type Message } from "../chat/protocol.ts";
import { t } from "../i18n/index.ts";
import { useEmoji } from "../emoji/recent.ts";
import { chatState as state, currentSocket, dispatch, failure } from "./chat.ts";
import { setJumpTarget } from "./ui.ts";

function connected() {
  const socket = currentSocket();
  if (!socket || socket.status() !== "open") throw new Error(t("chat.offline"));
  return socket;
}

const refusal = (error: unknown) => new Error(error instanceof RequestError && error.code === "disconnected" ? t("chat.offline") : failure(error));

/** Adds or takes back my reaction; throws interface text when refused. */
export async function react(roomId: number, messageId: number, emoji: string, add: boolean): Promise<void> {
  const socket = connected();
  if (add) useEmoji(emoji);
  try {
    const reply = await socket.request({ type: add ? "reaction.add" : "reaction.remove", messageId, emoji });
    dispatch({ type: "local.reactions", roomId, messageId, reactions: reply.reactions });
  } catch (error) {
    throw refusal(error);
  }
}

export async function setPinned(roomId: number, messageId: number, pin: boolean): Promise<void> {
  const socket = connected();
  try {
    const reply = await socket.request({ type: pin ? "message.pin" : "message.unpin", messageId });
    dispatch({ type: "local.pinned", roomId, messageId, pinned: reply.pinned });
  } catch (error) {
    throw refusal(error);
  }
}

export async function pinnedMessages(roomId: number): Promise<Message[]> {
  return (await call(api.rooms({ id: roomId }).pins.get())).pins;
}

const loadingThreads = new Set<number>();

/** The thread's newest page (first open), or the page before the oldest reply shown. */
export async function loadThread(roomId: number, rootId: number, fresh = false): Promise<void> {
  const socket = currentSocket();
  if (!socket || socket.status() !== "open" || loadingThreads.has(rootId)) return;
  const thread = state().threads[rootId];
  if (!fresh && thread && !thread.hasOlder) return;
  loadingThreads.add(rootId);
  try {
    const before = fresh ? undefined : thread?.messages[0]?.id;
    const reply = await socket.request({ type: "history", roomId, threadRootId: rootId, limit: DEFAULT_HISTORY_LIMIT, ...(before ? { before } : {}) });
    dispatch({ type: "local.thread", roomId, rootId, root: reply.root ?? null, messages: reply.messages, hasMore: reply.hasMore });
  } catch {
    // Opening the thread again, or the next reconnect, tries again.
  } finally {
    loadingThreads.delete(rootId);
  }
}

/** Marks a thread read up to its newest reply, when something in it is unread (or it is not followed yet). */
export function readThread(rootId: number): void {
  const socket = currentSocket();
  if (!socket || socket.status() !== "open") return;
  const followed = state().followed[rootId];
  const newest = state().threads[rootId]?.messages.at(-1)?.id ?? 0;
  if (followed && followed.unread === 0 && followed.lastReadId >= newest) return;
  if (followed) dispatch({ type: "thread.updated", roomId: followed.roomId, rootId, read: { ...followed, lastReadId: Math.max(followed.lastReadId, newest), unread: 0 } });
  socket
    .request({ type: "thread.read", threadRootId: rootId })
    .then(({ roomId, lastReadId, unread }) => dispatch({ type: "thread.updated", roomId, rootId, read: { roomId, rootId, lastReadId, unread } }))
    .catch(() => undefined);
}

/** The threads I follow, for the Threads view and its badge. */
export async function refreshFollowed(): Promise<void> {
  try {
    const { threads } = await call(api.threads.get({ query: {} }));
    dispatch({ type: "local.followed", threads });
  } catch {
    // The badge keeps what it had; the next `ready` asks again.
  }
}

/**
 * Makes message `messageId` of room `roomId` loaded: already in the timeline, or by loading the page
 * around it (the timeline starts again there). Returns the thread to open when it is a reply shown
 * only in its thread, and whether it was found.
 */
export async function loadAround(roomId: number, messageId: number): Promise<{ found: boolean; threadRootId?: number }> {
  if (state().timelines[roomId]?.messages.some((m) => m.id === messageId)) return { found: true };
  try {
    // Over HTTP (the same page as the socket's `history` with `around`): it needs no open socket.
    const reply = await call(api.rooms({ id: roomId }).messages.get({ query: { around: messageId, limit: DEFAULT_HISTORY_LIMIT } }));
    dispatch({ type: "local.around", roomId, messages: reply.messages, hasMore: reply.hasMore, hasNewer: reply.hasNewer === true });
    return { found: true, ...(reply.threadRootId !== undefined ? { threadRootId: reply.threadRootId } : {}) };
  } catch {
    return { found: false };
  }
}

const loadingNewer = new Set<number>();

/** Scrolling down a timeline loaded around an older message: the next page after its newest. */
export async function loadNewer(roomId: number): Promise<void> {
  const socket = currentSocket();
  const timeline = state().timelines[roomId];
  if (!socket || socket.status() !== "open" || !timeline?.hasNewer || loadingNewer.has(roomId)) return;
  loadingNewer.add(roomId);
  try {
    const after = timeline.messages.at(-1)?.id ?? 0;
    const reply = await socket.request({ type: "history", roomId, after, limit: DEFAULT_HISTORY_LIMIT });
    dispatch({ type: "local.newer", roomId, messages: reply.messages, hasNewer: reply.hasNewer === true });
  } catch {
    // Scrolling again tries again.
  } finally {
    loadingNewer.delete(roomId);
  }
}

/**
 * Opens room `roomId` at message `messageId` (a search result, a notification, the Mentions view): the
 * room's message list loads the page around it, scrolls to it, highlights and focuses it.
 */
export function openAtMessage(roomId: number, messageId: number, navigate: (path: string) => void): void {
  setJumpTarget({ roomId, messageId });
  navigate(`/chat/${roomId}`);
}

/** The address of a message: opening it (after logging in if need be) lands on the message. */
export function messageLink(roomId: number, messageId: number): string {
  return `${location.origin}/chat/r/${roomId}/m/${messageId}`;
}

const asked = new Set<number>();

/** Names for people this tab does not know yet (reactors), each looked up once. */
export async function ensureNames(ids: number[]): Promise<void> {
  const missing = [...new Set(ids)].filter((id) => !state().people[id] && !asked.has(id)).slice(0, 100);
  if (missing.length === 0) return;
  for (const id of missing) asked.add(id);
  try {
    const { users } = await call(api.users.get({ query: { ids: missing.join(",") } }));
    dispatch({ type: "local.people", people: users });
  } catch {
    for (const id of missing) asked.delete(id);
  }
}
