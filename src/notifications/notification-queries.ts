// Notification settings and per-room levels: typed statements.
import { sql } from "../db/query.ts";
import type { Conn } from "../db/store.ts";
import type { NotificationLevel, NotificationSettings } from "../protocol.ts";

interface SettingsRow {
  defaultLevel: NotificationLevel;
  dndUntil: number | null;
  soundRooms: number;
  soundDms: number;
  previews: number;
}

export const DEFAULT_SETTINGS: NotificationSettings = { defaultLevel: "mentions", dndUntil: null, soundRooms: false, soundDms: true, previews: true };

export const notificationSql = {
  settings: sql<SettingsRow, [number]>(
    `SELECT default_level AS "defaultLevel", dnd_until AS "dndUntil", sound_rooms AS "soundRooms", sound_dms AS "soundDms", previews
       FROM notification_settings WHERE user_id = ?`,
  ),
  saveSettings: sql<never, [number, string, number | null, number, number, number]>(
    `INSERT INTO notification_settings (user_id, default_level, dnd_until, sound_rooms, sound_dms, previews) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (user_id) DO UPDATE SET default_level = excluded.default_level, dnd_until = excluded.dnd_until,
       sound_rooms = excluded.sound_rooms, sound_dms = excluded.sound_dms, previews = excluded.previews`,
  ),
  saveRoom: sql<never, [number, number, string | null, number | null]>(
    `INSERT INTO room_notification_prefs (room_id, user_id, level, muted_until) VALUES (?, ?, ?, ?)
     ON CONFLICT (room_id, user_id) DO UPDATE SET level = excluded.level, muted_until = excluded.muted_until`,
  ),
  clearRoom: sql<never, [number, number]>("DELETE FROM room_notification_prefs WHERE room_id = ? AND user_id = ?"),
  /**
   * What deciding a message's notifications needs about each of the given members of a room (the
   * author left out): their level and mute here, their settings, in one statement.
   */
  recipients: sql<RecipientRow, [number, number, number[]]>({
    sqlite: `SELECT m.user_id AS "userId", np.level, np.muted_until AS "mutedUntil",
                    coalesce(ns.default_level, 'mentions') AS "defaultLevel", ns.dnd_until AS "dndUntil", coalesce(ns.previews, 1) AS previews
               FROM json_each(?3) w
               CROSS JOIN room_members m ON m.room_id = ?1 AND m.user_id = w.value
               LEFT JOIN room_notification_prefs np ON np.room_id = m.room_id AND np.user_id = m.user_id
               LEFT JOIN notification_settings ns ON ns.user_id = m.user_id
              WHERE m.user_id != ?2`,
    postgres: `SELECT m.user_id AS "userId", np.level, np.muted_until AS "mutedUntil",
                      coalesce(ns.default_level, 'mentions') AS "defaultLevel", ns.dnd_until AS "dndUntil", coalesce(ns.previews, 1) AS previews
                 FROM room_members m
                 LEFT JOIN room_notification_prefs np ON np.room_id = m.room_id AND np.user_id = m.user_id
                 LEFT JOIN notification_settings ns ON ns.user_id = m.user_id
                WHERE m.room_id = ?1 AND m.user_id != ?2 AND m.user_id = ANY(?3::bigint[])`,
  }),
  /** Every member but the author, same columns: for rooms where more members have push than the list would hold. */
  allRecipients: sql<RecipientRow, [number, number]>(
    `SELECT m.user_id AS "userId", np.level, np.muted_until AS "mutedUntil",
            coalesce(ns.default_level, 'mentions') AS "defaultLevel", ns.dnd_until AS "dndUntil", coalesce(ns.previews, 1) AS previews
       FROM room_members m
       JOIN push_subscriptions ps ON ps.user_id = m.user_id
       LEFT JOIN room_notification_prefs np ON np.room_id = m.room_id AND np.user_id = m.user_id
       LEFT JOIN notification_settings ns ON ns.user_id = m.user_id
      WHERE m.room_id = ? AND m.user_id != ?
      GROUP BY m.user_id, np.level, np.muted_until, ns.default_level, ns.dnd_until, ns.previews`,
  ),
};

export interface RecipientRow {
  userId: number;
  level: NotificationLevel | null;
  mutedUntil: number | null;
  defaultLevel: NotificationLevel;
  dndUntil: number | null;
  previews: number;
}

export async function readSettings(db: Conn, userId: number): Promise<NotificationSettings> {
  const row = await db.get(notificationSql.settings, userId);
  if (!row) return { ...DEFAULT_SETTINGS };
  return { defaultLevel: row.defaultLevel, dndUntil: row.dndUntil, soundRooms: row.soundRooms === 1, soundDms: row.soundDms === 1, previews: row.previews === 1 };
}
