// Password rules: 10 to 256 characters, not a common password, not the username. The common list is
// zxcvbn-ts's frequency-ranked password list (~49k entries), imported as text so `bun build
// --compile` embeds it in the binary, and parsed at the first password checked: parsing it took
// ~30 ms of every start, on the event loop and again on the writer thread.
import commonPasswordsText from "@zxcvbn-ts/language-common/src/passwords.json" with { type: "text" };
import { errors } from "../errors.ts";

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 256;

let common: { all: number; kept: Set<string> } | null = null;
function commonList(): { all: number; kept: Set<string> } {
  if (!common) {
    const list = JSON.parse(commonPasswordsText as unknown as string) as string[];
    // Shorter entries can never pass the length rule, so only the rest are kept in memory.
    common = { all: list.length, kept: new Set(list.filter((p) => p.length >= PASSWORD_MIN).map((p) => p.toLowerCase())) };
  }
  return common;
}

/** How many passwords the list holds (the documentation and its test quote it). */
export const commonPasswordCount = () => commonList().all;

/** NFKC so the same password typed on another keyboard or OS hashes the same. */
export function normalizePassword(password: string): string {
  return password.normalize("NFKC");
}

/** Cheap check that runs before anything else: an over-long password is refused before hashing. */
export function assertPasswordLength(password: string): void {
  // UTF-16 length first, so a huge string is refused without walking it.
  if (password.length > PASSWORD_MAX * 2 || [...password].length > PASSWORD_MAX) {
    throw errors.badRequest("password_too_long", `Passwords can be at most ${PASSWORD_MAX} characters long.`);
  }
}

export function isCommonPassword(password: string): boolean {
  return commonList().kept.has(normalizePassword(password).toLowerCase());
}

/** Throws the first rule a new password breaks. `usernameKey` is the case-folded username. */
export function assertPasswordRules(password: string, usernameKey: string): void {
  assertPasswordLength(password);
  const normalized = normalizePassword(password);
  if ([...normalized].length < PASSWORD_MIN) {
    throw errors.badRequest("password_too_short", `Passwords must be at least ${PASSWORD_MIN} characters long.`);
  }
  if (normalized.toLowerCase() === usernameKey) {
    throw errors.badRequest("password_is_username", "The password cannot be the same as the username.");
  }
  if (isCommonPassword(normalized)) {
    throw errors.badRequest("password_too_common", "This password is on a list of commonly used passwords; choose another.");
  }
}
