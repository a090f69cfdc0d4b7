// The JSON shapes of the files API. The web client imports these as types (`import type`), so this
// file holds types only and imports nothing at run time.

/** GET /api/files/usage: my storage. */
export interface StorageUsage {
  usedBytes: number;
  quotaBytes: number;
  maxUploadBytes: number;
}

export interface UserStorage {
  userId: number;
  username: string;
  displayName: string | null;
  files: number;
  usedBytes: number;
}

/** GET /api/admin/storage (and the answer to PUT /api/admin/storage/quota). */
export interface StorageReport {
  totalBytes: number;
  files: number;
  /** The quota every user has now. */
  quotaBytes: number;
  /** "setting" when an admin set it at run time, "config" for the --user-quota default. */
  quotaSource: "setting" | "config";
  defaultQuotaBytes: number;
  maxUploadBytes: number;
  /** Every active user (and any deleted one still holding files), most storage first. */
  users: UserStorage[];
}

/** PUT /api/admin/storage/quota body; null returns to the --user-quota default. */
export interface QuotaBody {
  quotaBytes: number | null;
}
