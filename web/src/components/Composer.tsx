import { createSignal, Show } from "solid-js";
import { t, tn } from "../i18n/index.ts";
import { MAX_MESSAGE_LENGTH } from "../chat/protocol.ts";
import { notifyTyping, postMessage } from "../stores/chat-actions.ts";
import { Icon } from "./Icon.tsx";
import { AttachButton } from "./AttachButton.tsx";
import { openSearch } from "../stores/search.ts";
import { MentionAutocomplete } from "./MentionAutocomplete.tsx";

const drafts = new Map<number, string>();

/** Enter sends, Shift+Enter starts a new line; the draft of each room is kept while switching. */
export function Composer(props: { roomId: number; placeholder: string; disabled?: boolean }) {
  const [text, setText] = createSignal(drafts.get(props.roomId) ?? "");
  let input: HTMLTextAreaElement | undefined;
  const remaining = () => MAX_MESSAGE_LENGTH - text().length;

  const update = (value: string) => {
    setText(value);
    drafts.set(props.roomId, value);
  };
  const send = () => {
    const body = text().trim();
    if (!body || remaining() < 0 || props.disabled) return;
    postMessage(props.roomId, body);
    update("");
    input?.focus();
  };

  return (
    <form
      class="composer"
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
    >
      <div class="composer-tools">
        <AttachButton roomId={props.roomId} disabled={props.disabled} />
      </div>
      <label class="visually-hidden" for={`composer-${props.roomId}`}>{props.placeholder}</label>
      <textarea
        id={`composer-${props.roomId}`}
        ref={(el) => {
          input = el;
          queueMicrotask(() => {
            if (window.matchMedia("(min-width: 768px)").matches) el.focus();
          });
        }}
        class="composer-input"
        rows={1}
        placeholder={props.placeholder}
        value={text()}
        disabled={props.disabled}
        aria-describedby={`composer-hint-${props.roomId}`}
        onInput={(e) => {
          update(e.currentTarget.value);
          if (e.currentTarget.value.trim()) notifyTyping(props.roomId);
        }}
        onKeyDown={(e) => {
          // "/" in an empty composer starts a search (a slash in a message still types once there is text).
          if (e.key === "/" && text() === "" && !e.ctrlKey && !e.metaKey && !e.altKey) {
            e.preventDefault();
            openSearch();
            return;
          }
          // isComposing: Enter that confirms an IME candidate (Japanese, Chinese…) must not send.
          if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
            e.preventDefault();
            send();
          }
        }}
      />
      <MentionAutocomplete roomId={props.roomId} input={() => input} onChange={update} />
      <span id={`composer-hint-${props.roomId}`} class="visually-hidden">{t("composer.hint")}</span>
      <Show when={remaining() < 200}>
        <span class="composer-count" classList={{ over: remaining() < 0 }} aria-live="polite">
          {tn("composer.remaining", remaining())}
        </span>
      </Show>
      <button type="submit" class="composer-send" aria-label={t("composer.send")} title={t("composer.send")} disabled={!text().trim() || remaining() < 0 || props.disabled}>
        <Icon name="send" />
      </button>
    </form>
  );
}
