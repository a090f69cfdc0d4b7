// Opening a room at one message (a search result): its history is loaded around the message
// (GET /api/rooms/:id/messages?around=), the room is shown, and the message list scrolls to the
// message and marks it (components/MessageList.tsx) until another room or message is opened.
import { createSignal } from "solid-js";
import { api, call } from "../api/http.ts";
import { chatState, currentSocket, dispatch } from "./chat.ts";

export interface JumpTarget {
  roomId: number;
  messageId: number;
}

const [target, setTarget] = createSignal<JumpTarget | null>(null);
export { target as jumpTarget };

const AROUND = 50;

/** Loads the message's context unless the room's timeline already holds it; then shows it. */
export async function openAtMessage(roomId: number, messageId: number, navigate: (path: string) => void): Promise<void> {
  const timeline = chatState().timelines[roomId];
  if (!timeline?.messages.some((m) => m.id === messageId)) {
    const reply = await call(api.rooms({ id: roomId }).messages.get({ query: { around: messageId, limit: AROUND } }));
    if ("hasNewer" in reply) {
      dispatch({ type: "local.window", roomId, messages: reply.messages, hasOlder: reply.hasOlder, hasNewer: reply.hasNewer });
    }
  }
  setTarget({ roomId, messageId });
  navigate(`/chat/${roomId}`);
}

export function clearJumpTarget(): void {
  setTarget(null);
}

const loadingNewer = new Set<number>();

/** The page after the last message of a window timeline (the socket's sync, without changes). */
export async function loadNewer(roomId: number): Promise<void> {
  const socket = currentSocket();
  const timeline = chatState().timelines[roomId];
  const last = timeline?.messages.at(-1);
  if (!socket || socket.status() !== "open" || !timeline?.hasNewer || !last || loadingNewer.has(roomId)) return;
  loadingNewer.add(roomId);
  try {
    const reply = await socket.request({ type: "sync", rooms: [{ roomId, lastId: last.id }] });
    const page = reply.rooms.find((r) => r.roomId === roomId);
    dispatch({ type: "local.newer", roomId, messages: page?.messages ?? [], hasMore: page?.hasMore ?? false });
  } catch {
    // Scrolling down again tries again.
  } finally {
    loadingNewer.delete(roomId);
  }
}

/** Leaves a window timeline for the present: the room reloads from its newest page. */
export function jumpToPresent(roomId: number): void {
  setTarget(null);
  dispatch({ type: "local.dropTimeline", roomId });
}
