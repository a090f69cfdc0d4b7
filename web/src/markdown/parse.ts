// A small markdown subset for chat messages, parsed into a tree of plain objects (tree.ts). Nothing
// here produces HTML: the tree is turned into DOM nodes by render.ts, so user text can only ever become
// text nodes, and the only attribute taken from user input is a link's href, checked by safeHref().
// Blocks (paragraphs, code blocks, lists) are found here; what is inside them, in inline.ts.
import { parseInline } from "./inline.ts";
import type { Block, Inline } from "./tree.ts";

const BULLET = /^\s{0,3}[-*+]\s+(.*)$/;
const ORDERED = /^\s{0,3}(\d{1,9})[.)]\s+(.*)$/;
const FENCE = /^\s{0,3}```/;
const QUOTE = /^\s{0,3}>\s?(.*)$/;

export function parseMarkdown(source: string): Block[] {
  const lines = source.replace(/\r\n?/g, "\n").split("\n");
  const blocks: Block[] = [];
  let paragraph: string[] = [];
  const flush = () => {
    if (paragraph.length) blocks.push({ type: "paragraph", children: parseInline(paragraph.join("\n"), 0) });
    paragraph = [];
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (FENCE.test(line)) {
      let end = i + 1;
      while (end < lines.length && !FENCE.test(lines[end]!)) end++;
      if (end < lines.length) {
        flush();
        blocks.push({ type: "codeBlock", text: lines.slice(i + 1, end).join("\n") });
        i = end;
        continue;
      }
    }
    if (QUOTE.test(line)) {
      flush();
      const quoted: string[] = [];
      let j = i;
      for (; j < lines.length; j++) {
        const match = QUOTE.exec(lines[j]!);
        if (!match) break;
        quoted.push(match[1]!);
      }
      blocks.push({ type: "quote", children: parseInline(quoted.join("\n"), 0) });
      i = j - 1;
      continue;
    }
    const bullet = BULLET.exec(line);
    const ordered = bullet ? null : ORDERED.exec(line);
    if (bullet || ordered) {
      flush();
      const isOrdered = ordered !== null;
      const pattern = isOrdered ? ORDERED : BULLET;
      const items: Inline[][] = [];
      let j = i;
      for (; j < lines.length; j++) {
        const match = pattern.exec(lines[j]!);
        if (!match) break;
        items.push(parseInline(isOrdered ? match[2]! : match[1]!, 0));
      }
      blocks.push({ type: "list", ordered: isOrdered, start: isOrdered ? Number(ordered![1]) : 1, items });
      i = j - 1;
      continue;
    }
    if (line.trim() === "") flush();
    else paragraph.push(line);
  }
  flush();
  return blocks;
}

/** The plain text of a message, for notifications, previews and the tab title. */
export function plainText(blocks: Block[]): string {
  const inline = (nodes: Inline[]): string =>
    nodes.map((n) => (n.type === "br" ? " " : n.type === "text" || n.type === "code" ? n.text : inline(n.children))).join("");
  return blocks
    .map((b) => (b.type === "codeBlock" ? b.text : b.type === "list" ? b.items.map(inline).join(" ") : inline(b.children)))
    .join(" ");
}
