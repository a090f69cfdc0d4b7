// TOTP (RFC 6238) with the parameters every authenticator app understands: SHA-1, 6 digits, 30 s
// steps, and ±1 step of tolerance for clocks and typing. A code is accepted once: the caller stores
// the step it matched (totp_secrets.last_step) and only a later step is accepted after it, so a code
// seen over a shoulder or replayed from a log is worthless.
import { Secret, TOTP } from "otpauth";

export const TOTP_PERIOD_S = 30;
export const TOTP_WINDOW = 1;
/** The issuer an authenticator app shows when the server has no name of its own. */
const DEFAULT_ISSUER = "VaultRoom";

/** A fresh 160-bit secret (RFC 4226's recommended length). */
export function newTotpSecret(): Uint8Array {
  return new Uint8Array(new Secret({ size: 20 }).buffer);
}

const totpFor = (secret: Uint8Array, label = "", issuer = DEFAULT_ISSUER) =>
  new TOTP({ issuer, label, algorithm: "SHA1", digits: 6, period: TOTP_PERIOD_S, secret: new Secret({ buffer: secret.slice().buffer }) });

/**
 * What the enrolment shows: the base32 secret to type, and the otpauth:// URI the QR code holds. The
 * issuer is the server's name when it has one, so two servers' entries in an app tell themselves apart.
 */
export function describeSecret(secret: Uint8Array, account: string, serverName: string | null = null): { secret: string; uri: string } {
  const totp = totpFor(secret, account, serverName ?? DEFAULT_ISSUER);
  return { secret: totp.secret.base32, uri: totp.toString() };
}

/** The time step a moment falls in. */
export const stepAt = (now: number) => Math.floor(now / 1000 / TOTP_PERIOD_S);

/**
 * The step a code matches (within the window around `now`) if it is newer than `lastStep`; null for a
 * wrong, stale or already used code.
 */
export function matchCode(secret: Uint8Array, code: string, lastStep: number, now = Date.now()): number | null {
  const token = code.replace(/\s+/g, "");
  if (!/^\d{6}$/.test(token)) return null;
  const delta = totpFor(secret).validate({ token, timestamp: now, window: TOTP_WINDOW });
  if (delta === null) return null;
  const step = stepAt(now) + delta;
  return step > lastStep ? step : null;
}

/** The code for a moment (tests, and nothing else: the server never shows a code). */
export function codeAt(secret: Uint8Array, now: number): string {
  return totpFor(secret).generate({ timestamp: now });
}
