// Whether a message should notify one person: the rule every notification follows, computed once per
// message and recipient (push/notifier.ts). The web client runs this same function for its desktop
// notifications: part of the protocol, free of server code (web/vite.config.ts lets it through).
//
//   do-not-disturb on, or the room muted          -> nothing
//   level "nothing"                                -> nothing
//   level "all"                                    -> every message
//   level "mentions" (rooms' default)              -> mentions of me, and every DM message
//   a DM without a level of its own                -> "all"
//   a system line ("… joined", "… renamed the room") -> nothing, whatever the level (it has no text,
//                                                     and a room's comings and goings are not news)
// An alert becomes a Web Push only while none of the person's tabs is visible: a visible tab shows
// its own notification (or the person is looking at the chat already).
import type { NotificationLevel } from "./shapes.ts";

export interface NotifyInput {
  /** The room's own level for this person; null: the default. */
  level: NotificationLevel | null;
  /** The person's default level for rooms. */
  defaultLevel: NotificationLevel;
  dm: boolean;
  /** The message mentions this person. */
  mention: boolean;
  /** A system line (the message has an `event`): someone joined, left, renamed the room… */
  systemLine: boolean;
  mutedUntil: number | null;
  dndUntil: number | null;
  /** One of the person's tabs is visible. */
  visibleTab: boolean;
  now: number;
}

export interface NotifyDecision {
  /** The person should be alerted (a desktop notification by an open tab, a sound). */
  alert: boolean;
  /** ...and by Web Push, since no tab of theirs is visible. */
  push: boolean;
}

export function effectiveLevel(level: NotificationLevel | null, defaultLevel: NotificationLevel, dm: boolean): NotificationLevel {
  return level ?? (dm ? "all" : defaultLevel);
}

export function decideNotification(input: NotifyInput): NotifyDecision {
  const quiet = (input.dndUntil !== null && input.dndUntil > input.now) || (input.mutedUntil !== null && input.mutedUntil > input.now);
  const level = effectiveLevel(input.level, input.defaultLevel, input.dm);
  const alert = !quiet && !input.systemLine && (level === "all" || (level === "mentions" && (input.mention || input.dm)));
  return { alert, push: alert && !input.visibleTab };
}
