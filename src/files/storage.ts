// The bytes of shared files: <data>/files/<id>, written as <id>.part while receiving and renamed only
// once complete and flushed. Upload order (see upload.ts): receive .part -> fsync -> rename -> fsync the
// directory -> commit the row. A crash therefore never leaves a row without its file; it can leave a
// stray .part or an unreferenced file, which the leftover sweep (service.ts) removes once old enough.
import { closeSync, fsyncSync, openSync, readdirSync, statSync } from "node:fs";
import { open, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import type { Logger } from "../log.ts";
import { isFileId, newFileId } from "./ids.ts";
import { detectMime, SNIFF_BYTES } from "./mime.ts";
import { watchPace, type PaceMeter } from "./upload-pace.ts";

export interface ReceivedFile {
  id: string;
  size: number;
  sha256: string;
  mime: string;
}

/** The body grew past the byte budget; the partial file is already gone. */
export class BodyTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`body exceeded ${limit} bytes`);
  }
}

/** The client went away (or the stream failed) mid-body; the partial file is already gone. */
export class BodyAborted extends Error {}

const PART = ".part";

/**
 * A .part file, or a stored file no row names, this much older than its last write is a leftover
 * (a crash between rename and commit, an upload whose process died). Well past the longest upload.
 */
export const LEFTOVER_AGE_MS = 6 * 3600_000;

export function createFileStorage(dir: string, logger: Logger) {

  const pathOf = (id: string): string => {
    // Ids come from newFileId() or from a URL validated with isFileId(); this guard keeps any other
    // string from ever becoming a path.
    if (!isFileId(id)) throw new Error("not a file id");
    return join(dir, id);
  };

  function fsyncDir(): void {
    const fd = openSync(dir, "r");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  return {
    dir,
    pathOf,

    /**
     * Streams a body into a new .part file, hashing and counting as it goes; stops reading and deletes
     * the partial file as soon as more than maxBytes arrive, or (with a meter) as soon as the body
     * falls below the minimum rate or past its deadline (BodyTooSlow, upload-pace.ts). Returns the
     * still-unpublished file.
     */
    async receive(body: ReadableStream<Uint8Array> | null, maxBytes: number, meter?: PaceMeter): Promise<ReceivedFile> {
      // The reader first: getReader() throws on a stream something else already read, and then no
      // file handle (closed only by the garbage collector, an error in Bun) or .part file is left behind.
      const reader = body?.getReader();
      const id = newFileId();
      const partPath = pathOf(id) + PART;
      const handle = await open(partPath, "wx", 0o600);
      const hasher = new Bun.CryptoHasher("sha256");
      const head = new Uint8Array(SNIFF_BYTES);
      let size = 0;
      // A body that stops sending must lose its slot even though no read ever returns.
      const watchdog = reader && meter ? watchPace(meter, () => void reader.cancel().catch(() => {})) : null;
      try {
        while (reader) {
          const read = reader.read().catch(() => {
            throw new BodyAborted("the upload stream ended early");
          });
          const chunk = await (watchdog ? Promise.race([read, watchdog.tripped]) : read);
          if (chunk.done) break;
          const bytes = chunk.value;
          // Counted on arrival: our own disk's pace must not count against the sender.
          meter?.record(bytes.byteLength, Date.now());
          if (size + bytes.byteLength > maxBytes) {
            // Stop reading at once: the rest of the body is never buffered or written.
            reader.cancel().catch(() => {});
            throw new BodyTooLarge(maxBytes);
          }
          if (size < SNIFF_BYTES) head.set(bytes.subarray(0, SNIFF_BYTES - size), size);
          hasher.update(bytes);
          for (let written = 0; written < bytes.byteLength; ) {
            written += (await handle.write(bytes, written, bytes.byteLength - written)).bytesWritten;
          }
          size += bytes.byteLength;
        }
        watchdog?.stop();
        await handle.datasync();
      } catch (error) {
        watchdog?.stop();
        await handle.close().catch(() => {});
        await rm(partPath, { force: true });
        throw error;
      }
      await handle.close();
      return { id, size, sha256: hasher.digest("hex"), mime: detectMime(head.subarray(0, Math.min(size, SNIFF_BYTES))) };
    },

    /** Moves a received file to its final name, durably. */
    async publish(id: string): Promise<void> {
      await rename(pathOf(id) + PART, pathOf(id));
      fsyncDir();
    },

    /** Removes a file's bytes (published or not); a missing file is not an error. */
    async remove(id: string): Promise<void> {
      await rm(pathOf(id), { force: true });
      await rm(pathOf(id) + PART, { force: true });
    },

    /**
     * Leftover candidates for the sweep (service.ts): .part files and stored files whose last change is
     * older than `minAgeMs`, so no upload still in flight (here or on another node) is touched.
     */
    leftoverCandidates(minAgeMs: number, now = Date.now()): { id: string; partial: boolean }[] {
      const found: { id: string; partial: boolean }[] = [];
      for (const name of readdirSync(dir)) {
        // Dot-entries are not uploads: .exports/ holds data exports (exports/service.ts).
        if (name.startsWith(".")) continue;
        const partial = name.endsWith(PART);
        const id = partial ? name.slice(0, -PART.length) : name;
        if (!isFileId(id)) {
          logger.warn("files_unexpected_entry", { name: name.slice(0, 64) });
          continue;
        }
        let changedAt: number;
        try {
          changedAt = statSync(join(dir, name)).mtimeMs;
        } catch {
          continue; // gone meanwhile
        }
        if (now - changedAt >= minAgeMs) found.push({ id, partial });
      }
      return found;
    },
  };
}

export type FileStorage = ReturnType<typeof createFileStorage>;
