// Properties of the markdown parser (web/src/markdown/parse.ts) over generated input: the tree holds
// only the node types render.ts knows, with safe links and bounded nesting; the visible text is the
// input's own text (never invented, never reordered) and any text can be written literally with
// escapes; and parsing time grows linearly with the input, hostile repetitions included.
import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { parseMarkdown } from "../../../web/src/markdown/parse.ts";
import type { Block, Inline } from "../../../web/src/markdown/tree.ts";

const BLOCK_KEYS: Record<string, string[]> = {
  paragraph: ["children", "type"],
  codeBlock: ["text", "type"],
  list: ["items", "ordered", "start", "type"],
  quote: ["children", "type"],
};
const INLINE_KEYS: Record<string, string[]> = {
  text: ["text", "type"],
  code: ["text", "type"],
  strong: ["children", "type"],
  em: ["children", "type"],
  strike: ["children", "type"],
  link: ["children", "href", "type"],
  br: ["type"],
};
/** Emphasis and links nest at most this deep (inline.ts's MAX_DEPTH, stated here on its own). */
const DEEPEST = 4;

/** Pieces that make the parser work: markers, link syntax, schemes good and bad, escapes, lines. */
const markup = fc.constantFrom(
  "*", "**", "***", "_", "__", "`", "``", "```", "[", "]", "(", ")", "](", "\\", "\n", "\n\n", "\r\n", " ", "  ", "- ", "1. ", "~~", "~", "> ", "\n> ", ">",
  "http://", "https://x.org/", "mailto:a@b.c", "javascript:", "data:", "java\tscript:", "x", "word", "é", "\u202e", "\u200b", ".", "!", "<b>",
);
const markdownish = fc.oneof(
  fc.array(markup, { maxLength: 60 }).map((parts) => parts.join("")),
  fc.string({ unit: "binary", maxLength: 200 }),
);

function problemsIn(blocks: Block[]): string[] {
  const problems: string[] = [];
  const keys = (node: object, allowed: string[] | undefined, what: string) => {
    const found = Object.keys(node).sort();
    if (!allowed || found.join() !== allowed.join()) problems.push(`${what} ${JSON.stringify(node)}`);
  };
  const inline = (nodes: Inline[], depth: number) => {
    for (const node of nodes) {
      keys(node, INLINE_KEYS[node.type], "unknown inline");
      if (node.type === "text" && node.text === "") problems.push("empty text node");
      if (node.type === "link" && !["http:", "https:", "mailto:"].includes(new URL(node.href).protocol)) problems.push(`unsafe link ${node.href}`);
      if (node.type === "strong" || node.type === "em" || node.type === "strike" || node.type === "link") {
        if (depth >= DEEPEST) problems.push(`nested deeper than ${DEEPEST}`);
        inline(node.children, depth + 1);
      }
    }
  };
  for (const block of blocks) {
    keys(block, BLOCK_KEYS[block.type], "unknown block");
    if (block.type === "paragraph" || block.type === "quote") inline(block.children, 0);
    if (block.type === "list") for (const item of block.items) inline(item, 0);
  }
  return problems;
}

/** The text a reader sees, in order; blocks and list items follow each other with nothing between. */
function visible(blocks: Block[]): string {
  const inline = (nodes: Inline[]): string =>
    nodes.map((n) => (n.type === "br" ? "\n" : n.type === "text" || n.type === "code" ? n.text : inline(n.children))).join("");
  return blocks.map((b) => (b.type === "codeBlock" ? b.text : b.type === "list" ? b.items.map(inline).join("") : inline(b.children))).join("");
}

function isSubsequence(part: string, whole: string): boolean {
  let at = 0;
  for (const ch of part) {
    at = whole.indexOf(ch, at);
    if (at === -1) return false;
    at += ch.length;
  }
  return true;
}

/** What a person types to show `text` literally: a backslash before every character markdown uses. */
const escaped = (text: string) => text.replace(/[\\`*_[\]()~>#+\-.!|]/g, "\\$&");

describe("the markdown tree", () => {
  test("holds only the nodes the renderer knows, safe links, and nesting within bounds", () => {
    fc.assert(fc.property(markdownish, (source) => expect(problemsIn(parseMarkdown(source))).toEqual([])), { numRuns: 2000 });
  });

  test("shows only the input's own text, in its order", () => {
    fc.assert(
      fc.property(markdownish, (source) => isSubsequence(visible(parseMarkdown(source)), source.replace(/\r\n?/g, "\n"))),
      { numRuns: 2000 },
    );
  });

  test("any text, written with escapes, comes back exactly", () => {
    // Lines with something on them, joined by single newlines (blank lines separate paragraphs).
    const line = fc.string({ unit: fc.oneof(fc.constantFrom(..."*_`[]()\\~>#+-.!|:/ "), fc.string({ unit: "grapheme", minLength: 1, maxLength: 1 })), maxLength: 40 })
      .filter((l) => l.trim() !== "" && !/[\r\n\u2028\u2029]/.test(l));
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 5 }), (lines) => {
        const text = lines.join("\n");
        expect(visible(parseMarkdown(escaped(text)))).toBe(text);
      }),
      { numRuns: 1000 },
    );
  });
});

