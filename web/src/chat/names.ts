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

/** Whether a display name is set that reads differently from the username (then "@username" disambiguates). */
export function hasOwnDisplayName(user: Named): boolean {
  const display = user.displayName?.trim();
  return !user.deleted && !!display && display.toLowerCase() !== user.username.toLowerCase();
}

/** A person named in a sentence (a dialog's title, a toast): "Bob Martin (@bob)", or "bob" alone. */
export function nameWithUsername(user: Named): string {
  return hasOwnDisplayName(user) ? t("people.nameWithUsername", { name: displayNameOf(user), username: user.username }) : displayNameOf(user);
}
