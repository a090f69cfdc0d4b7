import { createMemo } from "solid-js";
import { renderMarkdown } from "../markdown/render.ts";
import { markMentions } from "../markdown/mentions.ts";

/**
 * A message's text, rendered from the markdown subset into DOM nodes (never through HTML). With
 * `mentioned` (lower-case usernames the server resolved, "room" for @room), those tokens are marked;
 * the ones in `mine` stand out as mentions of me.
 */
export function MessageBody(props: { body: string; mentioned?: ReadonlySet<string>; mine?: ReadonlySet<string> }) {
  const nodes = createMemo(() => {
    const rendered = renderMarkdown(props.body);
    return props.mentioned ? markMentions(rendered, props.mentioned, props.mine ?? new Set()) : rendered;
  });
  return <div class="message-body">{nodes()}</div>;
}
