// How people are named in the interface: the display name when set, else the username. A deleted
// account keeps its messages; the server flags it (`deleted: true`) and it is shown as "deleted
// user", whatever its placeholder username says: a live account named "deleted-9" is not one.
import { t } from "../i18n/index.ts";

export interface Named {
  username: string;
  displayName: string | null;
  deleted?: true;
}

export function displayNameOf(user: Named): string {
  if (user.deleted) return t("people.deleted");
  const display = user.displayName?.trim();
  return display || user.username;
}
