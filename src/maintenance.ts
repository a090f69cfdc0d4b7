// Periodic upkeep of the database, started with the server: expired sessions are deleted (their
// sockets were already closed by the session watch), and in a cluster the outbox keeps only what a
// node that lost its Redis link for a while could still need (cluster/bus.ts).
import { sweepExpiredSessions } from "./accounts/sessions.ts";
import { OUTBOX_KEEP_MS } from "./cluster/bus.ts";
import { pruneEvents } from "./db/postgres/outbox-sql.ts";
import { command, type Store } from "./db/store.ts";
import { describeError } from "./errors.ts";
import type { Logger } from "./log.ts";

const SESSION_SWEEP_MS = 3600_000;
const OUTBOX_PRUNE_MS = 60_000;

const pruneOutbox = command("outbox.prune", async (tx, before: number) => (await tx.run(pruneEvents, before)).changes);

export function startMaintenance(store: Store, logger: Logger) {
  const guard = (name: string, work: () => Promise<unknown>) => () => {
    work().catch((error) => logger.warn("maintenance_failed", { task: name, error: describeError(error) }));
  };
  const timers = [setInterval(guard("sessions", () => store.write(sweepExpiredSessions, Date.now())), SESSION_SWEEP_MS)];
  if (store.engine === "postgres") {
    timers.push(setInterval(guard("outbox", () => store.write(pruneOutbox, Date.now() - OUTBOX_KEEP_MS)), OUTBOX_PRUNE_MS));
  }
  for (const timer of timers) timer.unref?.();
  // Once at start, so a server that restarts often still sweeps.
  guard("sessions", () => store.write(sweepExpiredSessions, Date.now()))();
  return { stop: () => timers.forEach(clearInterval) };
}
