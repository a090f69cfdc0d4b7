// Reads a backup archive as a stream into a staging directory: only the names and entry types a
// VaultRoom backup contains are accepted, each file is created exclusively (0600) and hashed as it
// is written, and the manifest is kept for the caller to check the hashes against.
import { closeSync, createWriteStream, fsyncSync, mkdirSync, openSync } from "node:fs";
import { dirname, join } from "node:path";
import { Transform, type Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import tar from "tar-stream";
import { FILES_DIR, MANIFEST_NAME, MAX_MANIFEST_BYTES, isAllowedEntryPath, parseManifest, type Manifest } from "./archive-format.ts";
import { OpsError } from "./ops-error.ts";

export interface Written {
  size: number;
  sha256: string;
}

export async function unpack(input: Readable, staging: string): Promise<{ written: Map<string, Written>; manifest: Manifest }> {
  const extract = tar.extract();
  const feeding = pipeline(input, extract);
  feeding.catch(() => {}); // observed below; a refusal in the loop must not also surface as unhandled
  const written = new Map<string, Written>();
  let manifestText: string | null = null;
  try {
    for await (const entry of extract) {
      const name = (entry.header.name ?? "").replace(/\/+$/, "");
      const type = entry.header.type;
      if (type === "directory") {
        if (name !== FILES_DIR && !isAllowedEntryPath(name)) throw unexpected(name);
        mkdirSync(join(staging, name), { recursive: true, mode: 0o700 });
        entry.resume();
        continue;
      }
      if (type !== "file") {
        throw new OpsError(`the backup holds "${name}" of type ${type}, which VaultRoom never writes: refusing it`, 1);
      }
      if (name === MANIFEST_NAME) {
        if (manifestText !== null) throw new OpsError("the backup holds two manifests: refusing it", 1);
        manifestText = await readSmall(entry, MAX_MANIFEST_BYTES);
        continue;
      }
      if (!isAllowedEntryPath(name)) throw unexpected(name);
      if (written.has(name)) throw new OpsError(`the backup holds "${name}" twice: refusing it`, 1);
      written.set(name, await writeEntry(entry, join(staging, name)));
    }
    await feeding;
  } catch (error) {
    extract.destroy();
    input.destroy();
    if (error instanceof OpsError) throw error;
    throw new OpsError(`the backup is damaged or incomplete (${describe(error)})`, 1);
  }
  if (manifestText === null) throw new OpsError("the backup has no manifest: it is damaged or not a VaultRoom backup", 1);
  return { written, manifest: parseManifest(manifestText) };
}

function unexpected(name: string): OpsError {
  return new OpsError(`the backup holds an unexpected entry ${JSON.stringify(name)}: refusing it`, 1);
}

async function readSmall(entry: AsyncIterable<unknown>, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of entry) {
    total += (chunk as Buffer).length;
    if (total > limit) throw new OpsError("the backup's manifest is implausibly large: refusing it", 1);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

async function writeEntry(entry: AsyncIterable<unknown>, destination: string): Promise<Written> {
  mkdirSync(dirname(destination), { recursive: true, mode: 0o700 });
  const hash = new Bun.CryptoHasher("sha256");
  let size = 0;
  const hashing = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      size += chunk.length;
      done(null, chunk);
    },
  });
  await pipeline(entry, hashing, createWriteStream(destination, { flags: "wx", mode: 0o600 }));
  // On disk before the restore reports success, not merely in the page cache.
  const fd = openSync(destination, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return { size, sha256: hash.digest("hex") };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
