// What saving a shorter retention deletes, said before it happens (issue 19): the forms (the server's,
// a room's) saved at once, and the next pass of the retention job (within a minute) deleted everything
// older, for everyone. Only a limit that is new or shorter loses anything; a longer one or "forever"
// needs no warning.
import { t, tn } from "../i18n/index.ts";

export interface RetentionDays {
  messageDays: number | null;
  fileDays: number | null;
}

const shorter = (before: number | null, after: number | null) => after !== null && (before === null || after < before);

/** The sentences of the warning, or null when nothing more is deleted than before. */
export function retentionLoss(before: RetentionDays, after: RetentionDays): string | null {
  const lines: string[] = [];
  if (shorter(before.messageDays, after.messageDays)) lines.push(tn("retention.loseMessages", after.messageDays!));
  if (shorter(before.fileDays, after.fileDays)) lines.push(tn("retention.loseFiles", after.fileDays!));
  return lines.length === 0 ? null : [...lines, t("retention.cannotUndo")].join(" ");
}

export interface RoomLimits {
  /** The room's own limit in days; null follows the server's. */
  retentionDays: number | null;
  disappearHours: number | null;
  serverDays: number | null;
}

/** How old a message of the room may get, in hours (Infinity: kept), as the retention job reads it. */
function keptHours(limits: RoomLimits): number {
  const days = limits.retentionDays ?? limits.serverDays;
  return Math.min(limits.disappearHours ?? Infinity, days === null ? Infinity : days * 24);
}

/** The room's warning, or null when the new limits delete nothing more than the old ones. */
export function roomRetentionLoss(before: RoomLimits, after: RoomLimits): string | null {
  const hours = keptHours(after);
  if (hours >= keptHours(before)) return null;
  const line = hours % 24 === 0 && after.disappearHours === null ? tn("roomRetention.loseDays", hours / 24) : tn("roomRetention.loseHours", hours);
  return `${line} ${t("retention.cannotUndo")}`;
}
