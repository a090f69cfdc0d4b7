// Re-authentication: sensitive actions (turning 2FA off, removing a passkey, changing the password,
// new recovery codes, deleting the account, ending all sessions) want the session to have proved its
// password or a passkey within the last 5 minutes. A stolen cookie alone does not get that far.
// The time is kept per session in the database (any node may serve the next request) and goes with
// the session (ON DELETE CASCADE).
import { sql } from "../db/query.ts";
import type { Conn, Tx } from "../db/store.ts";
import { AppError } from "../errors.ts";

export const REAUTH_MS = 5 * 60_000;

const q = {
  record: sql<never, [string, number]>(
    "INSERT INTO session_reauth (session_id, at) VALUES (?, ?) ON CONFLICT (session_id) DO UPDATE SET at = excluded.at",
  ),
  at: sql<{ at: number }, [string]>("SELECT at FROM session_reauth WHERE session_id = ?"),
};

export const reauthRequired = () =>
  new AppError(403, "reauth_required", "Confirm it is you: enter your password (or use a passkey) and try again.");

export const reauth = {
  record: async (tx: Tx, sessionId: string, now: number) => void (await tx.run(q.record, sessionId, now)),
  /** Until when the session counts as freshly authenticated (0: not at all). */
  async until(db: Conn, sessionId: string): Promise<number> {
    const row = await db.get(q.at, sessionId);
    return row ? row.at + REAUTH_MS : 0;
  },
  async assertRecent(db: Conn, sessionId: string, now = Date.now()): Promise<void> {
    if ((await reauth.until(db, sessionId)) <= now) throw reauthRequired();
  },
};
