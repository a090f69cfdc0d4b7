// The chat store of this tab: the state signal moved by applyEvent and the one socket, which lives
// exactly as long as a login: connect, resync and resend after a reconnect, presence. The actions
// the interface calls are in chat-actions.ts.
import { createEffect, createRoot, createSignal, on } from "solid-js";
import { ApiError, api, call } from "../api/http.ts";
import { createSocket, RequestError, type ChatSocket, type SocketStatus } from "../api/socket.ts";
import { applyEvent, emptyState } from "../chat/state.ts";
import type { ChatEvent, ChatState, PendingMessage } from "../chat/state-types.ts";
import { syncUntilDone } from "../chat/sync-loop.ts";
import { createPresenceTracker } from "../chat/presence-tracker.ts";
import type { Message, ReadyEvent, ServerEvent } from "../chat/protocol.ts";
import { shownName } from "./names.ts";
import { parseMarkdown, plainText } from "../markdown/parse.ts";
import { t } from "../i18n/index.ts";
import { errorText } from "../i18n/errors.ts";
import { enrolment, me, recheckSession, sessionEndReason, sessionEnded } from "./session.ts";
import { clearPending, loadPending, savePending } from "./pending-storage.ts";
import { clearDrafts, loadDrafts } from "./drafts.ts";
import { loadRecent } from "../emoji/recent.ts";
import { attentionCount, maybeNotify, updateAppBadge } from "../notifications/desktop.ts";

const [state, setState] = createSignal<ChatState>(emptyState());
const [status, setStatus] = createSignal<SocketStatus>("stopped");
const [announcement, setAnnouncement] = createSignal("");
/** The first connection of this login has failed (offline start): the reconnect banner shows too. */
const [startFailed, setStartFailed] = createSignal(false);
export { startFailed };
export { state as chatState, announcement };

/** The connection as the interface shows it. */
export const connection = () => status();

let socket: ChatSocket | null = null;
/** Cleared with the session; the action functions (chat-actions.ts) keep their per-room state here. */
export const session = { loadingHistory: new Set<number>(), typingSentAt: new Map<number, number>() };
let typingTimer: ReturnType<typeof setInterval> | null = null;
let activeRoomId: number | null = null;
let disposeStatus: (() => void) | null = null;
let sessionUserId: number | null = null;
let presenceTimer: ReturnType<typeof setInterval> | null = null;
/** presence.changed keeps the list live; this slow poll only repairs a missed frame. */
const PRESENCE_POLL_MS = 60_000;
const presence = createPresenceTracker({
  known: (userId) => state().people[userId] !== undefined,
  dispatch,
  fetchOnline: async () => (await call(api.presence.get())).online,
  fetchNames: async (ids) => (await call(api.users.get({ query: { ids: ids.join(",") } }))).users,
});
const newMessageListeners = new Set<(message: Message) => void>();

/** The socket of the current login, or null while logged out. */
export function currentSocket(): ChatSocket | null {
  return socket;
}

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

/** Tells the server whether this tab is visible: while one is, the server sends me no Web Push. */
function reportVisibility(): void {
  socket?.send({ type: "client.visibility", visible: document.visibilityState === "visible" });
}

function handleEvent(event: ServerEvent): void {
  dispatch(event);
  if (event.type === "message.created" || event.type === "mention.added") {
    const meId = state().me?.id;
    const mention = meId !== undefined && (event.message.mentions?.includes(meId) ?? false);
    maybeNotify(state(), event.message, event.type === "mention.added" || mention, activeRoomId);
  }
  if (event.type === "message.created") {
    for (const listener of newMessageListeners) listener(event.message);
    const mine = event.message.author.id === state().me?.id;
    if (!mine && event.message.roomId === activeRoomId) {
      const text = plainText(parseMarkdown(event.message.body.slice(0, 500))).slice(0, 200);
      setAnnouncement(t("chat.announce", { name: shownName(event.message.author), text }));
    }
  }
  if (event.type === "typing" && event.typing) ensureTypingTimer();
  if (event.type === "presence.changed") presence.changed(event);
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
  setStartFailed(false);
  dispatch(event);
  reportVisibility();
  void refreshPresence();
  if (reconnected && socket) {
    // A timeline opened around an older message loads newer pages as it is scrolled, not here.
    const rooms = Object.entries(state().timelines).filter(([, timeline]) => !timeline.hasNewer).map(([id, timeline]) => ({
      roomId: Number(id),
      lastId: timeline.messages.at(-1)?.id ?? 0,
    }));
    const current = socket;
    try {
      await syncUntilDone(
        (request) => current.request({ type: "sync", ...request }),
        { rooms, since },
        (page) => dispatch({ type: "local.sync", ...page }),
      );
    } catch {
      // The connection dropped mid-way: what was applied is contiguous; the next reconnect goes on.
    }
  }
  // Messages typed while offline (or whose ack was lost with the connection) go out again with the
  // same clientId: the server stores each clientId once, so nothing is doubled.
  for (const pending of state().pending) if (pending.status === "sending") void sendPost(pending);
  for (const listener of readyListeners) listener(reconnected);
}

