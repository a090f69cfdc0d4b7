// Whether a message should alert me in this tab: the server's rule (src/notifications/decide.ts,
// which decides Web Push) restated for the browser, which may import no server code. A unit test
// runs one table through both, so the two cannot drift apart.
import type { NotificationLevel } from "../chat/protocol.ts";

export interface NotifyInput {
  level: NotificationLevel | null;
  defaultLevel: NotificationLevel;
  dm: boolean;
  mention: boolean;
  mutedUntil: number | null;
  dndUntil: number | null;
  visibleTab: boolean;
  now: number;
}

export function effectiveLevel(level: NotificationLevel | null, defaultLevel: NotificationLevel, dm: boolean): NotificationLevel {
  return level ?? (dm ? "all" : defaultLevel);
}

export function decideNotification(input: NotifyInput): { alert: boolean; push: boolean } {
  const quiet = (input.dndUntil !== null && input.dndUntil > input.now) || (input.mutedUntil !== null && input.mutedUntil > input.now);
  const level = effectiveLevel(input.level, input.defaultLevel, input.dm);
  const alert = !quiet && (level === "all" || (level === "mentions" && (input.mention || input.dm)));
  return { alert, push: alert && !input.visibleTab };
}

/** Muted now (a mute that has run out is no mute). */
export const isMuted = (mutedUntil: number | null, now = Date.now()) => mutedUntil !== null && mutedUntil > now;
