// Writes the backup archive as a stream: tar entries -> (age encryption) -> a 0600 file created
// exclusively under a temporary name. Nothing is buffered whole, whatever the size of the data.
import { closeSync, createReadStream, createWriteStream, fstatSync, fsyncSync, openSync } from "node:fs";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import tar from "tar-stream";
import { MANIFEST_NAME, type Manifest, type ManifestEntry } from "./archive-format.ts";
import { encryptStream } from "./encryption.ts";
import { OpsError } from "./ops-error.ts";

export type Append = (name: string, absolute: string) => Promise<ManifestEntry | null>;

/**
 * Streams a tar (optionally age-encrypted) into `partial` (0600, created exclusively), fsyncs it.
 * `fill` appends the entries and returns the manifest, which goes in last.
 */
export async function writeArchive(partial: string, passphrase: string | null, fill: (append: Append) => Promise<Manifest>): Promise<void> {
  const pack = tar.pack();
  const bytes =
    passphrase === null
      ? pack
      : Readable.fromWeb((await encryptStream(pack as AsyncIterable<Uint8Array>, passphrase)) as unknown as NodeReadableStream);
  const consumer = pipeline(bytes, createWriteStream(partial, { flags: "wx", mode: 0o600 }));
  // A write failure (disk full, say) stops the producer too; its own error is the one worth reporting.
  let writeError: unknown = null;
  consumer.catch((error: unknown) => {
    writeError = error;
    pack.destroy(new Error("the backup file could not be written"));
  });
  try {
    const manifest = await fill((name, absolute) => appendFile(pack, name, absolute));
    const body = Buffer.from(JSON.stringify(manifest, null, 2) + "\n");
    await new Promise<void>((resolve, reject) =>
      pack.entry({ name: MANIFEST_NAME, size: body.length, mode: 0o600, type: "file" }, body, (error) => (error ? reject(error) : resolve())),
    );
    pack.finalize();
  } catch (error) {
    pack.destroy(error as Error);
    await consumer.catch(() => {});
    throw writeError ?? error;
  }
  await consumer;
  const fd = openSync(partial, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Appends one file while hashing it. The file is opened first: if it is gone, it is skipped before
 * its header is written; once open, a concurrent delete cannot take the bytes away.
 */
async function appendFile(pack: tar.Pack, name: string, absolute: string): Promise<ManifestEntry | null> {
  let fd: number;
  try {
    fd = openSync(absolute, "r");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
  const { size, mtime } = fstatSync(fd);
  const hash = new Bun.CryptoHasher("sha256");
  let copied = 0;
  const hashing = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      copied += chunk.length;
      done(null, chunk);
    },
  });
  // Read exactly the size recorded in the header; stored files are immutable once renamed into place.
  const source = size === 0 ? (closeSync(fd), Readable.from([])) : createReadStream("", { fd, start: 0, end: size - 1 });
  const entry = pack.entry({ name, size, mode: 0o600, mtime, type: "file" });
  try {
    await pipeline(source, hashing, entry);
  } catch (error) {
    if (copied !== size) throw new OpsError(`${name} changed while the backup ran; run the backup again`, 1);
    throw error;
  }
  return { path: name, size, sha256: hash.digest("hex") };
}
