// The per-user storage quota: an admin may set it at run time (settings 'user_quota_bytes'); without
// that row the --user-quota default applies. One server-wide value, counted over the files a user
// uploaded that still exist (a deleted message's file stops counting in the same commit).
import { appendAudit } from "../accounts/audit.ts";
import { settings } from "../accounts/settings.ts";
import { command, type Conn } from "../db/store.ts";

export const QUOTA_SETTING = "user_quota_bytes";
/** Upper bound an admin may set: well past any disk, still a safe integer. */
export const MAX_QUOTA_BYTES = 2 ** 50;

export interface QuotaSetting {
  bytes: number;
  source: "setting" | "config";
}

export async function currentQuota(db: Conn, configDefault: number): Promise<QuotaSetting> {
  const value = await settings.get(db, QUOTA_SETTING);
  const bytes = value === null ? NaN : Number(value);
  // A hand-edited or corrupt value must not lock everyone out: fall back to the configured default.
  if (Number.isSafeInteger(bytes) && bytes >= 0) return { bytes, source: "setting" };
  return { bytes: configDefault, source: "config" };
}

/** Sets the quota, or with null returns to the configured default; audited. */
export const setQuota = command(
  "files.setQuota",
  async (tx, input: { bytes: number | null; configDefault: number; actorId: number; ip: string }): Promise<QuotaSetting> => {
    const before = await currentQuota(tx, input.configDefault);
    if (input.bytes === null) await settings.clear(tx, QUOTA_SETTING);
    else await settings.set(tx, QUOTA_SETTING, String(input.bytes));
    const after = await currentQuota(tx, input.configDefault);
    await appendAudit(tx, "storage_quota_changed", { actorId: input.actorId, ip: input.ip, detail: { from: before.bytes, to: after.bytes, source: after.source } });
    return after;
  },
);