const readyListeners = new Set<(reconnected: boolean) => void>();

/** Runs after each `ready` (and the sync after a reconnect): the conversation views reload what they show. */
export function onReady(listener: (reconnected: boolean) => void): () => void {
  readyListeners.add(listener);
  return () => readyListeners.delete(listener);
}

/** The server-wide online list, with names looked up for people not yet known. */
function refreshPresence(): Promise<void> {
  return presence.refresh();
}

function start(userId: number): void {
  if (socket) return;
  sessionUserId = userId;
  loadDrafts(userId);
  loadRecent(userId);
  for (const pending of loadPending(userId)) dispatch({ type: "local.pending", pending });
  socket = createSocket({
    onEvent: handleEvent,
    onReady: (event, reconnected) => void handleReady(event, reconnected),
    onSessionEnded: (reason) => sessionEnded(sessionEndReason(reason)),
    onConnectFailed: () => {
      setStartFailed(true);
      if (!navigator.onLine) return;
      // The upgrade may have been refused because the session ended: the session probe tells.
      void recheckSession();
    },
  });
  // Server-wide presence.changed keeps the list live; a slow poll repairs anything missed.
  presenceTimer = setInterval(() => {
    if (document.visibilityState === "visible" && socket?.status() === "open") void refreshPresence();
  }, PRESENCE_POLL_MS);
  const current = socket;
  disposeStatus = createRoot((dispose) => {
    createEffect(() => setStatus(current.status()));
    createEffect(() => savePending(userId, state().pending));
    createEffect(() => updateAppBadge(attentionCount(state())));
    return dispose;
  });
}

function stop(): void {
  // Logged out: unsent text (messages and drafts) does not stay behind in this browser.
  if (sessionUserId !== null) {
    clearPending(sessionUserId);
    clearDrafts(sessionUserId);
  }
  sessionUserId = null;
  presence.reset();
  if (presenceTimer) clearInterval(presenceTimer);
  presenceTimer = null;
  disposeStatus?.();
  disposeStatus = null;
  socket?.stop();
  socket = null;
  setStatus("stopped");
  setStartFailed(false);
  session.loadingHistory.clear();
  session.typingSentAt.clear();
  dispatch({ type: "local.reset" });
}

/** The socket lives exactly as long as a login in this tab. */
export function startChatWithSession(): void {
  createRoot(() => {
    createEffect(
      on(
        // No socket until a reset password is replaced, or a second factor the admin's policy wants is
        // set up: the server refuses everything else until then.
        () => {
          const user = me();
          return user && !user.mustChangePassword && enrolment()?.graceLoginsLeft !== 0 ? user.id : null;
        },
        (id) => {
          stop();
          if (id !== null) start(id);
        },
      ),
    );
  });
  window.addEventListener("online", () => socket?.nudge());
  window.addEventListener("offline", () => socket?.drop());
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") socket?.nudge();
    reportVisibility();
  });
}

/** Interface text for a refused request. */
export function failure(error: unknown): string {
  if (error instanceof RequestError) {
    if (error.code === "timeout") return t("chat.failedTimeout");
    return errorText(new ApiError(400, error.code, error.message, error.retryAfterMs ? Math.ceil(error.retryAfterMs / 1000) : null));
  }
  return errorText(error);
}

/** Sends (or resends, same clientId) a pending message; on a dropped connection it waits for `ready`. */
export async function sendPost(pending: PendingMessage): Promise<void> {
  const socket = currentSocket();
  if (!socket || socket.status() !== "open") return; // resent on the next `ready`
  try {
    const reply = await socket.request({
      type: "message.post",
      roomId: pending.roomId,
      clientId: pending.clientId,
      body: pending.body,
      ...(pending.threadRootId !== undefined ? { threadRootId: pending.threadRootId, alsoToRoom: pending.alsoToRoom === true } : {}),
      ...(pending.quote ? { quoteId: pending.quote.id } : {}),
      ...(pending.attachments?.length ? { attachments: pending.attachments } : {}),
    });
    // The message itself arrives as message.created (replacing the pending copy by clientId); only a
    // resend of a message already stored brings it in the ack, as its message.created may have gone
    // to the connection that dropped.
    if (reply.duplicate) dispatch({ type: "local.message", message: reply.message });
  } catch (error) {
    // A dropped connection is not a failure: the message goes out again after the reconnect.
    if (error instanceof RequestError && (error.code === "disconnected" || error.code === "stopped")) return;
    dispatch({ type: "local.failed", clientId: pending.clientId, error: failure(error) });
  }
}
