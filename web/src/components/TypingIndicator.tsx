import { Show } from "solid-js";
import { t } from "../i18n/index.ts";
import { chatState } from "../stores/chat.ts";
import { shownName } from "../stores/names.ts";

/** "alice is typing…" under the conversation, read out politely. */
function typingText(names: string[]): string {
  if (names.length === 1) return t("chat.typingOne", { name: names[0]! });
  if (names.length === 2) return t("chat.typingTwo", { first: names[0]!, second: names[1]! });
  return t("chat.typingMany");
}

export function TypingIndicator(props: { roomId: number }) {
  const names = () => (chatState().typing[props.roomId] ?? []).map((entry) => shownName(entry.user));
  return (
    <div class="typing-indicator" aria-live="polite">
      <Show when={names().length > 0}>
        <span class="typing-dots" aria-hidden="true"><span /><span /><span /></span>
        {typingText(names())}
      </Show>
    </div>
  );
}
