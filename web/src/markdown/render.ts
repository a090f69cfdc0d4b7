// Turns the parsed tree into DOM nodes. User text only ever becomes text nodes (createTextNode);
// tags come from a fixed list here, and the only attribute carrying user input is a checked href.
import { parseMarkdown } from "./parse.ts";
import type { Block, Inline } from "./tree.ts";
import { hasBidiControls, revealBidiControls, splitBidiControls } from "./bidi.ts";

/** User text as text nodes, with bidi controls shown as visible markers rather than obeyed. */
function appendText(doc: Document, parent: Node, text: string): void {
  if (!hasBidiControls(text)) {
    parent.appendChild(doc.createTextNode(text));
    return;
  }
  for (const part of splitBidiControls(text)) {
    if (!part.control) {
      parent.appendChild(doc.createTextNode(part.text));
      continue;
    }
    const marker = doc.createElement("span");
    marker.className = "bidi-control";
    marker.textContent = part.text;
    parent.appendChild(marker);
  }
}

function inline(doc: Document, nodes: Inline[], parent: Node): void {
  for (const node of nodes) {
    switch (node.type) {
      case "text":
        appendText(doc, parent, node.text);
        break;
      case "br":
        parent.appendChild(doc.createElement("br"));
        break;
      case "code": {
        const code = doc.createElement("code");
        code.textContent = revealBidiControls(node.text);
        parent.appendChild(code);
        break;
      }
      case "strong":
      case "em":
      case "strike": {
        const element = doc.createElement(node.type === "strike" ? "s" : node.type);
        inline(doc, node.children, element);
        parent.appendChild(element);
        break;
      }
      case "link": {
        const a = doc.createElement("a");
        a.href = node.href;
        a.target = "_blank";
        a.rel = "noopener noreferrer";
        inline(doc, node.children, a);
        parent.appendChild(a);
        break;
      }
    }
  }
}

function block(doc: Document, node: Block): Node {
  switch (node.type) {
    case "paragraph": {
      const p = doc.createElement("p");
      inline(doc, node.children, p);
      return p;
    }
    case "codeBlock": {
      const pre = doc.createElement("pre");
      const code = doc.createElement("code");
      code.textContent = revealBidiControls(node.text);
      pre.appendChild(code);
      return pre;
    }
    case "quote": {
      const quote = doc.createElement("blockquote");
      inline(doc, node.children, quote);
      return quote;
    }
    case "list": {
      const list = doc.createElement(node.ordered ? "ol" : "ul");
      if (node.ordered && node.start !== 1) list.setAttribute("start", String(node.start));
      for (const item of node.items) {
        const li = doc.createElement("li");
        inline(doc, item, li);
        list.appendChild(li);
      }
      return list;
    }
  }
}

/** The message body as DOM nodes, ready to be inserted by Solid. */
export function renderMarkdown(source: string, doc: Document = document): Node[] {
  return parseMarkdown(source).map((node) => block(doc, node));
}
