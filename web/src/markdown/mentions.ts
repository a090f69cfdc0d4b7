// Marks the `@name` tokens of a rendered message that the server resolved as mentions: user text
// stays text nodes; a mark element (from this fixed list of tags) wraps the token. Never inside code
// or links, where the text is shown as it is.
const TOKEN = /(?<![\p{L}\p{M}\p{Nd}_.@/\\-])@([\p{L}\p{Nd}][\p{L}\p{M}\p{Nd}._-]*)/gu;

function markIn(doc: Document, text: Text, names: ReadonlySet<string>, mine: ReadonlySet<string>): void {
  const value = text.data;
  let last = 0;
  const parts: Node[] = [];
  for (const match of value.matchAll(TOKEN)) {
    const raw = match[1]!;
    const name = [raw, raw.replace(/[._-]+$/u, "")].map((n) => n.normalize("NFKC").toLowerCase()).find((n) => names.has(n));
    if (!name) continue;
    const end = match.index + 1 + (raw.toLowerCase().startsWith(name) ? name.length : raw.length);
    if (match.index > last) parts.push(doc.createTextNode(value.slice(last, match.index)));
    const mark = doc.createElement("mark");
    mark.className = mine.has(name) ? "mention me" : "mention";
    mark.textContent = value.slice(match.index, end);
    parts.push(mark);
    last = end;
  }
  if (parts.length === 0) return;
  if (last < value.length) parts.push(doc.createTextNode(value.slice(last)));
  text.replaceWith(...parts);
}

/** `names`: lower-case usernames (and "room") that were mentioned; `mine`: those that mean me. */
export function markMentions(nodes: Node[], names: ReadonlySet<string>, mine: ReadonlySet<string>, doc: Document = document): Node[] {
  if (names.size === 0) return nodes;
  const walk = (node: Node) => {
    if (node.nodeType === 3) return markIn(doc, node as Text, names, mine);
    const tag = (node as Element).tagName;
    if (tag === "CODE" || tag === "PRE" || tag === "A") return;
    for (const child of [...node.childNodes]) walk(child);
  };
  for (const node of nodes) walk(node);
  return nodes;
}
