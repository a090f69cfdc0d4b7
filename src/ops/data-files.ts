// What lives in a data directory, and the small file-system steps that make writes durable.
import { closeSync, fsyncSync, lstatSync, openSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { FILES_DIR } from "./archive-format.ts";
import { PARTIAL_UPLOAD_SUFFIX } from "./stored-files.ts";

export interface StoredFile {
  /** Relative to the data directory, with forward slashes: "files/abc". */
  path: string;
  absolute: string;
  size: number;
  mode: number;
}

export interface FilesListing {
  files: StoredFile[];
  /** Things under files/ that are neither regular files nor directories (symlinks, sockets...). */
  skipped: string[];
}

/**
 * Every regular file under <data>/files/, sorted by path, except uploads still being received
 * (<id>.part, renamed into place when complete) and dot-files. Symlinks are never followed: a link
 * could point outside the data directory.
 */
export function listStoredFiles(dataDir: string, filesDir = join(dataDir, FILES_DIR)): FilesListing {
  const files: StoredFile[] = [];
  const skipped: string[] = [];
  // Paths are named as in an archive ("files/…") wherever the directory really is (--files).
  const onDisk = (relative: string) => join(filesDir, relative.slice(FILES_DIR.length));
  const walk = (relative: string) => {
    const absoluteDir = onDisk(relative);
    let names: string[];
    try {
      names = readdirSync(absoluteDir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
      throw error;
    }
    for (const name of names.sort()) {
      if (name.startsWith(".") || name.endsWith(PARTIAL_UPLOAD_SUFFIX)) continue;
      const path = `${relative}/${name}`;
      const absolute = onDisk(path);
      let stat;
      try {
        stat = lstatSync(absolute);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") continue; // deleted while we looked
        throw error;
      }
      if (stat.isDirectory()) walk(path);
      else if (stat.isFile()) files.push({ path, absolute, size: stat.size, mode: stat.mode });
      else skipped.push(path);
    }
  };
  walk(FILES_DIR);
  return { files, skipped };
}

/** fsync a directory so a rename or a new entry in it survives a power cut. */
export function fsyncDirectory(path: string): void {
  const fd = openSync(path, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export function randomSuffix(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(6))).toString("hex");
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}