// Repetitions that made the old parser rescan the rest of the message for every character.
const HOSTILE = [
  "*a ", "**a ", "_a ", "[", "[a](", "[[a]", "`a``", "```\n", "- a\n", " http://x", "[http://", "http://javascript:", "\\*", "a_", "*".repeat(50) + "a ",
  "~~a ", "~~", "> a\n", "> ~~a\n",
];
const repeated = (unit: string, length: number) => unit.repeat(Math.ceil(length / unit.length));

/**
 * What the parser reads through built-ins while parsing `source`: characters indexOf scans, slice
 * copies and a regex reads, lines findIndex looks at.
 * Deterministic, unlike a clock, so growth can be checked tightly.
 */
function charactersRead(source: string): number {
  let read = 0;
  const { indexOf, slice } = String.prototype;
  const { exec } = RegExp.prototype;
  const { findIndex } = Array.prototype;
  String.prototype.indexOf = function (this: string, needle: string, from = 0) {
    const at = indexOf.call(this, needle, from);
    read += (at === -1 ? this.length : at + needle.length) - Math.max(0, from);
    return at;
  };
  String.prototype.slice = function (this: string, start?: number, end?: number) {
    const part = slice.call(this, start, end);
    read += part.length;
    return part;
  };
  // RegExp.prototype.test (and replace) call exec too. A search reads up to the end of its match, or
  // to the end of the input; a sticky regex only what it matched.
  RegExp.prototype.exec = function (this: RegExp, input: string) {
    const from = this.global || this.sticky ? this.lastIndex : 0;
    const match = exec.call(this, input);
    if (this.sticky) read += match ? match[0].length : 1;
    else read += Math.max(1, (match ? match.index + match[0].length : input.length) - from);
    return match;
  };
  Array.prototype.findIndex = function <T>(this: T[], predicate: (value: T, index: number, array: T[]) => unknown) {
    const at = findIndex.call(this, predicate);
    read += at === -1 ? this.length : at + 1;
    return at;
  };
  try {
    parseMarkdown(source);
  } finally {
    Object.assign(String.prototype, { indexOf, slice });
    RegExp.prototype.exec = exec;
    Array.prototype.findIndex = findIndex;
  }
  return read;
}

/** Reads for 8n characters over reads for n: 8 when each character is read a bounded number of times. */
const readGrowth = (unit: string) => charactersRead(repeated(unit, 32_000)) / charactersRead(repeated(unit, 4000));

describe("work per character", () => {
  test.each(HOSTILE)("stays bounded on %p repeated", (unit) => {
    // Linear reads grow 8 times for 8 times the input; rereading the rest per character grows ~64 times.
    expect(readGrowth(unit)).toBeLessThan(10);
  });

  test("stays bounded on generated repetitions", () => {
    fc.assert(
      fc.property(fc.array(markup, { minLength: 1, maxLength: 4 }).map((parts) => parts.join("")), (unit) => {
        expect({ unit, linear: readGrowth(unit) < 10 }).toEqual({ unit, linear: true });
      }),
      { numRuns: 200 },
    );
  }, 60_000);
});

test("a bare URL longer than 2,048 characters stays text, rather than linking to a cut-off address", () => {
  const long = `https://example.org/${"a".repeat(2100)}`;
  expect(parseMarkdown(`see ${long} now`)).toEqual([{ type: "paragraph", children: [{ type: "text", text: `see ${long} now` }] }]);
  const fits = `https://example.org/${"a".repeat(2000)}`;
  expect(parseMarkdown(fits)).toEqual([{ type: "paragraph", children: [{ type: "link", href: fits, children: [{ type: "text", text: fits }] }] }]);
});

describe("parsing time", () => {
  /** CPU milliseconds for one parse (CPU time: what other processes on the machine do does not count). */
  function cpuOf(source: string): number {
    const start = process.cpuUsage();
    parseMarkdown(source);
    const spent = process.cpuUsage(start);
    return (spent.user + spent.system) / 1000;
  }

  // Catches slow loops of the parser's own that the reads above cannot see, with a generous margin:
  // 32,000 characters of any hostile repetition took at most ~12 times as long as plain words here
  // (the machine loaded), against 20 to 2,000 times for the old parser's rescans.
  const plain = repeated("plain words ", 32_000);
  test.each(HOSTILE)("%p repeated takes about as long as plain text", (unit) => {
    const hostile = repeated(unit, 32_000);
    let plainBest = Infinity;
    let hostileBest = Infinity;
    for (let round = 0; round < 5; round++) {
      plainBest = Math.min(plainBest, cpuOf(plain));
      hostileBest = Math.min(hostileBest, cpuOf(hostile));
    }
    expect(hostileBest / plainBest).toBeLessThan(40);
  }, 30_000);
});
