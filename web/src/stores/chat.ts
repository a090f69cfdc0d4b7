// The chat store of this tab: the state signal moved by applyEvent, the one socket, and the
// actions the interface calls. It runs while someone is logged in and is torn down at logout.
import { createEffect, createRoot, createSignal, on } from "solid-js";
import { chatApi } from "../api/chat.ts";
import { http } from "../api/http.ts";
import { createSocket, RequestError, type ChatSocket, type SocketStatus } from "../api/socket.ts";
import { applyEvent, emptyState, type ChatEvent, type ChatState, type PendingMessage } from "../chat/state.ts";
import { DEFAULT_HISTORY_LIMIT, type Message, type ReadyEvent, type ServerEvent } from "../chat/protocol.ts";
import { t } from "../i18n/index.ts";
import { errorText } from "../i18n/errors.ts";
import { ApiError } from "../api/http.ts";
import { me, sessionEnded } from "./session.ts";

const [state, setState] = createSignal<ChatState>(emptyState());
const [status, setStatus] = createSignal<SocketStatus>("stopped");
const [announcement, setAnnouncement] = createSignal("");
export { state as chatState, announcement };

/** The connection as the interface shows it. */
export const connection = () => status();

let socket: ChatSocket | null = null;
const loadingHistory = new Set<number>();
let typingSentAt = new Map<number, number>();
let typingTimer: ReturnType<typeof setInterval> | null = null;
let activeRoomId: number | null = null;
let disposeStatus: (() => void) | null = null;
let presenceTimer: ReturnType<typeof setInterval> | null = null;
const PRESENCE_POLL_MS = 10_000;
const newMessageListeners = new Set<(message: Message) => void>();

export function dispatch(event: ChatEvent): void {
  setState((current) => applyEvent(current, event));
}

/** Tells the store which room is on screen (its new messages are announced and marked read). */
export function setActiveRoom(roomId: number | null): void {
  activeRoomId = roomId;
}

export function onNewMessage(listener: (message: Message) => void): () => void {
  newMessageListeners.add(listener);
  return () => newMessageListeners.delete(listener);
}

function handleEvent(event: ServerEvent): void {
  dispatch(event);
  if (event.type === "message.created") {
    for (const listener of newMessageListeners) listener(event.message);
    const mine = event.message.author.id === state().me?.id;
    if (!mine && event.message.roomId === activeRoomId) {
      const author = event.message.author.displayName || event.message.author.username;
      setAnnouncement(t("chat.announce", { name: author, text: event.message.body.slice(0, 200) }));
    }
  }
  if (event.type === "typing" && event.typing) ensureTypingTimer();
  if (event.type === "presence.changed" && event.online.some((id) => !state().people[id])) void refreshPresence();
}

function ensureTypingTimer(): void {
  if (typingTimer) return;
  typingTimer = setInterval(() => {
    dispatch({ type: "local.typingExpired" });
    if (Object.keys(state().typing).length === 0 && typingTimer) {
      clearInterval(typingTimer);
      typingTimer = null;
    }
  }, 1000);
}

async function handleReady(event: ReadyEvent, reconnected: boolean): Promise<void> {
  const since = state().changeSeq;
  dispatch(event);
  void refreshPresence();
  if (reconnected && socket) {
    const rooms = Object.entries(state().timelines).map(([id, timeline]) => ({
      roomId: Number(id),
      lastId: timeline.messages.at(-1)?.id ?? 0,
    }));
    if (rooms.length) {
      try {
        const reply = await socket.request({ type: "sync", rooms, since });
        dispatch({ type: "local.sync", rooms: reply.rooms, changes: reply.changes, changeSeq: reply.changeSeq });
      } catch {
        // The next reconnect syncs again from the same place.
      }
    }
  }
  // Messages typed while offline (or whose ack was lost with the connection) go out again with the
  // same clientId: the server stores each clientId once, so nothing is doubled.
  for (const pending of state().pending) if (pending.status === "sending") void sendPost(pending);
}

/** The server-wide online list; names come from the directory for people not yet known. */
export async function refreshPresence(): Promise<void> {
  try {
    const { online } = await chatApi.presence();
    dispatch({ type: "local.online", online });
    const unknown = online.filter((id) => !state().people[id]);
    if (unknown.length) {
      const { users } = await chatApi.searchUsers("", 50);
      dispatch({ type: "local.people", people: users });
    }
  } catch {
    // The list fills in on the next presence change or poll.
  }
}

function start(): void {
  if (socket) return;
  socket = createSocket({
    onEvent: handleEvent,
    onReady: (event, reconnected) => void handleReady(event, reconnected),
    onSessionEnded: sessionEnded,
    onConnectFailed: () => {
      if (!navigator.onLine) return;
      // The upgrade may have been refused because the session ended: a plain request tells (a 401
      // there ends the session everywhere in this tab through the HTTP client).
      http.get("/api/me").catch(() => undefined);
    },
  });
  // presence.changed only covers people I share a room with; the sidebar's server-wide list is polled.
  presenceTimer = setInterval(() => {
    if (document.visibilityState === "visible" && socket?.status() === "open") void refreshPresence();
  }, PRESENCE_POLL_MS);
  const current = socket;
  disposeStatus = createRoot((dispose) => {
    createEffect(() => setStatus(current.status()));
    return dispose;
  });
}

