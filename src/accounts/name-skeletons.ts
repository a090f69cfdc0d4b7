// Stored skeletons must follow skeleton(): when its algorithm changes (SKELETON_VERSION), every
// account's username skeleton and display-name skeleton is recomputed once, here in code, because
// SQL cannot compute one (migration 006 only adds the display_skeleton column). Runs when a server
// or CLI opens its database; a no-op (one settings read) once the stored version is current.
//
// Existing holders keep their names: when an account's new skeleton is already another's (e.g. an
// "admi\u0307n" beside an "admin", which the old skeleton told apart), the one holding it keeps it
// and the other keeps its old skeleton, so the UNIQUE column holds and both can still log in; in id
// order, so of two accounts whose skeletons both change to the same one, the older gets it.
import { sql } from "../db/query.ts";
import { command, type Store } from "../db/store.ts";
import type { Logger } from "../log.ts";
import { settings } from "./settings.ts";
import { SKELETON_VERSION } from "./skeleton.ts";
import { usernameSkeleton } from "./usernames.ts";

const VERSION_KEY = "name_skeleton_version";

const q = {
  users: sql<{ id: number; username: string; skeleton: string; displayName: string | null }, []>(
    `SELECT id, username, skeleton, display_name AS "displayName" FROM users WHERE deleted_at IS NULL ORDER BY id`,
  ),
  holder: sql<{ id: number }, [string]>("SELECT id FROM users WHERE skeleton = ?"),
  setSkeletons: sql<never, [string, string | null, number]>("UPDATE users SET skeleton = ?, display_skeleton = ? WHERE id = ?"),
};

const refresh = command("accounts.refreshNameSkeletons", async (tx, version: number): Promise<number[]> => {
  // Another process (the CLI beside a running server, another node) may have done it meanwhile.
  if (Number(await settings.get(tx, VERSION_KEY)) === version) return [];
  const clashes: number[] = [];
  for (const user of await tx.all(q.users)) {
    let skeleton = usernameSkeleton(user.username);
    const taken = skeleton !== user.skeleton ? await tx.get(q.holder, skeleton) : null;
    if (taken) {
      clashes.push(user.id);
      skeleton = user.skeleton;
    }
    await tx.run(q.setSkeletons, skeleton, user.displayName === null ? null : usernameSkeleton(user.displayName), user.id);
  }
  await settings.set(tx, VERSION_KEY, String(version));
  return clashes;
});

export async function refreshNameSkeletons(store: Store, logger: Logger): Promise<void> {
  if (Number(await settings.get(store.read, VERSION_KEY)) === SKELETON_VERSION) return;
  const kept = await store.write(refresh, SKELETON_VERSION);
  if (kept.length) logger.warn("name_skeleton_clash", { accounts: kept.slice(0, 20).join(","), count: kept.length });
}
