// Writes an export into a zip with yazl, streaming: JSON documents and message lists go to temporary
// files first (a room's history is written page by page, never held whole in memory), stored files
// are read from disk as the zip is written, and the zip gets ZIP64 records when it needs them.
import { createWriteStream, mkdirSync, rmSync, type WriteStream } from "node:fs";
import { open } from "node:fs/promises";
import { finished } from "node:stream/promises";
import { join } from "node:path";
import { ZipFile } from "yazl";
import type { ExportSink, ListWriter } from "./export-content.ts";

export interface ZipSink extends ExportSink {
  /** Finishes the zip; resolves once every byte is on disk. */
  finish(): Promise<void>;
  /** Drops the temporary files (after finish, or on failure). */
  cleanUp(): void;
}

export function createZipSink(options: { zipPath: string; tempDir: string; storedPath: (fileId: string) => string; onProgress: (done: number, total: number) => Promise<void> }): ZipSink {
  mkdirSync(options.tempDir, { recursive: true, mode: 0o700 });
  const zip = new ZipFile();
  const out: WriteStream = createWriteStream(options.zipPath, { mode: 0o600, flags: "wx" });
  zip.outputStream.pipe(out);
  // yazl reports a stored file it cannot read (gone from the disk: its message was deleted while the
  // export ran, say) as an 'error' event; unheard, that event is thrown and ends the whole server. It
  // ends this zip instead, so finish() rejects and the export is marked failed.
  let failure: Error | null = null;
  out.on("error", (error) => void (failure ??= error));
  zip.on("error", (error: Error) => out.destroy(error));
  let temp = 0;
  const mtime = new Date();
  const tempPath = () => join(options.tempDir, `${++temp}.json`);

  return {
    async document(path, value) {
      zip.addBuffer(Buffer.from(JSON.stringify(value, null, 2) + "\n"), path, { mtime });
    },
    async list(path): Promise<ListWriter> {
      const file = tempPath();
      const handle = await open(file, "wx", 0o600);
      let first = true;
      await handle.write("[");
      return {
        async push(item) {
          await handle.write(`${first ? "\n  " : ",\n  "}${JSON.stringify(item)}`);
          first = false;
        },
        async close() {
          await handle.write(first ? "]\n" : "\n]\n");
          await handle.close();
          zip.addFile(file, path, { mtime });
        },
      };
    },
    async storedFile(path, fileId) {
      // Stored files are compressed already more often than not: kept as they are.
      zip.addFile(options.storedPath(fileId), path, { compress: false, mtime });
    },
    progress: options.onProgress,
    async finish() {
      if (failure) throw failure;
      zip.end();
      await finished(out);
    },
    cleanUp() {
      rmSync(options.tempDir, { recursive: true, force: true });
    },
  };
}
