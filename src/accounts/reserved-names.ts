// Names that would let an account pass for the server itself, its staff, or a deleted account
// (issue 21, §6: a user named "deleted-9" was shown as "deleted user"). Compared by skeleton with
// spaces and punctuation left out, so "A.D.M.I.N", "Аdmin" (Cyrillic А) and "Deleted User" are
// caught too. Who may still take them: the server's first account (it becomes the administrator),
// accounts the operator creates with the CLI, and administrators choosing a display name. Accounts
// that already hold such a name keep it.
import { usernameSkeleton } from "./usernames.ts";

const RESERVED_WORDS = [
  "admin", "administrator", "administrateur", "root", "system", "système", "sysadmin", "superuser",
  "vaultroom", "support", "moderator", "modérateur", "mod", "staff", "security", "sécurité", "official",
  "officiel", "helpdesk", "postmaster", "webmaster", "hostmaster", "abuse", "noreply", "no-reply", "everyone",
];
/** Shown for deleted accounts (web/src/i18n: "deleted user", "utilisateur supprimé"), and their placeholders "deleted-<id>". */
const RESERVED_PREFIXES = ["deleted", "utilisateur supprimé"];

/** The skeleton with everything but letters and digits removed. */
function looseSkeleton(name: string): string {
  return usernameSkeleton(name).replace(/[^\p{L}\p{N}\p{M}]/gu, "");
}

const WORDS = new Set(RESERVED_WORDS.map(looseSkeleton));
const PREFIXES = RESERVED_PREFIXES.map(looseSkeleton);

export function isReservedName(name: string): boolean {
  const loose = looseSkeleton(name);
  return WORDS.has(loose) || PREFIXES.some((prefix) => loose.startsWith(prefix));
}
