// How people are named in the interface: the display name when set, else the username. A deleted
// account keeps its messages under the username "deleted-<id>", shown as "deleted user".
import { t } from "../i18n/index.ts";

export interface Named {
  username: string;
  displayName: string | null;
}

export function displayNameOf(user: Named): string {
  const display = user.displayName?.trim();
  if (display) return display;
  return /^deleted-\d+$/.test(user.username) ? t("people.deleted") : user.username;
}