function stop(): void {
  if (presenceTimer) clearInterval(presenceTimer);
  presenceTimer = null;
  disposeStatus?.();
  disposeStatus = null;
  socket?.stop();
  socket = null;
  setStatus("stopped");
  loadingHistory.clear();
  typingSentAt = new Map();
  dispatch({ type: "local.reset" });
}

/** The socket lives exactly as long as a login in this tab. */
export function startChatWithSession(): void {
  createRoot(() => {
    createEffect(
      on(
        // No socket until a reset password is replaced: the server refuses everything else until then.
        () => {
          const user = me();
          return user && !user.mustChangePassword ? user.id : null;
        },
        (id) => {
          stop();
          if (id !== null) start();
        },
      ),
    );
  });
  window.addEventListener("online", () => socket?.nudge());
  window.addEventListener("offline", () => socket?.drop());
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") socket?.nudge();
  });
}

function failure(error: unknown): string {
  if (error instanceof RequestError) {
    if (error.code === "timeout") return t("chat.failedTimeout");
    return errorText(new ApiError(400, error.code, error.message, error.retryAfterMs ? Math.ceil(error.retryAfterMs / 1000) : null));
  }
  return errorText(error);
}

async function sendPost(pending: PendingMessage): Promise<void> {
  if (!socket || socket.status() !== "open") return; // resent on the next `ready`
  try {
    const reply = await socket.request({ type: "message.post", roomId: pending.roomId, clientId: pending.clientId, body: pending.body });
    dispatch({ type: "local.message", message: reply.message });
  } catch (error) {
    // A dropped connection is not a failure: the message goes out again after the reconnect.
    if (error instanceof RequestError && (error.code === "disconnected" || error.code === "stopped")) return;
    dispatch({ type: "local.failed", clientId: pending.clientId, error: failure(error) });
  }
}

export function postMessage(roomId: number, body: string): void {
  const pending: PendingMessage = { clientId: crypto.randomUUID(), roomId, body, createdAt: Date.now(), status: "sending" };
  dispatch({ type: "local.pending", pending });
  typingSentAt.delete(roomId);
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
  if (!socket) throw new Error(t("chat.offline"));
  try {
    const reply = await socket.request({ type: "message.edit", messageId, body });
    dispatch({ type: "message.updated", message: reply.message, seq: 0 });
  } catch (error) {
    throw new Error(error instanceof RequestError && error.code === "disconnected" ? t("chat.offline") : failure(error));
  }
}

export async function deleteMessage(messageId: number): Promise<void> {
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
  if (!socket || socket.status() !== "open" || loadingHistory.has(roomId)) return;
  const timeline = state().timelines[roomId];
  if (timeline && !timeline.hasOlder) return;
  loadingHistory.add(roomId);
  try {
    const before = timeline?.messages[0]?.id;
    const reply = await socket.request({ type: "history", roomId, limit: DEFAULT_HISTORY_LIMIT, ...(before ? { before } : {}) });
    dispatch({ type: "local.history", roomId, messages: reply.messages, hasMore: reply.hasMore });
  } catch {
    // Scrolling up again, or the next reconnect, tries again.
  } finally {
    loadingHistory.delete(roomId);
  }
}

export function isLoadingHistory(roomId: number): boolean {
  return loadingHistory.has(roomId);
}

export function markRead(roomId: number, messageId: number): void {
  const room = state().rooms[roomId];
  if (!room || !socket || socket.status() !== "open") return;
  if (messageId <= room.lastReadId && room.unread === 0) return;
  dispatch({ type: "read.updated", roomId, lastReadId: Math.max(room.lastReadId, messageId), unread: 0 });
  socket
    .request({ type: "read.mark", roomId, messageId })
    .then((reply) => dispatch({ type: "read.updated", roomId: reply.roomId, lastReadId: reply.lastReadId, unread: reply.unread }))
    .catch(() => undefined);
}

/** At most one typing.start per room every 2 s while the person types. */
export function notifyTyping(roomId: number): void {
  const now = Date.now();
  if (now - (typingSentAt.get(roomId) ?? 0) < 2000) return;
  typingSentAt.set(roomId, now);
  socket?.send({ type: "typing.start", roomId });
}

export async function joinRoom(roomId: number): Promise<void> {
  if (!socket) throw new Error(t("chat.offline"));
  const reply = await socket.request({ type: "room.join", roomId });
  dispatch({ type: "local.room", room: reply.room });
}

export async function leaveRoom(roomId: number): Promise<void> {
  if (!socket) throw new Error(t("chat.offline"));
  await socket.request({ type: "room.leave", roomId });
  dispatch({ type: "room.removed", roomId, reason: "left" });
}

export async function loadMembers(roomId: number): Promise<void> {
  try {
    const { members } = await chatApi.members(roomId);
    dispatch({ type: "local.members", roomId, members });
  } catch {
    // The header shows the count it has.
  }
}
