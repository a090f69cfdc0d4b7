// The name a user gave a file is metadata for display and for the download's suggested name; it is
// never used as a path. Sanitising makes it safe to show and to offer back: no path parts, no control,
// bidi or zero-width characters, bounded length. Nothing is percent- or otherwise decoded: "%2e%2e%2f"
// stays those nine characters.
import { hasVisibleText } from "../text/visible-text.ts";

export const FILENAME_MAX_CHARS = 200;
/** An extension longer than this is treated as part of the name when shortening. */
const EXTENSION_MAX_CHARS = 16;
const FALLBACK_NAME = "file";

// Cc: C0/C1 controls incl. NUL, CR, LF, TAB. Cf: format characters, which include the bidi overrides
// and isolates (U+202A–U+202E, U+2066–U+2069, U+200E/F, U+061C), zero-width space/joiners (U+200B–U+200D),
// the BOM and soft hyphen. Zl/Zp: line and paragraph separators. Cs: lone surrogates.
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;
const SPACES = /\p{Zs}+/gu;

export function sanitizeFilename(raw: string): string {
  // Keep only the last path segment, whichever separator a client's platform uses.
  const lastSegment = raw.split(/[/\\]/).pop() ?? "";
  let name = lastSegment.toWellFormed().normalize("NFC").replace(INVISIBLE, "").replace(SPACES, " ").trim();
  // Trailing dots and spaces are dropped by Windows; a name of only dots is a path component.
  name = name.replace(/[. ]+$/, "");
  // A name of fillers (U+3164, the braille blank) would show as nothing at all.
  if (!hasVisibleText(name) || /^\.+$/.test(name)) return FALLBACK_NAME;
  return shorten(name);
}

/** Caps the length in code points, keeping a short extension so the file still opens with the right app. */
function shorten(name: string): string {
  const chars = Array.from(name);
  if (chars.length <= FILENAME_MAX_CHARS) return name;
  const dot = name.lastIndexOf(".");
  const extension = dot > 0 ? Array.from(name.slice(dot)) : [];
  const keep = extension.length > 1 && extension.length <= EXTENSION_MAX_CHARS && !extension.includes(" ") ? extension : [];
  const base = chars.slice(0, FILENAME_MAX_CHARS - keep.length).join("").replace(/[. ]+$/, "");
  return (base || FALLBACK_NAME) + keep.join("");
}
