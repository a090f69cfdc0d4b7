import { createMemo } from "solid-js";
import { renderMarkdown } from "../markdown/render.ts";

/** A message's text, rendered from the markdown subset into DOM nodes (never through HTML). */
export function MessageBody(props: { body: string }) {
  const nodes = createMemo(() => renderMarkdown(props.body));
  return <div class="message-body">{nodes()}</div>;
}
