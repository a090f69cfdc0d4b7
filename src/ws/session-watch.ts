// Every session end that this node announces closes its sockets at once (broadcast.ts). Some ends
// are announced nowhere this node can hear: an operator's `vaultroom user reset-password` run in
// another process against the same database, a session that simply expired, a cluster node that
// died after its commit. So every few seconds the node asks the database which of the sessions
// behind its open sockets still hold, in one statement per chunk, and closes the others (4401).
// Revocation by any path therefore reaches an idle socket within WATCH_INTERVAL_MS plus a query.
import { sessions } from "../accounts/sessions.ts";
import type { Conn } from "../db/store.ts";
import { describeError } from "../errors.ts";
import type { Logger } from "../log.ts";
import { CLOSE_SESSION_ENDED } from "../protocol.ts";
import type { Hub } from "./broadcast.ts";

export const WATCH_INTERVAL_MS = 2000;
/** Session ids asked about per statement. */
const CHUNK = 500;

export function watchSessions(deps: { hub: Hub; db: Conn; logger: Logger }, intervalMs = WATCH_INTERVAL_MS) {
  let running = false;

  async function check(): Promise<void> {
    if (running) return;
    running = true;
    try {
      const open = deps.hub.sessionIds();
      for (let i = 0; i < open.length; i += CHUNK) {
        const chunk = open.slice(i, i + CHUNK);
        const live = await sessions.stillLive(deps.db, chunk);
        const ended = chunk.filter((id) => !live.has(id));
        if (ended.length) deps.hub.closeSessions(ended, CLOSE_SESSION_ENDED, "session ended");
      }
    } catch (error) {
      // The database is unreachable: the next round tries again; sockets are not closed on a guess.
      deps.logger.warn("session_watch_failed", { error: describeError(error) });
    } finally {
      running = false;
    }
  }

  const timer = setInterval(() => void check(), intervalMs);
  timer.unref?.();
  return {
    check,
    stop: () => clearInterval(timer),
  };
}
