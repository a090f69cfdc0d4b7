// Username and display-name hygiene. Names are NFKC-normalised, unique case-insensitively, and may
// not look like another name: the stored skeleton catches "pаypal" (Cyrillic а) against "paypal".
import { errors } from "../errors.ts";
import { hasVisibleText } from "../text/visible-text.ts";
import { skeleton } from "./skeleton.ts";

export const USERNAME_MIN = 3;
export const USERNAME_MAX = 32;
export const DISPLAY_NAME_MAX = 64;

export interface NormalizedUsername {
  /** As the user typed it, after NFKC: what others see. */
  username: string;
  /** Case-insensitive identity (username_key). */
  key: string;
  /** Confusable skeleton of the case-folded name (skeleton column). */
  skeleton: string;
}

// Controls, format characters (bidi overrides, zero-width joiners, BOM), line/paragraph separators,
// and everything Unicode marks as default-ignorable (e.g. Hangul fillers, variation selectors):
// all of them can hide or reorder what a reader sees.
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]/u;
const USERNAME_CHARS = /^[\p{L}\p{Nd}][\p{L}\p{M}\p{Nd}._-]*$/u;

const codePoints = (text: string) => [...text].length;

export function hasInvisibleCharacters(text: string): boolean {
  return INVISIBLE.test(text);
}

/** Identity key for lookups (login, CLI): NFKC, lower case. Never throws. */
export function usernameKey(raw: string): string {
  return raw.normalize("NFKC").toLowerCase().normalize("NFKC");
}

/**
 * Folds case after mapping confusables, so "Ian" (capital I) and "lan" share a skeleton too. Then
 * every "i" becomes "l": capital I and small l look alike, so compared without case "BILL" passes for
 * "bill" and "ADMIN" for "admin" (I is the only Latin letter whose capital maps elsewhere). Display
 * names use the same skeleton (users.display_skeleton), so the two compare (accounts/name-clashes.ts).
 */
export function usernameSkeleton(name: string): string {
  return skeleton(skeleton(name).toLowerCase()).replaceAll("i", "l");
}

export function normalizeUsername(raw: string): NormalizedUsername {
  if (raw.length > USERNAME_MAX * 8) throw errors.badRequest("username_length", lengthMessage());
  const username = raw.normalize("NFKC");
  if (hasInvisibleCharacters(raw) || hasInvisibleCharacters(username)) {
    throw errors.badRequest(
      "username_invisible_characters",
      "Usernames cannot contain control, direction-changing or invisible characters.",
    );
  }
  const length = codePoints(username);
  if (length < USERNAME_MIN || length > USERNAME_MAX) throw errors.badRequest("username_length", lengthMessage());
  if (!USERNAME_CHARS.test(username)) {
    throw errors.badRequest(
      "username_characters",
      "Usernames may contain letters, digits, dots, underscores and hyphens, and start with a letter or digit.",
    );
  }
  return { username, key: usernameKey(username), skeleton: usernameSkeleton(username) };
}

/** Trims and collapses spaces; null or blank clears the display name. */
export function normalizeDisplayName(raw: string | null | undefined): string | null {
  if (raw === null || raw === undefined) return null;
  if (raw.length > DISPLAY_NAME_MAX * 8) throw displayNameLength();
  const name = raw.normalize("NFKC").replace(/\s+/gu, " ").trim();
  if (hasInvisibleCharacters(raw) || hasInvisibleCharacters(name)) {
    throw errors.badRequest(
      "display_name_invisible_characters",
      "Display names cannot contain control, direction-changing or invisible characters.",
    );
  }
  // A name of braille blanks draws nothing, like one of spaces: both clear the display name.
  if (!hasVisibleText(name)) return null;
  if (codePoints(name) > DISPLAY_NAME_MAX) throw displayNameLength();
  return name;
}

function lengthMessage(): string {
  return `Usernames must be ${USERNAME_MIN} to ${USERNAME_MAX} characters long.`;
}

function displayNameLength() {
  return errors.badRequest("display_name_length", `Display names can be at most ${DISPLAY_NAME_MAX} characters long.`);
}
