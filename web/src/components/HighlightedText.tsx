// Text with the parts a search matched marked: <mark> elements built by Solid from text segments
// (search/segments.ts), never from HTML; bidi controls are shown, not obeyed, as everywhere else.
import { For } from "solid-js";
import type { TextRange } from "../chat/protocol.ts";
import { revealBidiControls } from "../markdown/bidi.ts";
import { segments } from "../search/segments.ts";

export function HighlightedText(props: { text: string; ranges: readonly TextRange[]; class?: string }) {
  return (
    <span class={props.class} dir="auto">
      <For each={segments(props.text, props.ranges)}>
        {(part) => (part.match ? <mark class="search-match">{revealBidiControls(part.text)}</mark> : revealBidiControls(part.text))}
      </For>
    </span>
  );
}
