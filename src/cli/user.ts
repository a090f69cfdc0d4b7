// The operator's account commands, run against the server's database: the data directory's SQLite
// file (beside a running server too, thanks to WAL) or the cluster's Postgres. Sessions a command
// ends close their sockets on a running server within seconds (ws/session-watch.ts).
import { existsSync } from "node:fs";
import { createAccounts, type Accounts } from "../accounts/accounts.ts";
import { resetPassword } from "../accounts/admin.ts";
import { generatePassword } from "../accounts/one-time-password.ts";
import { createUserAsOperator } from "../accounts/registration.ts";
import { usernameKey } from "../accounts/usernames.ts";
import { users } from "../accounts/users.ts";
import { refreshNameSkeletons } from "../accounts/name-skeletons.ts";
import type { Config } from "../config.ts";
import { databasePath, ensureDataDir } from "../db/data-dir.ts";
import { openStore } from "../db/open-store.ts";
import type { Store } from "../db/store.ts";
import { AppError } from "../errors.ts";
import { silentLogger } from "../log.ts";

type Output = { out: (text: string) => void; err: (text: string) => void };
const stdio: Output = { out: (text) => process.stdout.write(text), err: (text) => process.stderr.write(text) };

async function withAccounts(config: Config, create: boolean, io: Output, run: (accounts: Accounts) => Promise<number>): Promise<number> {
  if (config.databaseUrl === null) {
    if (!create && !existsSync(databasePath(config.dataDir))) {
      io.err(`vaultroom: no VaultRoom data in ${config.dataDir} (use --data DIR)\n`);
      return 1;
    }
    if (create) ensureDataDir(config.dataDir);
  }
  let store: Store | null = null;
  try {
    // A one-shot command: its few writes commit on the event loop, no writer thread needed.
    store = await openStore(config, { applicationName: "vaultroom-cli", writer: "loop" });
    await refreshNameSkeletons(store, silentLogger);
    // The audit table keeps the record; the CLI's own output stays readable for the operator.
    return await run(createAccounts({ store, logger: silentLogger }));
  } catch (error) {
    if (error instanceof AppError) {
      io.err(`vaultroom: ${error.message}\n`);
      return 1;
    }
    throw error;
  } finally {
    await store?.close();
  }
}

/** The first line of piped standard input, or null when stdin is a terminal or empty. */
async function passwordFromStdin(): Promise<string | null> {
  if (process.stdin.isTTY) return null;
  const text = await Bun.stdin.text();
  const line = text.split(/\r?\n/, 1)[0] ?? "";
  return line === "" ? null : line;
}

export function userCreate(config: Config, username: string, admin: boolean, io = stdio): Promise<number> {
  return withAccounts(config, true, io, async (accounts) => {
    const piped = await passwordFromStdin();
    const password = piped ?? generatePassword();
    const user = await createUserAsOperator(accounts, username, password, { isAdmin: admin, mustChangePassword: piped === null });
    io.out(`created user "${user.username}" (id ${user.id}${user.isAdmin ? ", administrator" : ""})\n`);
    if (admin !== user.isAdmin) io.out("it is the server's first account, so it is an administrator\n");
    if (piped === null) {
      io.out(`one-time password: ${password}\n`);
      io.out("it is shown only now; it must be changed at the first login\n");
    }
    return 0;
  });
}

export function userResetPassword(config: Config, username: string, io = stdio): Promise<number> {
  return withAccounts(config, false, io, async (accounts) => {
    const found = await users.findByKey(accounts.store.read, usernameKey(username));
    if (!found) {
      io.err(`vaultroom: there is no user "${username}"\n`);
      return 1;
    }
    const { user, password } = await resetPassword(accounts, null, found.id, null);
    io.out(`reset the password of "${user.username}" and ended all of its sessions\n`);
    io.out(`one-time password: ${password}\n`);
    io.out("it is shown only now; it must be changed at the next login\n");
    return 0;
  });
}

export function userList(config: Config, io = stdio): Promise<number> {
  return withAccounts(config, false, io, async (accounts) => {
    const list = await users.list(accounts.store.read);
    const when = (ms: number | null) => (ms === null ? "never" : new Date(ms).toISOString().slice(0, 16).replace("T", " "));
    const rows = [
      ["ID", "USERNAME", "ROLE", "STATUS", "CREATED", "LAST SEEN"],
      ...list.map((u) => [
        String(u.id),
        u.username,
        u.isAdmin ? "admin" : "user",
        u.disabled ? "disabled" : u.mustChangePassword ? "must-change-password" : "active",
        when(u.createdAt),
        when(u.lastSeenAt),
      ]),
    ];
    const widths = rows[0]!.map((_, col) => Math.max(...rows.map((row) => [...row[col]!].length)));
    for (const row of rows) io.out(row.map((cell, col) => cell + " ".repeat(widths[col]! - [...cell].length)).join("  ").trimEnd() + "\n");
    if (list.length === 0) io.out("(no users yet)\n");
    return 0;
  });
}
