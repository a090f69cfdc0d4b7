// The audit trail as the server runs it: legacy entries chained at start, checkpoints signed on a
// timer (and on demand, for tests and the CLI), verification with this server's key.
import type { Store } from "../db/store.ts";
import { describeError } from "../errors.ts";
import type { Logger } from "../log.ts";
import { sealLegacyEntries } from "./chain.ts";
import { checkpointCommand, MAX_ENTRIES, type Checkpoint } from "./checkpoints.ts";
import { verifyAudit, type VerifyReport } from "./verify.ts";

export interface AuditTrailOptions {
  /** How often a checkpoint is signed when entries were added (default a minute). */
  intervalMs?: number;
  maxEntries?: number;
}

export function createAuditTrail(deps: { store: Store; key: string; logger: Logger }, options: AuditTrailOptions = {}) {
  const { store, key, logger } = deps;
  let timer: ReturnType<typeof setInterval> | null = null;
  const checkpoint = (now = Date.now()): Promise<Checkpoint | null> =>
    store.write(checkpointCommand, { key, now, maxEntries: options.maxEntries ?? MAX_ENTRIES });

  return {
    checkpoint,
    verify: (): Promise<VerifyReport> => verifyAudit(store.read, key),

    /** Chains what an older version wrote, then signs a checkpoint every interval. */
    async start(): Promise<void> {
      const sealed = await sealLegacyEntries(store);
      if (sealed) logger.info("audit_chained", { entries: sealed });
      timer ??= setInterval(() => {
        checkpoint().catch((error) => logger.warn("maintenance_failed", { task: "audit_checkpoint", error: describeError(error) }));
      }, options.intervalMs ?? 60_000);
      timer.unref?.();
    },

    /** Stops the timer and signs what was written since the last checkpoint. */
    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      timer = null;
      await checkpoint().catch((error) => logger.warn("maintenance_failed", { task: "audit_checkpoint", error: describeError(error) }));
    },
  };
}

export type AuditTrail = ReturnType<typeof createAuditTrail>;
