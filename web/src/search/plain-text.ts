// A search result shows the message as it reads, not its markdown: "the **release**" is shown as
// "the release", with the server's match ranges moved to the same words. Only delimiters that pair
// up around text are taken out (so ERR_42, a_b or 2*3 stay as they are), plus a quote's leading "> "
// and a code fence's lines of backticks.
import type { TextRange } from "../chat/protocol.ts";

const PAIRED = /(\*\*|__|~~|`+)(?=\S)([\s\S]*?\S)\1|(?<![\w*])([*_])(?=[^\s*_])([^\n]*?[^\s*_])\3(?![\w*])/g;

export function withoutMarkup(text: string, ranges: readonly TextRange[]): { text: string; ranges: TextRange[] } {
  const drop = new Uint8Array(text.length);
  const cut = (from: number, length: number) => drop.fill(1, from, from + length);
  // Line starts: "> " of a quote, a fence line of backticks.
  for (const line of text.matchAll(/^(> ?|```[^\n]*$)/gm)) cut(line.index, line[0].length);
  for (const m of text.matchAll(PAIRED)) {
    const marker = m[1] ?? m[3]!;
    const inner = m[2] ?? m[4]!;
    cut(m.index, marker.length);
    cut(m.index + marker.length + inner.length, marker.length);
  }
  // Where each original offset lands once the dropped characters are gone.
  const at = new Uint32Array(text.length + 1);
  let kept = "";
  for (let i = 0; i < text.length; i++) {
    at[i] = kept.length;
    if (!drop[i]) kept += text[i];
  }
  at[text.length] = kept.length;
  const moved = ranges.map(([start, end]) => [at[start] ?? kept.length, at[end] ?? kept.length] as TextRange).filter(([s, e]) => e > s);
  return { text: kept.trim() === "" ? text : kept, ranges: kept.trim() === "" ? [...ranges] : moved };
}
