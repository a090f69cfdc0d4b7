// The one person a typed search names exactly: a username (with or without "@"), else a display name
// nobody else in the results shares. The New room dialog adds this person when Create is pressed with
// the name typed but not picked (issue 19 §8), rather than silently leaving them out.
import type { UserRef } from "./protocol.ts";

export function exactPerson(users: readonly UserRef[], typed: string): UserRef | undefined {
  const query = typed.trim().replace(/^@/, "").toLowerCase();
  if (!query) return undefined;
  const byUsername = users.find((u) => u.username.toLowerCase() === query);
  if (byUsername) return byUsername;
  const byName = users.filter((u) => u.displayName?.trim().toLowerCase() === typed.trim().toLowerCase());
  return byName.length === 1 ? byName[0] : undefined;
}
