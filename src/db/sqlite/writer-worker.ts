// The SQLite writer thread. It owns the database's only writing connection and runs each batch the
// event loop sends it (batch.ts): BEGIN IMMEDIATE, the commands, COMMIT with synchronous=FULL, then
// answers. The fsync of every commit happens here, so it never blocks sockets, HTTP or reads on the
// event loop; while it runs, the next batch forms there. Batches are run one at a time, in the
// order they arrive, and answered in that order.
import { AppError, describeError, toErrorData } from "../../errors.ts";
import { executeBatch } from "../batch.ts";
import { commandNamed, commandNames } from "../command-registry.ts";
import "../command-modules.ts";
import { sqliteEngine } from "./engine.ts";
import { openDatabase } from "./open.ts";
import { decodeMessage, encodeMessage, type FromWriter, type ToWriter, type WireOutcome, type WriterSetup } from "./writer-protocol.ts";

declare const self: Worker;

const reply = (message: FromWriter) => self.postMessage(encodeMessage(message));

async function start(setup: WriterSetup) {
  for (const module of setup.modules) await import(module);
  // Migrated already by the event loop's side before this thread started.
  const db = openDatabase(setup.path, { migrate: false });
  const engine = sqliteEngine(db);
  let queue: Promise<void> = Promise.resolve();

  const runBatch = async (id: number, jobs: { name: string; input: unknown }[]) => {
    const known = jobs.map((job) => {
      const command = commandNamed(job.name);
      if (!command) throw new Error(`the writer knows no command named "${job.name}" (add its module to db/command-modules.ts)`);
      return { command, input: job.input };
    });
    const result = await executeBatch(engine, known);
    const outcomes: WireOutcome[] = result.outcomes.map((outcome) => {
      if (outcome.ok) return outcome;
      if (outcome.error instanceof AppError) return { ok: false, app: toErrorData(outcome.error) };
      return { ok: false, internal: describeError(outcome.error) };
    });
    reply({ type: "done", id, outcomes, commits: result.commits.map(({ from, to }) => ({ from, to })), seconds: result.seconds });
  };

  self.addEventListener("message", (event: MessageEvent<string>) => {
    const message = decodeMessage<ToWriter>(event.data);
    if (message.type === "open") return; // handled once, before start
    queue = queue.then(async () => {
      if (message.type === "checkpoint") {
        try {
          db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
        } finally {
          reply({ type: "checkpointed", id: message.id });
        }
        return;
      }
      if (message.type === "close") {
        try {
          db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
        } finally {
          db.close();
        }
        reply({ type: "closed" });
        return;
      }
      try {
        await runBatch(message.id, message.jobs);
      } catch (error) {
        // Not a command's refusal: the batch cannot be run at all (an unknown command).
        const internal = describeError(error);
        reply({ type: "done", id: message.id, outcomes: message.jobs.map(() => ({ ok: false, internal })), commits: [] });
      }
    });
  });
  reply({ type: "ready", commands: commandNames() });
}

// The thread loads its modules as soon as it starts (the costly part: ~130 ms in the binary), then
// waits to be told which database to open: the event loop's side migrates it first, and may have
// started this thread before it even knew the data directory (writer-thread.ts prestartWriter).
const opened = (event: MessageEvent<string>) => {
  const message = decodeMessage<ToWriter>(event.data);
  if (message.type !== "open") return;
  self.removeEventListener("message", opened);
  start(message.setup).catch((error: unknown) => reply({ type: "failed", message: describeError(error) }));
};
self.addEventListener("message", opened);
