import { existsSync, lstatSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { DATABASE_NAME, FILES_DIR, SECRETS_NAME } from "./archive-format.ts";
import { listStoredFiles } from "./data-files.ts";
import type { Findings } from "./doctor.ts";

const MAX_LISTED = 10;

/**
 * The data directory and everything secret in it must be private to the server's user: directories
 * 0700, files 0600 (stricter is fine). Group or world access to any of them is a problem.
 */
export function checkPermissions(dataDir: string, certsDir: string, findings: Findings): void {
  let exposed = 0;
  const check = (path: string, label: string, kind: "directory" | "file") => {
    if (!existsSync(path)) return;
    const stat = lstatSync(path);
    if (stat.isSymbolicLink()) {
      findings.problem(`${label} is a symbolic link; VaultRoom expects a real ${kind} here`);
      exposed++;
      return;
    }
    const mode = stat.mode & 0o777;
    if ((mode & 0o077) !== 0) {
      const wanted = kind === "directory" ? "700" : "600";
      findings.problem(`${label} has mode ${mode.toString(8)}: other users can ${kind === "directory" ? "look inside" : "read it"}. Run: chmod ${wanted} ${path}`);
      exposed++;
    }
    const uid = process.getuid?.();
    if (uid !== undefined && uid !== 0 && stat.uid !== uid) {
      findings.warning(`${label} belongs to user id ${stat.uid}, not to the user running this (${uid})`);
    }
  };

  check(dataDir, `the data directory ${dataDir}`, "directory");
  check(join(dataDir, FILES_DIR), `${FILES_DIR}/`, "directory");
  for (const name of [DATABASE_NAME, `${DATABASE_NAME}-wal`, `${DATABASE_NAME}-shm`, SECRETS_NAME]) {
    check(join(dataDir, name), name, "file");
  }
  check(join(certsDir, "key.pem"), `the TLS private key ${join(certsDir, "key.pem")}`, "file");
  check(join(certsDir, "acme"), `the ACME directory ${join(certsDir, "acme")}`, "directory");
  for (const name of ["key.pem", "account-key.pem"]) check(join(certsDir, "acme", name), `the ACME private key ${join(certsDir, "acme", name)}`, "file");

  const open = listStoredFiles(dataDir).files.filter((file) => (file.mode & 0o077) !== 0);
  for (const file of open.slice(0, MAX_LISTED)) {
    findings.problem(`${file.path} has mode ${(file.mode & 0o777).toString(8)}: other users can read it. Run: chmod 600 ${file.absolute}`);
  }
  if (open.length > MAX_LISTED) findings.problem(`${open.length - MAX_LISTED} more stored files can be read by other users`);
  exposed += open.length;
  if (exposed === 0) findings.ok("the data directory, database, secrets and stored files are private to their owner");

  for (const name of readdirSync(dataDir)) {
    if (/^\.(backup|restore)-[0-9a-f]+$/.test(name)) {
      findings.warning(`${name} was left by an interrupted backup or restore; it is safe to delete: rm -r ${join(dataDir, name)}`);
    }
  }
}
