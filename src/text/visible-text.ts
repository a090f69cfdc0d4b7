// Whether a piece of text draws anything. A message, a room name or a display name made only of
// controls, format characters (zero-width space, bidi marks), spaces or fillers shows as nothing to
// everyone else: treated as empty wherever "empty" is refused (issue 21, §6).

// Characters that draw nothing although Unicode gives them a visible category: the braille blank,
// the Hangul fillers (also default-ignorable) and the halfwidth Hangul filler.
const BLANK_LOOKING = /[\u2800\u3164\u115F\u1160\uFFA0]/gu;
const NOTHING_TO_SEE = /[\p{Cc}\p{Cf}\p{Cs}\p{Z}\p{Default_Ignorable_Code_Point}\s]/gu;

/** True when `text` would draw at least one visible character. */
export function hasVisibleText(text: string): boolean {
  return text.replace(NOTHING_TO_SEE, "").replace(BLANK_LOOKING, "").length > 0;
}
