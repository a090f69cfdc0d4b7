// What a proper answer to hostile input looks like. HTTP: never a 5xx; a 4xx is exactly
// `{ error, message }` JSON (so no schema, stack or echoed body can ride along). Socket: an `error`
// event with a known code and a plain message, or a close with 1009 for an oversized frame.
import type { ErrorCode } from "../../src/protocol.ts";

// Every code the socket may send. ErrorCode is the closed set of HTTP and socket codes together, so
// every code is classified here as one the socket may send or as HTTP-only, checked against the type
// both ways: a new code fails to compile until it is put in one list (and in only one).
export const SOCKET_ERROR_CODES = [
  "invalid_json", "invalid_request", "unknown_type", "unauthorized", "room_not_found", "message_not_found",
  "user_not_found", "room_archived", "not_allowed", "cannot_leave_dm", "too_many_participants", "client_id_reused",
  "rate_limited", "shutting_down", "internal_error", "payload_too_large", "quota_exceeded", "too_many_uploads",
  "upload_aborted", "upload_too_slow", "storage_full", "file_not_found", "file_missing", "too_many_rooms",
  // A store that cannot reach its database (Postgres down) refuses any request, socket frames included.
  "database_unavailable",
  // Reactions and pins (issue 11).
  "invalid_emoji", "too_many_reactions", "too_many_pins",
  // @room refused (issue 12): a post or an edit over the socket.
  "mention_room_not_allowed", "mention_room_too_large",
  // Consent and several files per message (issue 21 §4, issue 19): a blocked DM, a tray's uploads.
  "not_accepting", "too_many_attachments", "upload_not_found",
  // A banned user's room.join (moderation, issue 17).
  "banned_from_room",
] as const satisfies readonly ErrorCode[];
/** Codes only HTTP routes give (accounts, admin, the upgrade itself); never an `error` event. */
export const HTTP_ONLY_ERROR_CODES = [
  "invalid_body", "not_found", "bad_origin", "websocket_expected", "server_busy", "invalid_credentials", "account_disabled",
  "admin_only", "password_change_required", "wrong_password", "password_too_short", "password_too_long", "password_is_username",
  "password_too_common", "password_unchanged", "username_taken", "username_confusable", "username_length", "username_characters",
  "username_invisible_characters", "display_name_length", "display_name_invisible_characters", "registration_closed",
  "invite_required", "invite_invalid", "invite_expired", "invite_used_up", "invite_not_found", "session_not_found", "last_admin",
  "cannot_disable_self", "use_account_settings", "too_many_connections", "multipart_not_supported",
  "username_reserved", "display_name_reserved", "display_name_confusable",
  "search_query_too_long", "search_too_many_terms", "search_empty_query", "search_invalid_filter", "search_too_broad",
  "push_endpoint_refused",
  "too_many_invitations", "request_not_found", "cannot_block_self", "setup_done",
  "second_factor_enrolment_required", "second_factor_expired", "invalid_code", "reauth_required", "totp_already_enabled",
  "totp_not_enabled", "totp_setup_missing", "passkey_not_found", "passkey_failed", "reset_link_invalid", "export_not_found",
  "export_too_soon",
  "report_not_found", "user_banned",
] as const satisfies readonly ErrorCode[];
type SocketCode = (typeof SOCKET_ERROR_CODES)[number];
type HttpOnlyCode = (typeof HTTP_ONLY_ERROR_CODES)[number];
const everyCodeClassified: [Exclude<ErrorCode, SocketCode | HttpOnlyCode>] extends [never] ? true : false = true;
const noCodeInBoth: [Extract<SocketCode, HttpOnlyCode>] extends [never] ? true : false = true;
void everyCodeClassified;
void noCodeInBoth;

// A stack frame ("at fn (file.ts:1:2)"), a source path, or the words a schema dump is made of.
const LEAKS = [/\bat \S+ \(/, /\.(?:ts|js|mjs|tsx):\d+/, /node_modules/, /\/work\/|\/src\//, /"(?:anyOf|properties|\$id|schema|expected)"\s*:/i, /TypeBox|ValidationError|RangeError|TypeError|SQLITE/];

export class ImproperAnswer extends Error {}

function leakIn(text: string): RegExp | undefined {
  return LEAKS.find((pattern) => pattern.test(text));
}

/**
 * Reads `response` and throws ImproperAnswer unless it is a proper answer. `what` names the request
 * in the failure (fast-check shows the shrunk input besides).
 */
export async function expectProperHttpAnswer(response: Response, what: string): Promise<{ status: number; body: unknown }> {
  const text = await response.text();
  const status = response.status;
  const fail = (why: string): never => {
    throw new ImproperAnswer(`${what} -> ${status} ${why}: ${text.slice(0, 300)}`);
  };
  if (status >= 500) fail("server error");
  const leak = status >= 400 ? leakIn(text) : undefined;
  if (leak) fail(`leaks ${leak}`);
  if (status < 400) {
    if (text === "" || !(response.headers.get("content-type") ?? "").includes("json")) return { status, body: text };
    try {
      return { status, body: JSON.parse(text) };
    } catch {
      return fail("success answer is not JSON");
    }
  }
  if (!(response.headers.get("content-type") ?? "").startsWith("application/json")) fail("error is not JSON");
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return fail("error body does not parse");
  }
  const keys = body && typeof body === "object" ? Object.keys(body).sort().join(",") : "";
  if (keys !== "error,message") fail("error body is not exactly { error, message }");
  const { error, message } = body as { error: unknown; message: unknown };
  if (typeof error !== "string" || !/^[a-z][a-z0-9_]*$/.test(error)) fail("error code is not a stable code");
  if (typeof message !== "string" || message.length === 0 || message.length > 300) fail("message is missing or too long");
  return { status, body };
}

/** Throws unless a socket event that answers hostile input is an ack or a proper error event. */
export function expectProperSocketEvent(event: unknown, what: string): void {
  const fail = (why: string): never => {
    throw new ImproperAnswer(`${what} -> ${why}: ${JSON.stringify(event)?.slice(0, 300)}`);
  };
  if (!event || typeof event !== "object") fail("event is not an object");
  const { type, code, message } = event as { type?: unknown; code?: unknown; message?: unknown };
  if (type !== "error") return;
  if (!(SOCKET_ERROR_CODES as readonly unknown[]).includes(code)) fail("unknown error code");
  if (code === "internal_error") fail("internal error");
  if (typeof message !== "string" || message.length === 0 || message.length > 300) fail("message is missing or too long");
  const leak = leakIn(message as string);
  if (leak) fail(`leaks ${leak}`);
}
