// Server settings kept in the settings table (key/value).
import type { Database } from "bun:sqlite";
import type { RegistrationMode } from "./types.ts";

export const REGISTRATION_MODES: readonly RegistrationMode[] = ["open", "invite", "closed"];

export function createSettingsStore(db: Database) {
  const read = db.query("SELECT value FROM settings WHERE key = ?");
  const write = db.query(
    "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
  );
  return {
    registrationMode(): RegistrationMode {
      const row = read.get("registration_mode") as { value: string } | null;
      const mode = row?.value as RegistrationMode | undefined;
      // A damaged value fails closed rather than open.
      return mode && REGISTRATION_MODES.includes(mode) ? mode : "closed";
    },
    setRegistrationMode(mode: RegistrationMode): void {
      write.run("registration_mode", mode);
    },
  };
}

export type SettingsStore = ReturnType<typeof createSettingsStore>;
