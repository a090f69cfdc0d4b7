// The batch runner that works on this thread, on the engine's own connection (batch.ts): Postgres
// (its I/O is asynchronous already) and SQLite in tools and tests that want no writer thread.
import { executeBatch, type EngineHooks } from "./batch.ts";
import type { BatchRunner } from "./write-queue.ts";

export function localRunner(engine: EngineHooks): BatchRunner {
  return { run: (jobs) => executeBatch(engine, jobs), maxInFlight: 1 };
}
