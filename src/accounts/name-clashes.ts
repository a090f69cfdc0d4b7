// One person may not look like another in the chat (issue 21, §6): a display name is refused when its
// skeleton (case folded, confusables mapped, accents folded) matches another account's username or
// display name, and a new username when it matches another account's display name. One's own
// username as a display name is fine. Reserved names (reserved-names.ts) are refused here too.
// Call inside the command that writes the name, so two people cannot take the same one at once.
import { sql } from "../db/query.ts";
import type { Conn, Tx } from "../db/store.ts";
import { errors } from "../errors.ts";
import { isReservedName } from "./reserved-names.ts";
import { usernameSkeleton } from "./usernames.ts";

const q = {
  usernameHolder: sql<{ id: number }, [string, number]>("SELECT id FROM users WHERE skeleton = ? AND id != ? LIMIT 1"),
  displayHolder: sql<{ id: number }, [string, number]>(
    "SELECT id FROM users WHERE display_skeleton = ? AND id != ? AND deleted_at IS NULL LIMIT 1",
  ),
  setDisplaySkeleton: sql<never, [string | null, number]>("UPDATE users SET display_skeleton = ? WHERE id = ?"),
};

export const nameClashes = {
  /** `userId` 0 for an account not created yet. Admins may take a reserved display name. */
  async assertDisplayNameFree(db: Conn, displayName: string | null, userId: number, options: { mayUseReserved: boolean }): Promise<void> {
    if (displayName === null) return;
    if (!options.mayUseReserved && isReservedName(displayName)) {
      throw errors.badRequest("display_name_reserved", "This display name is reserved for the system; choose another.");
    }
    const skeleton = usernameSkeleton(displayName);
    if ((await db.get(q.usernameHolder, skeleton, userId)) || (await db.get(q.displayHolder, skeleton, userId))) {
      throw errors.conflict("display_name_confusable", "This display name looks too much like another person's name; choose another.");
    }
  },

  /** A new username must not look like someone's display name (the username checks cover usernames). */
  async assertUsernameFree(db: Conn, skeleton: string, options: { mayUseReserved: boolean; username: string }): Promise<void> {
    if (!options.mayUseReserved && isReservedName(options.username)) {
      throw errors.badRequest("username_reserved", "This username is reserved for the system; choose another.");
    }
    if (await db.get(q.displayHolder, skeleton, 0)) {
      throw errors.conflict("username_confusable", "This username looks too much like an existing one; choose another.");
    }
  },

  /** Stores the skeleton of the name just written (users.ts writes the name itself). */
  async recordDisplayName(tx: Tx, userId: number, displayName: string | null): Promise<void> {
    await tx.run(q.setDisplaySkeleton, displayName === null ? null : usernameSkeleton(displayName), userId);
  },
};
