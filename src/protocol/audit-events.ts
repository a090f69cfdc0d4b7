// What the audit log records: one closed set, so the server cannot write an entry the dashboard has
// no words for (test/web/i18n/audit-catalogue.test.ts checks both languages name every event).
// Entries written by an older version keep their name; the dashboard shows an unknown one as is.

export const AUDIT_EVENTS = [
  // Sign-in and its refusals.
  "login_succeeded",
  "reauthenticated",
  "logout",
  "login_failed",
  "login_refused",
  "login_locked_out",
  "second_factor_failed",
  "recovery_code_used",
  "rate_limited",
  "origin_rejected",
  // Accounts.
  "user_registered",
  "user_created",
  "user_disabled",
  "user_enabled",
  "user_removed_from_rooms",
  "admin_granted",
  "admin_revoked",
  "account_deleted",
  "password_changed",
  "password_reset_link_created",
  "password_reset_used",
  "session_revoked",
  "totp_enabled",
  "totp_disabled",
  "recovery_codes_regenerated",
  "second_factors_reset",
  "passkey_added",
  "passkey_removed",
  // Invitations and the server's settings.
  "invite_created",
  "invite_revoked",
  "setup_completed",
  "setup_skipped",
  "server_name_changed",
  "registration_mode_changed",
  "second_factor_policy_changed",
  "retention_changed",
  "storage_quota_changed",
  // Moderation and data.
  "message_deleted",
  "message_reported",
  "report_resolved",
  "room_ban",
  "room_unban",
  "export_requested",
  "export_made",
  "export_downloaded",
  // The log itself.
  "audit_pruned",
] as const;

export type AuditEvent = (typeof AUDIT_EVENTS)[number];
