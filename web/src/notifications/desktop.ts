// Notifications in the browser (issue 12): when a message that should notify me arrives while this
// tab is hidden or shows another room, a desktop notification (the Notification API) with the room,
// the sender and, with previews on, the first characters; clicking it focuses the tab and opens the
// message. An optional short sound. The app badge and the title count mentions + DMs.
// Permission is asked only when I turn notifications on (settings, or the sidebar's prompt), never
// on page load; whether I turned them on is remembered in this browser.
import { createSignal } from "solid-js";
import { NOTIFICATION_PREVIEW_LENGTH, type Message, type Room } from "../chat/protocol.ts";
import type { ChatState } from "../chat/state-types.ts";
import { roomTitle } from "../chat/rooms.ts";
import { displayNameOf } from "../chat/names.ts";
import { t } from "../i18n/index.ts";
import { messagePath, navigateTo } from "../stores/navigation.ts";
import { decideNotification, isMuted } from "./decide.ts";

const ENABLED_KEY = "vaultroom.notifications";

export type PermissionState = NotificationPermission | "unsupported";

const supported = () => typeof Notification !== "undefined";
const readEnabled = () => {
  try {
    return localStorage.getItem(ENABLED_KEY) === "on";
  } catch {
    return false;
  }
};

const [permission, setPermission] = createSignal<PermissionState>(supported() ? Notification.permission : "unsupported");
const [enabled, setEnabledSignal] = createSignal(readEnabled());
export { permission, enabled };

/** Notifications are on here: I turned them on and the browser allows them. */
export const notificationsActive = () => enabled() && permission() === "granted";

function remember(on: boolean): void {
  setEnabledSignal(on);
  try {
    localStorage.setItem(ENABLED_KEY, on ? "on" : "off");
  } catch {
    // Not remembered past this tab.
  }
}

/** Turns desktop notifications on: asks the browser's permission (this is the only place that does). */
export async function enableNotifications(): Promise<PermissionState> {
  if (!supported()) return "unsupported";
  const answer = Notification.permission === "default" ? await Notification.requestPermission() : Notification.permission;
  setPermission(answer);
  remember(answer === "granted");
  return answer;
}

export function disableNotifications(): void {
  remember(false);
}

/** Mentions of me plus unread DMs (muted DMs count only their mentions): the title and app badge. */
export function attentionCount(state: ChatState, now = Date.now()): number {
  let count = 0;
  for (const room of Object.values(state.rooms)) {
    if (room.kind === "dm" && !isMuted(room.notify.mutedUntil, now)) count += room.unread;
    else count += room.mentions;
  }
  return count;
}

export function updateAppBadge(count: number): void {
  const nav = navigator as Navigator & { setAppBadge?: (n?: number) => Promise<void>; clearAppBadge?: () => Promise<void> };
  if (count > 0) void nav.setAppBadge?.(count).catch(() => undefined);
  else void nav.clearAppBadge?.().catch(() => undefined);
}

let sound: HTMLAudioElement | null = null;
function playSound(): void {
  sound ??= new Audio("/notify.wav");
  sound.currentTime = 0;
  void sound.play().catch(() => undefined);
}

const oneLine = (text: string) => {
  const chars = [...text.replace(/\s+/gu, " ").trim()];
  return chars.length > NOTIFICATION_PREVIEW_LENGTH ? `${chars.slice(0, NOTIFICATION_PREVIEW_LENGTH - 1).join("")}…` : chars.join("");
};

/** What the notification says: room and sender in the title, the text (with previews on) below. */
export function notificationText(message: Message, room: Room, meId: number | undefined, previews: boolean): { title: string; body: string } {
  const sender = displayNameOf(message.author);
  const title = room.kind === "dm" ? sender : t("notify.titleRoom", { sender, room: roomTitle(room, meId) });
  const body = previews ? oneLine(message.body || message.attachment?.name || "") : room.kind === "dm" ? t("notify.newDm") : t("notify.newMessage");
  return { title, body };
}

/**
 * A message arrived (or an edit mentioned me): notify if my settings say so and I am not looking at
 * that room. `mention` is whether it mentions me.
 */
export function maybeNotify(state: ChatState, message: Message, mention: boolean, activeRoomId: number | null, now = Date.now()): boolean {
  const me = state.me;
  const room = state.rooms[message.roomId];
  if (!me || !room || message.author.id === me.id) return false;
  const looking = document.visibilityState === "visible" && activeRoomId === message.roomId;
  if (looking) return false;
  const decision = decideNotification({
    level: room.notify.level,
    defaultLevel: state.notifications.defaultLevel,
    dm: room.kind === "dm",
    mention,
    systemLine: message.event !== undefined,
    mutedUntil: room.notify.mutedUntil,
    dndUntil: state.notifications.dndUntil,
    visibleTab: true,
    now,
  });
  if (!decision.alert) return false;
  if (room.kind === "dm" ? state.notifications.soundDms : state.notifications.soundRooms) playSound();
  if (!notificationsActive()) return false;
  const { title, body } = notificationText(message, room, me.id, state.notifications.previews);
  const tag = `vaultroom-message-${message.id}`;
  const open = () => {
    window.focus();
    navigateTo(messagePath(message.roomId, message.id));
  };
  try {
    const notification = new Notification(title, { body, tag, icon: "/icon-192.png", data: { roomId: message.roomId, messageId: message.id } });
    notification.onclick = () => {
      open();
      notification.close();
    };
    return true;
  } catch {
    // Some browsers (Android) allow notifications only through the service worker.
    void navigator.serviceWorker?.ready.then((registration) =>
      registration.showNotification(title, { body, tag, icon: "/icon-192.png", data: { url: messagePath(message.roomId, message.id) } }),
    );
    return true;
  }
}
