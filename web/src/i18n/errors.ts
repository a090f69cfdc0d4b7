// Turns an API error into interface text: a known error code has a catalogue entry in each
// language; an unknown one shows the server's own human message, else a generic line.
import { DISPLAY_NAME_MAX, PASSWORD_MAX, PASSWORD_MIN, USERNAME_MAX, USERNAME_MIN } from "../api/account-limits.ts";
import { ApiError } from "../api/http.ts";
import { MAX_DM_PARTICIPANTS, MAX_PINS_PER_ROOM } from "../chat/protocol.ts";
import { en, type MessageKey } from "./en.ts";
import { t, tn } from "./index.ts";

/** The limits some refusals state ("at most {displayNameMax} characters"), from where each is defined. */
const LIMITS = {
  usernameMin: USERNAME_MIN,
  usernameMax: USERNAME_MAX,
  displayNameMax: DISPLAY_NAME_MAX,
  passwordMin: PASSWORD_MIN,
  passwordMax: PASSWORD_MAX,
  dmParticipantsMax: MAX_DM_PARTICIPANTS,
  pinsMax: MAX_PINS_PER_ROOM,
};

export function errorText(error: unknown): string {
  if (!(error instanceof ApiError)) return t("error.generic");
  if (error.code === "network") return t("error.network");
  if (error.code === "rate_limited") return error.retryAfter ? tn("error.rateLimitedFor", error.retryAfter) : t("error.rate_limited");
  const key = `error.${error.code}` as MessageKey;
  if (key in en) return t(key, LIMITS);
  if (error.message) return error.message;
  return error.status >= 500 ? t("error.server") : t("error.generic");
}
