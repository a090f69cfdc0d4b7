// One person may not look like another in the chat (issue 21, §6): a display name is refused when its
// skeleton (case folded, confusables mapped, accents folded) matches another account's username or
// display name, and a new username when it matches another account's display name. One's own
// username as a display name is fine. Reserved names (reserved-names.ts) are refused here too.
// Call inside the transaction that writes the name, so two people cannot take the same one at once.
import type { Database } from "bun:sqlite";
import { errors } from "../http/errors.ts";
import { isReservedName } from "./reserved-names.ts";
import { usernameSkeleton } from "./usernames.ts";

export function createNameClashes(db: Database) {
  const usernameHolder = db.query<{ id: number }, [string, number]>("SELECT id FROM users WHERE skeleton = ? AND id != ? LIMIT 1");
  const displayHolder = db.query<{ id: number }, [string, number]>(
    "SELECT id FROM users WHERE display_skeleton = ? AND id != ? AND deleted_at IS NULL LIMIT 1",
  );
  const setDisplaySkeleton = db.query<null, [string | null, number]>("UPDATE users SET display_skeleton = ? WHERE id = ?");

  return {
    /** `userId` 0 for an account not created yet. Admins may take a reserved display name. */
    assertDisplayNameFree(displayName: string | null, userId: number, options: { mayUseReserved: boolean }): void {
      if (displayName === null) return;
      if (!options.mayUseReserved && isReservedName(displayName)) {
        throw errors.badRequest("display_name_reserved", "This display name is reserved for the system; choose another.");
      }
      const skeleton = usernameSkeleton(displayName);
      if (usernameHolder.get(skeleton, userId) || displayHolder.get(skeleton, userId)) {
        throw errors.conflict("display_name_confusable", "This display name looks too much like another person's name; choose another.");
      }
    },
    /** A new username must not look like someone's display name (the username checks cover usernames). */
    assertUsernameFree(skeleton: string, options: { mayUseReserved: boolean; username: string }): void {
      if (!options.mayUseReserved && isReservedName(options.username)) {
        throw errors.badRequest("username_reserved", "This username is reserved for the system; choose another.");
      }
      if (displayHolder.get(skeleton, 0)) {
        throw errors.conflict("username_confusable", "This username looks too much like an existing one; choose another.");
      }
    },
    /** Stores the skeleton of the name just written (users.ts writes the name itself). */
    recordDisplayName(userId: number, displayName: string | null): void {
      setDisplaySkeleton.run(displayName === null ? null : usernameSkeleton(displayName), userId);
    },
  };
}

export type NameClashes = ReturnType<typeof createNameClashes>;
