// What saving a shorter retention deletes, said before it happens (issue 19): the form saved at once,
// and the next pass of the retention job (within a minute) deleted everything older, for everyone.
// Only a limit that is new or shorter loses anything; a longer one or "forever" needs no warning.
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
