// What a push carries: only what the notification shows. The service worker (web/public/sw.js)
// builds the notification from it. Without previews no text of the message is in it at all.
import { NOTIFICATION_PREVIEW_LENGTH, type Message, type RoomKind, type UserRef } from "../protocol.ts";

export interface PushPayload {
  v: 1;
  kind: "message" | "test";
  roomId: number;
  messageId: number;
  /** "" for DMs (the notification names the sender). */
  room: string;
  dm: boolean;
  mention: boolean;
  sender: string;
  /** The first NOTIFICATION_PREVIEW_LENGTH characters, only with previews on. */
  text?: string;
  /** Same tag as the open tab's own notification of the message, so one replaces the other. */
  tag: string;
}

export const notificationTag = (messageId: number) => `vaultroom-message-${messageId}`;

const shownName = (user: UserRef) => (user.deleted ? "" : (user.displayName ?? user.username));

/** The first characters of a message on one line; a file without caption shows its name. */
export function previewText(message: Message): string {
  const text = (message.body || message.attachment?.name || "").replace(/\s+/gu, " ").trim();
  const chars = [...text];
  return chars.length > NOTIFICATION_PREVIEW_LENGTH ? `${chars.slice(0, NOTIFICATION_PREVIEW_LENGTH - 1).join("")}…` : text;
}

export function messagePayload(message: Message, room: { kind: RoomKind; name: string }, mention: boolean, previews: boolean): PushPayload {
  const payload: PushPayload = {
    v: 1,
    kind: "message",
    roomId: message.roomId,
    messageId: message.id,
    room: room.kind === "dm" ? "" : room.name,
    dm: room.kind === "dm",
    mention,
    sender: shownName(message.author),
    tag: notificationTag(message.id),
  };
  if (previews) payload.text = previewText(message);
  return payload;
}
