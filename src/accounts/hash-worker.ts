// A password-hashing thread (hash-threads.ts): argon2id, one hash at a time, at a lower CPU priority
// than the event loop and the database writer (limits/thread-priority.ts).
import { lowerThisThread } from "../limits/thread-priority.ts";
import type { HashReply, HashRequest } from "./hash-threads.ts";

declare const self: Worker;

const { lowered, tid } = lowerThisThread();
self.postMessage({ type: "ready", lowered, tid } satisfies HashReply);

self.addEventListener("message", (event: MessageEvent<HashRequest>) => {
  const job = event.data;
  try {
    const value = job.op === "hash" ? Bun.password.hashSync(job.password, { algorithm: "argon2id" }) : Bun.password.verifySync(job.password, job.hash);
    self.postMessage({ type: "done", id: job.id, value } satisfies HashReply);
  } catch (error) {
    self.postMessage({ type: "failed", id: job.id, message: error instanceof Error ? error.message : String(error) } satisfies HashReply);
  }
});
