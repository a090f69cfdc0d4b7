// The one form of an emoji the server stores (src/messages/emoji.ts states the same rule): exactly
// one RGI emoji, a variation selector too many or too few forgiven. The picker's data (emojibase)
// writes some emoji with U+FE0F where the RGI form has none; reacting with either is one reaction.
const RGI = /^\p{RGI_Emoji}$/v;
const VS16 = "\uFE0F";

export function canonicalEmoji(text: string): string | null {
  if (text.length === 0 || text.length > 32) return null;
  if (RGI.test(text)) return text;
  const bare = text.replaceAll(VS16, "");
  if (bare.length === 0) return null;
  if (RGI.test(bare)) return bare;
  const [first, ...rest] = [...bare];
  const presented = first + VS16 + rest.join("");
  return RGI.test(presented) ? presented : null;
}
