// The messages between the event loop and the SQLite writer thread. They travel as JSON text: for the
// small, many-field objects a batch holds, JSON.stringify + parse cost about a quarter of structured
// cloning here (100-command batches: 0.24 ms against 0.64 ms of the main thread's time per round
// trip). Bytes (Uint8Array, Buffer) are carried as base64.
import type { Announcement } from "../../announcements.ts";
import type { AppErrorData } from "../../errors.ts";

export type ToWriter =
  /** The first message: which database to open (the thread may have started before it was known). */
  | { type: "open"; setup: WriterSetup }
  | { type: "batch"; id: number; jobs: { name: string; input: unknown }[] }
  /** Checkpoint and truncate the WAL (after bulk deletions: retention), between batches. */
  | { type: "checkpoint"; id: number }
  | { type: "close" };

export type WireOutcome =
  | { ok: true; value: unknown; announced: Announcement[] }
  | { ok: false; app: AppErrorData }
  | { ok: false; internal: string };

export type FromWriter =
  | { type: "ready"; commands: string[] }
  | { type: "failed"; message: string }
  | { type: "done"; id: number; outcomes: WireOutcome[]; commits: { from: number; to: number }[]; seconds?: number }
  | { type: "checkpointed"; id: number }
  | { type: "closed" };

/** Which database the writer thread opens (its first message, `open`). */
export interface WriterSetup {
  path: string;
  /** Extra modules that define commands (tests); the production ones are in command-modules.ts. */
  modules: string[];
}

const BYTES = "$bytes";

function replacer(this: unknown, _key: string, value: unknown): unknown {
  if (value instanceof Uint8Array) return { [BYTES]: Buffer.from(value).toString("base64") };
  // Buffer's own toJSON has already run by the time the replacer sees it.
  if (value !== null && typeof value === "object" && (value as { type?: unknown }).type === "Buffer" && Array.isArray((value as { data?: unknown }).data)) {
    return { [BYTES]: Buffer.from((value as { data: number[] }).data).toString("base64") };
  }
  return value;
}

function reviver(_key: string, value: unknown): unknown {
  if (value !== null && typeof value === "object" && typeof (value as Record<string, unknown>)[BYTES] === "string") {
    return new Uint8Array(Buffer.from((value as Record<string, string>)[BYTES]!, "base64"));
  }
  return value;
}

/** Whether any value inside is bytes (a Uint8Array, a Buffer): few commands carry any. */
function containsBytes(value: unknown, depth = 0): boolean {
  if (value === null || typeof value !== "object") return false;
  if (ArrayBuffer.isView(value)) return true;
  // Deeper than any command's input or answer: let the replacer look rather than guess.
  if (depth > 12) return true;
  if (Array.isArray(value)) {
    for (const item of value) if (containsBytes(item, depth + 1)) return true;
    return false;
  }
  for (const key in value) if (containsBytes((value as Record<string, unknown>)[key], depth + 1)) return true;
  return false;
}

/**
 * Like the reviver, a replacer is called back for every value and takes JSON.stringify off its fast
 * path (bench ingest: the largest share of the event loop's samples once parsing was fixed): a walk
 * over the message decides whether one is needed.
 */
export const encodeMessage = (message: ToWriter | FromWriter): string =>
  containsBytes(message) ? JSON.stringify(message, replacer) : JSON.stringify(message);
/**
 * A reviver is called back for every value of the text, which made parsing a batch's answer most of
 * the event loop's time under load (bench ingest: 60 % of it, 9.4 s in 15.7 s): only a text that
 * carries bytes pays for one.
 */
export const decodeMessage = <T extends ToWriter | FromWriter>(text: string): T =>
  (text.includes(`"${BYTES}"`) ? JSON.parse(text, reviver) : JSON.parse(text)) as T;
