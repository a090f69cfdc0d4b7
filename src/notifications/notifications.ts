// My notification choices: account-wide settings (default level, do-not-disturb, sounds, previews),
// each room's level and mute, and the Mentions view. Every change is a command that tells my other
// devices (announced to my user), so all my tabs notify alike.
import type { Actor } from "../accounts/sessions.ts";
import { command, type Store } from "../db/store.ts";
import { chatErrors } from "../rooms/chat-errors.ts";
import { roomQueries } from "../rooms/room-queries.ts";
import { toMessage } from "../messages/message-queries.ts";
import { mentionSql } from "../mentions/mention-queries.ts";
import { FOREVER, MENTIONS_PAGE, type Message, type NotificationLevel, type NotificationSettings, type RoomNotify } from "../protocol.ts";
import { notificationSql as q, readSettings } from "./notification-queries.ts";

export type SettingsPatch = Partial<NotificationSettings>;

/** A time in the future (up to FOREVER), or null; anything else is a client's mistake. */
function until(value: number | null, now: number, what: string): number | null {
  if (value === null || value <= now) return null;
  if (!Number.isSafeInteger(value) || value > FOREVER) throw chatErrors.invalid(`${what} must be a time in milliseconds, at most ${FOREVER}.`);
  return value;
}

const saveSettings = command("notifications.saveSettings", async (tx, input: { userId: number; patch: SettingsPatch; now: number }) => {
  const current = await readSettings(tx, input.userId);
  const next: NotificationSettings = { ...current, ...input.patch };
  next.dndUntil = until(next.dndUntil, input.now, "dndUntil");
  await tx.run(q.saveSettings, input.userId, next.defaultLevel, next.dndUntil, next.soundRooms ? 1 : 0, next.soundDms ? 1 : 0, next.previews ? 1 : 0);
  tx.announce({ kind: "event", to: { user: input.userId }, event: { type: "notifications.updated", notifications: next } });
  return next;
});

const saveRoom = command("notifications.saveRoom", async (tx, input: { userId: number; roomId: number; notify: RoomNotify; now: number }) => {
  await roomQueries.memberAccess(tx, input.userId, input.roomId);
  const notify: RoomNotify = { level: input.notify.level, mutedUntil: until(input.notify.mutedUntil, input.now, "mutedUntil") };
  if (notify.level === null && notify.mutedUntil === null) await tx.run(q.clearRoom, input.roomId, input.userId);
  else await tx.run(q.saveRoom, input.roomId, input.userId, notify.level, notify.mutedUntil);
  tx.announce({ kind: "event", to: { user: input.userId }, event: { type: "room.notify", roomId: input.roomId, notify } });
  return notify;
});

export function createNotifications({ store }: { store: Store }) {
  return {
    settings: (actor: Actor): Promise<NotificationSettings> => readSettings(store.read, actor.userId),

    updateSettings: (actor: Actor, patch: SettingsPatch): Promise<NotificationSettings> =>
      store.write(saveSettings, { userId: actor.userId, patch, now: Date.now() }),

    /** My level and mute for a room or DM I am in; a room I am not in is not found. */
    setRoom: (actor: Actor, roomId: number, notify: { level: NotificationLevel | null; mutedUntil: number | null }): Promise<RoomNotify> =>
      store.write(saveRoom, { userId: actor.userId, roomId, notify, now: Date.now() }),

    /** Recent messages that mention me, newest first, in rooms I am still in. */
    async mentions(actor: Actor, before: number | undefined, limit = MENTIONS_PAGE): Promise<{ messages: Message[]; hasMore: boolean }> {
      const size = Math.min(Math.max(1, Math.trunc(limit)), MENTIONS_PAGE);
      const rows = await store.read.all(mentionSql.recent, actor.userId, before ?? Number.MAX_SAFE_INTEGER, size + 1);
      return { messages: rows.slice(0, size).map(toMessage), hasMore: rows.length > size };
    },
  };
}

export type Notifications = ReturnType<typeof createNotifications>;
