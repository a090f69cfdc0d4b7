// The chat's markdown subset: what it renders, and that hostile text only ever becomes text.
// Rendering goes through a real DOM implementation (happy-dom), the same calls the browser makes.
import { describe, expect, test } from "bun:test";
import { Window } from "happy-dom";
import { parseMarkdown, plainText } from "../../../web/src/markdown/parse.ts";
import { safeHref } from "../../../web/src/markdown/safe-href.ts";
import { renderMarkdown } from "../../../web/src/markdown/render.ts";

const window = new Window();
const document = window.document as unknown as Document;

function html(source: string): string {
  const host = document.createElement("div");
  for (const node of renderMarkdown(source, document)) host.appendChild(node);
  return host.innerHTML;
}

function rendered(source: string): HTMLElement {
  const host = document.createElement("div");
  for (const node of renderMarkdown(source, document)) host.appendChild(node);
  return host;
}

describe("markdown subset", () => {
  test("> quoted lines are one blockquote; ~~struck~~ text is struck through; neither is HTML", () => {
    expect(html("> the plan\n> is *simple*\nand this is not quoted")).toBe("<blockquote>the plan<br>is <em>simple</em></blockquote><p>and this is not quoted</p>");
    expect(html("ship ~~today~~ friday")).toBe("<p>ship <s>today</s> friday</p>");
    expect(html("~~ not struck ~~ and a~~b")).toBe("<p>~~ not struck ~~ and a~~b</p>");
    expect(html("\\> not a quote, \\~~not struck~~")).toBe("<p>&gt; not a quote, ~~not struck~~</p>");
    expect(html("> <img src=x onerror=alert(1)>")).toBe("<blockquote>&lt;img src=x onerror=alert(1)&gt;</blockquote>");
    expect(plainText(parseMarkdown("> quoted ~~old~~ new"))).toBe("quoted old new");
  });

  test("bold, italic and inline code", () => {
    expect(html("**bold** and *italic* and _also_ and `x < y`")).toBe(
      "<p><strong>bold</strong> and <em>italic</em> and <em>also</em> and <code>x &lt; y</code></p>",
    );
  });

  test("nested emphasis", () => {
    expect(html("**bold *and italic***")).toBe("<p><strong>bold <em>and italic</em></strong></p>");
  });

  test("underscores inside words are not emphasis", () => {
    expect(html("snake_case_name stays")).toBe("<p>snake_case_name stays</p>");
  });

  test("unclosed markers stay as typed", () => {
    expect(html("2 * 3 = 6 and **not bold")).toBe("<p>2 * 3 = 6 and **not bold</p>");
  });

  test("code blocks keep their text verbatim, markdown included", () => {
    expect(html("```\nconst a = **b**;\n<b>x</b>\n```")).toBe("<pre><code>const a = **b**;\n&lt;b&gt;x&lt;/b&gt;</code></pre>");
  });

  test("bulleted and numbered lists", () => {
    expect(html("- one\n- **two**")).toBe("<ul><li>one</li><li><strong>two</strong></li></ul>");
    expect(html("3. three\n4. four")).toBe('<ol start="3"><li>three</li><li>four</li></ol>');
  });

  test("single newlines are line breaks; blank lines separate paragraphs", () => {
    expect(html("a\nb\n\nc")).toBe("<p>a<br>b</p><p>c</p>");
  });

  test("links open in a new tab without opener or referrer", () => {
    const a = rendered("[docs](https://example.org/a?b=1)").querySelector("a")!;
    expect(a.getAttribute("href")).toBe("https://example.org/a?b=1");
    expect(a.getAttribute("target")).toBe("_blank");
    expect(a.getAttribute("rel")).toBe("noopener noreferrer");
    expect(a.textContent).toBe("docs");
  });

  test("bare URLs and mailto become links, without trailing punctuation", () => {
    const host = rendered("see https://example.org/x. or mailto:a@example.org!");
    expect([...host.querySelectorAll("a")].map((a) => a.getAttribute("href"))).toEqual(["https://example.org/x", "mailto:a@example.org"]);
    expect(host.textContent).toBe("see https://example.org/x. or mailto:a@example.org!");
  });

  test("backslash escapes show the character itself", () => {
    expect(html("\\*not italic\\*")).toBe("<p>*not italic*</p>");
  });

  test("plain text of a message for previews", () => {
    expect(plainText(parseMarkdown("**hi** [there](https://x.org)\n- a"))).toBe("hi there a");
  });
});

describe("hostile input renders as text and runs nothing", () => {
  const payloads = [
    `<img src=x onerror="alert(1)">`,
    `<svg onload=alert(1)><script>alert(1)</script></svg>`,
    `<a href="javascript:alert(1)">x</a>`,
    `<iframe srcdoc="<script>alert(1)</script>"></iframe>`,
    `&lt;img src=x onerror=alert(1)&gt; &#60;script&#62;`,
    `<style>body{display:none}</style>`,
  ];

  for (const payload of payloads) {
    test(`shown literally: ${payload}`, () => {
      const host = rendered(payload);
      expect(host.querySelectorAll("img, svg, script, iframe, style, a").length).toBe(0);
      // Entities are not decoded: "&lt;" stays the four characters the person typed.
      expect(host.textContent).toBe(payload);
    });
  }

  const unsafeLinks = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "java\tscript:alert(1)",
    " javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "//evil.example/x",
    "/relative/path",
    "https:",
  ];

  for (const href of unsafeLinks) {
    test(`a [link](${JSON.stringify(href)}) keeps only its label, as text`, () => {
      const host = rendered(`[click me](${href})`);
      expect(host.querySelector("a")).toBeNull();
      expect(host.textContent).toContain("click me");
    });
  }

  test("safeHref keeps only http, https and mailto", () => {
    expect(safeHref("https://example.org")).toBe("https://example.org/");
    expect(safeHref("mailto:a@example.org")).toBe("mailto:a@example.org");
    expect(safeHref("javascript:alert(1)")).toBeNull();
    expect(safeHref("data:text/plain,hi")).toBeNull();
    expect(safeHref("ftp://example.org")).toBeNull();
  });

  test("a markdown link label cannot smuggle markup", () => {
    const host = rendered(`[<img src=x onerror=alert(1)>](https://example.org)`);
    expect(host.querySelector("img")).toBeNull();
    expect(host.querySelector("a")!.textContent).toBe("<img src=x onerror=alert(1)>");
  });

  test("deep nesting and long input stay bounded", () => {
    const deep = "*".repeat(2000) + "x" + "*".repeat(2000);
    const host = rendered(deep + "\n" + "[".repeat(2000) + "`".repeat(1000));
    // Emphasis nests a few levels at most; the rest stays text.
    expect(host.querySelector(":is(strong, em) :is(strong, em) :is(strong, em) :is(strong, em) :is(strong, em) :is(strong, em)")).toBeNull();
    expect(host.textContent).toContain("x");
    expect(host.textContent!.endsWith("[".repeat(2000) + "`".repeat(1000))).toBe(true);
  });
});
