// What the interface asks of the chat: send, retry, edit and delete messages, load history, mark
// read, say I am typing, join and leave rooms. Each goes over the tab's one socket (stores/chat.ts)
// and lands in the state through dispatch.
import { api, call } from "../api/http.ts";
import { RequestError } from "../api/socket.ts";
import { newClientId } from "../chat/client-id.ts";
import type { PendingMessage } from "../chat/state-types.ts";
import { DEFAULT_HISTORY_LIMIT, type QuotedMessage } from "../chat/protocol.ts";
import { t } from "../i18n/index.ts";
import { chatState as state, currentSocket, dispatch, failure, sendPost, session } from "./chat.ts";

/** A reply in a thread (and whether also to the room), or a quote-reply. */
export interface PostOptions {
  threadRootId?: number;
  alsoToRoom?: boolean;
  quote?: QuotedMessage;
  /** Staged files (components/UploadTray.tsx) and, for the pending copy, their names and sizes. */
  attachments?: string[];
  files?: { name: string; size: number }[];
}

export function postMessage(roomId: number, body: string, options: PostOptions = {}): void {
  // Writing to the room while reading an older page (a permalink, a search result) brings the
  // conversation back to the present; a reply shown only in its thread leaves the room where it is.
  const toRoom = options.threadRootId === undefined || options.alsoToRoom === true;
  if (toRoom && state().timelines[roomId]?.hasNewer) dispatch({ type: "local.dropTimeline", roomId });
  const pending: PendingMessage = { clientId: newClientId(), roomId, body, createdAt: Date.now(), status: "sending", ...options };
  dispatch({ type: "local.pending", pending });
  session.typingSentAt.delete(roomId);
  void sendPost(pending);
}

export function retryMessage(clientId: string): void {
  const pending = state().pending.find((p) => p.clientId === clientId);
  if (!pending) return;
  dispatch({ type: "local.retry", clientId });
  void sendPost({ ...pending, status: "sending" });
}

export function discardMessage(clientId: string): void {
  dispatch({ type: "local.discard", clientId });
}

/** Throws interface text when the edit is refused. */
export async function editMessage(messageId: number, body: string): Promise<void> {
  const socket = currentSocket();
  if (!socket) throw new Error(t("chat.offline"));
  try {
    const reply = await socket.request({ type: "message.edit", messageId, body });
    dispatch({ type: "message.updated", message: reply.message, seq: 0 });
  } catch (error) {
    throw new Error(error instanceof RequestError && error.code === "disconnected" ? t("chat.offline") : failure(error));
  }
}

export async function deleteMessage(messageId: number): Promise<void> {
  const socket = currentSocket();
  if (!socket) throw new Error(t("chat.offline"));
  try {
    const reply = await socket.request({ type: "message.delete", messageId });
    dispatch({ type: "message.deleted", roomId: reply.roomId, messageId: reply.messageId, seq: 0 });
  } catch (error) {
    throw new Error(error instanceof RequestError && error.code === "disconnected" ? t("chat.offline") : failure(error));
  }
}

/** Loads the newest page (first visit) or the page before the oldest message shown. */
export async function loadHistory(roomId: number): Promise<void> {
  const socket = currentSocket();
  if (!socket || socket.status() !== "open" || session.loadingHistory.has(roomId)) return;
  const timeline = state().timelines[roomId];
  if (timeline && !timeline.hasOlder) return;
  session.loadingHistory.add(roomId);
  try {
    const before = timeline?.messages[0]?.id;
    const reply = await socket.request({ type: "history", roomId, limit: DEFAULT_HISTORY_LIMIT, ...(before ? { before } : {}) });
    dispatch({ type: "local.history", roomId, messages: reply.messages, hasMore: reply.hasMore });
  } catch {
    // Scrolling up again, or the next reconnect, tries again.
  } finally {
    session.loadingHistory.delete(roomId);
  }
}

export function markRead(roomId: number, messageId: number): void {
  const socket = currentSocket();
  const room = state().rooms[roomId];
  if (!room || !socket || socket.status() !== "open") return;
  if (messageId <= room.lastReadId && room.unread === 0) return;
  dispatch({ type: "read.updated", roomId, lastReadId: Math.max(room.lastReadId, messageId), unread: 0, mentions: 0 });
  socket
    .request({ type: "read.mark", roomId, messageId })
    .then((reply) => dispatch({ type: "read.updated", roomId: reply.roomId, lastReadId: reply.lastReadId, unread: reply.unread, mentions: reply.mentions }))
    .catch(() => undefined);
}

/** At most one typing.start per room every 2 s while the person types. */
export function notifyTyping(roomId: number): void {
  const now = Date.now();
  if (now - (session.typingSentAt.get(roomId) ?? 0) < 2000) return;
  session.typingSentAt.set(roomId, now);
  currentSocket()?.send({ type: "typing.start", roomId });
}

export async function joinRoom(roomId: number): Promise<void> {
  const socket = currentSocket();
  if (!socket) throw new Error(t("chat.offline"));
  const reply = await socket.request({ type: "room.join", roomId });
  dispatch({ type: "local.room", room: reply.room });
}

export async function leaveRoom(roomId: number): Promise<void> {
  const socket = currentSocket();
  if (!socket) throw new Error(t("chat.offline"));
  await socket.request({ type: "room.leave", roomId });
  dispatch({ type: "room.removed", roomId, reason: "left" });
}

export async function loadMembers(roomId: number): Promise<void> {
  try {
    const { members } = await call(api.rooms({ id: roomId }).members.get());
    dispatch({ type: "local.members", roomId, members });
  } catch {
    // The header shows the count it has.
  }
}
