// Server settings kept in the settings table (key/value).
import { sql } from "../db/query.ts";
import type { Conn, Tx } from "../db/store.ts";
import type { RegistrationMode } from "./types.ts";

export const REGISTRATION_MODES: readonly RegistrationMode[] = ["open", "invite", "closed"];

const q = {
  read: sql<{ value: string }, [string]>("SELECT value FROM settings WHERE key = ?"),
  write: sql<never, [string, string]>("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value"),
  clear: sql<never, [string]>("DELETE FROM settings WHERE key = ?"),
};

export const settings = {
  get: async (db: Conn, key: string): Promise<string | null> => (await db.get(q.read, key))?.value ?? null,
  set: async (tx: Tx, key: string, value: string): Promise<void> => void (await tx.run(q.write, key, value)),
  clear: async (tx: Tx, key: string): Promise<void> => void (await tx.run(q.clear, key)),

  async registrationMode(db: Conn): Promise<RegistrationMode> {
    const mode = (await settings.get(db, "registration_mode")) as RegistrationMode | null;
    // A damaged value fails closed rather than open.
    return mode && REGISTRATION_MODES.includes(mode) ? mode : "closed";
  },
};
