// Part of the real-time protocol (src/protocol.ts re-exports every part). Error codes: the one
// typed set every refusal uses, over the socket and HTTP alike. Types and plain constants only,
// importing nothing but the other parts, so web/ can import it.

export type ErrorCode =
  // Requests and frames.
  | "invalid_json"
  | "invalid_body"
  | "invalid_request"
  | "unknown_type"
  | "not_found"
  | "bad_origin"
  | "websocket_expected"
  | "rate_limited"
  | "server_busy"
  | "shutting_down"
  | "database_unavailable"
  | "internal_error"
  // Accounts and sessions.
  | "unauthorized"
  | "invalid_credentials"
  | "account_disabled"
  | "admin_only"
  | "password_change_required"
  | "wrong_password"
  | "password_too_short"
  | "password_too_long"
  | "password_is_username"
  | "password_too_common"
  | "password_unchanged"
  | "username_taken"
  | "username_confusable"
  | "username_length"
  | "username_characters"
  | "username_invisible_characters"
  | "display_name_length"
  | "display_name_invisible_characters"
  | "registration_closed"
  | "invite_required"
  | "invite_invalid"
  | "invite_expired"
  | "invite_used_up"
  | "invite_not_found"
  | "session_not_found"
  | "last_admin"
  | "cannot_disable_self"
  | "use_account_settings"
  | "too_many_connections"
  // Rooms, DMs and messages.
  | "room_not_found"
  | "message_not_found"
  | "user_not_found"
  | "room_archived"
  | "not_allowed"
  | "cannot_leave_dm"
  | "too_many_participants"
  | "too_many_rooms"
  | "client_id_reused"
  | "invalid_emoji"
  | "too_many_reactions"
  | "too_many_pins"
  // Mentions and notifications.
  | "mention_room_not_allowed"
  | "mention_room_too_large"
  | "push_endpoint_refused"
  // Consent (issue 21 §4): invitations, requests and blocks.
  | "not_accepting"
  | "too_many_invitations"
  | "request_not_found"
  | "cannot_block_self"
  // Several files in one message (issue 19).
  | "too_many_attachments"
  | "upload_not_found"
  // First run (issue 19).
  | "setup_done"
  // Files (HTTP only): upload refusals and downloads.
  | "payload_too_large"
  | "multipart_not_supported"
  | "quota_exceeded"
  | "too_many_uploads"
  | "upload_aborted"
  | "upload_too_slow"
  | "storage_full"
  | "file_not_found"
  | "file_missing"
  // Names (HTTP only): one person may not pass for another or for the system.
  | "username_reserved"
  | "display_name_reserved"
  | "display_name_confusable"
  // Search (HTTP only).
  | "search_query_too_long"
  | "search_too_many_terms"
  | "search_empty_query"
  | "search_invalid_filter"
  | "search_too_broad"
  // Two-factor sign-in, passkeys, re-authentication, reset links, exports (HTTP only).
  | "second_factor_enrolment_required"
  | "second_factor_expired"
  | "invalid_code"
  | "reauth_required"
  | "totp_already_enabled"
  | "totp_not_enabled"
  | "totp_setup_missing"
  | "passkey_not_found"
  | "passkey_failed"
  | "reset_link_invalid"
  | "export_not_found"
  | "export_too_soon"
  // Moderation (issue 17).
  | "report_not_found"
  | "banned_from_room"
  | "user_banned";

/** Every ErrorCode, for the translation catalogue test and the API description. */
export const ERROR_CODES = [
  "invalid_json", "invalid_body", "invalid_request", "unknown_type", "not_found", "bad_origin", "websocket_expected",
  "rate_limited", "server_busy", "shutting_down", "database_unavailable", "internal_error", "unauthorized",
  "invalid_credentials", "account_disabled", "admin_only", "password_change_required", "wrong_password",
  "password_too_short", "password_too_long", "password_is_username", "password_too_common", "password_unchanged",
  "username_taken", "username_confusable", "username_length", "username_characters", "username_invisible_characters",
  "display_name_length", "display_name_invisible_characters", "registration_closed", "invite_required", "invite_invalid",
  "invite_expired", "invite_used_up", "invite_not_found", "session_not_found", "last_admin", "cannot_disable_self",
  "use_account_settings", "too_many_connections", "room_not_found", "message_not_found", "user_not_found", "room_archived",
  "not_allowed", "cannot_leave_dm", "too_many_participants", "too_many_rooms", "client_id_reused", "invalid_emoji", "too_many_reactions", "too_many_pins", "payload_too_large",
  "multipart_not_supported", "quota_exceeded", "too_many_uploads", "upload_aborted", "storage_full", "file_not_found",
  "file_missing", "upload_too_slow", "username_reserved", "display_name_reserved", "display_name_confusable",
  "search_query_too_long", "search_too_many_terms", "search_empty_query", "search_invalid_filter", "search_too_broad",
  "mention_room_not_allowed", "mention_room_too_large", "push_endpoint_refused",
  "second_factor_enrolment_required", "second_factor_expired", "invalid_code", "reauth_required", "totp_already_enabled",
  "totp_not_enabled", "totp_setup_missing", "passkey_not_found", "passkey_failed", "reset_link_invalid", "export_not_found",
  "export_too_soon",
  "report_not_found", "banned_from_room", "user_banned",
  "not_accepting", "too_many_invitations", "request_not_found", "cannot_block_self", "too_many_attachments", "upload_not_found",
  "setup_done",
] as const satisfies readonly ErrorCode[];

// Fails to compile when ERROR_CODES misses a code of the union.
type MissingCodes = Exclude<ErrorCode, (typeof ERROR_CODES)[number]>;
const allCodesListed: [MissingCodes] extends [never] ? true : MissingCodes = true;
void allCodesListed;
