import { describe, expect, test } from "bun:test";
import { Window } from "happy-dom";
import { renderMarkdown } from "../../../web/src/markdown/render.ts";
import { revealBidiControls } from "../../../web/src/markdown/bidi.ts";

const doc = new Window().document as unknown as Document;
const html = (source: string) => {
  const root = doc.createElement("div");
  for (const node of renderMarkdown(source, doc)) root.appendChild(node);
  return root;
};

describe("direction-changing characters in user text", () => {
  test("a right-to-left override in a message is shown as a marker, not obeyed", () => {
    const root = html("invoice\u202Egnp.exe");
    expect(root.textContent).toBe("invoice⟦U+202E⟧gnp.exe");
    expect(root.textContent).not.toContain("\u202E");
    const marker = root.querySelector(".bidi-control")!;
    expect(marker.textContent).toBe("⟦U+202E⟧");
  });

  test("isolates and embeddings inside code and code blocks are revealed too", () => {
    expect(html("`a\u2067b`").textContent).toBe("a⟦U+2067⟧b");
    expect(html("```\nx\u202Ay\n```").textContent).toContain("x⟦U+202A⟧y");
  });

  test("ordinary right-to-left text (Arabic, Hebrew) is left alone", () => {
    expect(html("مرحبا שלום").textContent).toBe("مرحبا שלום");
    expect(revealBidiControls("topic \u2066iso\u2069")).toBe("topic ⟦U+2066⟧iso⟦U+2069⟧");
  });
});
