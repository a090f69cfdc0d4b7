import { createMemo } from "solid-js";
import { t } from "../i18n/index.ts";
import { renderMarkdown } from "../markdown/render.ts";
import { markMentions } from "../markdown/mentions.ts";

/** Where an inline "(edited)" can follow the text: the last paragraph, quote or list item. */
function inlineHost(node: Node | undefined): Element | null {
  if (!(node instanceof Element)) return null;
  if (node.tagName === "P" || node.tagName === "BLOCKQUOTE") return node;
  if (node.tagName === "UL" || node.tagName === "OL") return node.lastElementChild;
  return null;
}

/**
 * A message's text, rendered from the markdown subset into DOM nodes (never through HTML); "(edited)"
 * sits after it. With `mentioned` (lower-case usernames the server resolved, "room" for @room), those
 * tokens are marked; the ones in `mine` stand out as mentions of me.
 */
export function MessageBody(props: { body: string; edited?: boolean; mentioned?: ReadonlySet<string>; mine?: ReadonlySet<string> }) {
  const nodes = createMemo(() => {
    const markdown = renderMarkdown(props.body);
    const rendered = props.mentioned ? markMentions(markdown, props.mentioned, props.mine ?? new Set()) : markdown;
    if (!props.edited) return rendered;
    const marker = document.createElement("span");
    marker.className = "message-edited";
    marker.textContent = t("chat.edited");
    const host = inlineHost(rendered.at(-1));
    if (host) host.append(" ", marker);
    else rendered.push(marker);
    return rendered;
  });
  return <div class="message-body">{nodes()}</div>;
}
