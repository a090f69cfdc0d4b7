// Stored skeletons must follow skeleton(): when its algorithm changes (SKELETON_VERSION), every
// account's username skeleton and display-name skeleton is recomputed once, here in code, because
// SQL cannot compute one (migration 004 only adds the display_skeleton column). Runs when a server
// or CLI builds its accounts; a no-op (one settings read) once the stored version is current.
//
// Existing holders keep their names: when an account's new skeleton is already another's (e.g. an
// "admi\u0307n" beside an "admin", which the old skeleton told apart), the one holding it keeps it
// and the other keeps its old skeleton, so the UNIQUE column holds and both can still log in; in id
// order, so of two accounts whose skeletons both change to the same one, the older gets it.
import type { Database } from "bun:sqlite";
import type { Logger } from "../log.ts";
import { SKELETON_VERSION } from "./skeleton.ts";
import { usernameSkeleton } from "./usernames.ts";

const VERSION_KEY = "name_skeleton_version";

export function refreshNameSkeletons(db: Database, logger: Logger): void {
  const version = db.query<{ value: string }, [string]>("SELECT value FROM settings WHERE key = ?");
  if (Number(version.get(VERSION_KEY)?.value) === SKELETON_VERSION) return;
  const users = db.query<{ id: number; username: string; skeleton: string; displayName: string | null }, []>(
    "SELECT id, username, skeleton, display_name AS displayName FROM users WHERE deleted_at IS NULL ORDER BY id",
  );
  const holder = db.query<{ id: number }, [string]>("SELECT id FROM users WHERE skeleton = ?");
  const setSkeletons = db.query("UPDATE users SET skeleton = ?, display_skeleton = ? WHERE id = ?");
  const setVersion = db.query("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value");

  const kept = db
    .transaction(() => {
      // Another process (the CLI beside a running server) may have done it meanwhile.
      if (Number(version.get(VERSION_KEY)?.value) === SKELETON_VERSION) return [];
      const clashes: number[] = [];
      for (const user of users.all()) {
        let skeleton = usernameSkeleton(user.username);
        const taken = skeleton !== user.skeleton ? holder.get(skeleton) : null;
        if (taken) {
          clashes.push(user.id);
          skeleton = user.skeleton;
        }
        setSkeletons.run(skeleton, user.displayName === null ? null : usernameSkeleton(user.displayName), user.id);
      }
      setVersion.run(VERSION_KEY, String(SKELETON_VERSION));
      return clashes;
    })
    .immediate();
  if (kept.length) logger.warn("name_skeleton_clash", { accounts: kept.slice(0, 20).join(","), count: kept.length });
}
