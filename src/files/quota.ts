// The per-user storage quota: an admin may set it at run time (settings 'user_quota_bytes'); without
// that row the --user-quota default applies. One server-wide value, counted over the files a user
// uploaded that still exist (a deleted message's file stops counting in the same commit).
import type { Database } from "bun:sqlite";

export const QUOTA_SETTING = "user_quota_bytes";
/** Upper bound an admin may set: well past any disk, still a safe integer. */
export const MAX_QUOTA_BYTES = 2 ** 50;

export interface QuotaSetting {
  bytes: number;
  source: "setting" | "config";
}

export function createQuota(db: Database, configDefault: number) {
  const read = db.query("SELECT value FROM settings WHERE key = ?");
  const write = db.query(
    "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
  );
  const clear = db.query("DELETE FROM settings WHERE key = ?");

  return {
    current(): QuotaSetting {
      const row = read.get(QUOTA_SETTING) as { value: string } | null;
      const bytes = row ? Number(row.value) : NaN;
      // A hand-edited or corrupt value must not lock everyone out: fall back to the configured default.
      if (Number.isSafeInteger(bytes) && bytes >= 0) return { bytes, source: "setting" };
      return { bytes: configDefault, source: "config" };
    },
    /** Sets the quota, or with null returns to the configured default. */
    set(bytes: number | null): QuotaSetting {
      if (bytes === null) clear.run(QUOTA_SETTING);
      else write.run(QUOTA_SETTING, String(bytes));
      return this.current();
    },
  };
}

export type Quota = ReturnType<typeof createQuota>;
