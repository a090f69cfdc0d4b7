// What counts as an emoji in a reaction: exactly one Unicode RGI emoji (the set every vendor draws:
// ES2024's \p{RGI_Emoji}), never text. Data sets and keyboards disagree about variation selectors
// (emojibase writes 👍 as "👍\uFE0F", which is not the RGI form; "❤" without one is not RGI either),
// so a selector too many or too few is forgiven and the reaction stored in the one RGI form: the same
// emoji from two clients is one reaction, not two. Part of the protocol and free of server code, so
// the web client imports this same function (its picker and recent list store the same form).
import { MAX_EMOJI_LENGTH } from "./limits.ts";

const RGI = /^\p{RGI_Emoji}$/v;
const VS16 = "\uFE0F";

/** The canonical RGI form of `text`, or null when it is not one emoji. */
export function canonicalEmoji(text: string): string | null {
  if (text.length === 0 || text.length > MAX_EMOJI_LENGTH || !text.isWellFormed()) return null;
  if (RGI.test(text)) return text;
  const bare = text.replaceAll(VS16, "");
  if (bare.length === 0) return null;
  if (RGI.test(bare)) return bare;
  // A text-default character that needs its selector (☺ → ☺️, #⃣ → #️⃣).
  const [first, ...rest] = [...bare];
  const presented = first + VS16 + rest.join("");
  return RGI.test(presented) ? presented : null;
}
