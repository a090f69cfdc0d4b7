// Turns an API error into interface text: a known error code has a catalogue entry in each
// language; an unknown one shows the server's own human message, else a generic line.
import { ApiError } from "../api/http.ts";
import { en, type MessageKey } from "./en.ts";
import { t, tn } from "./index.ts";

export function errorText(error: unknown): string {
  if (!(error instanceof ApiError)) return t("error.generic");
  if (error.code === "network") return t("error.network");
  if (error.code === "rate_limited") return error.retryAfter ? tn("error.rateLimitedFor", error.retryAfter) : t("error.rate_limited");
  const key = `error.${error.code}` as MessageKey;
  if (key in en) return t(key);
  if (error.message) return error.message;
  return error.status >= 500 ? t("error.server") : t("error.generic");
}
