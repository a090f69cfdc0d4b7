import { createEffect, createSignal, For, on, Show } from "solid-js";
import { locale, t, tn } from "../i18n/index.ts";
import { MAX_MESSAGE_LENGTH } from "../chat/protocol.ts";
import { notifyTyping, postMessage } from "../stores/chat-actions.ts";
import { chatState } from "../stores/chat.ts";
import { draftKey, draftOf, saveDraft } from "../stores/drafts.ts";
import { quoting, setEditRequest, setQuoting } from "../stores/ui.ts";
import { shownName } from "../stores/names.ts";
import { completeShortcode, loadEmoji, type EmojiEntry } from "../emoji/data.ts";
import { useEmoji } from "../emoji/recent.ts";
import { Icon } from "./Icon.tsx";
import { AttachButton } from "./AttachButton.tsx";
import { takeTray, trayStatus } from "./UploadTray.tsx";
import { EmojiPicker } from "./LazyEmojiPicker.tsx";
import { openSearch } from "../stores/search.ts";
import { MentionAutocomplete } from "./MentionAutocomplete.tsx";

/** `:thu` right before the caret (two characters at least, after a space or at the start). */
const SHORTCODE = /(?:^|\s):([a-z0-9_+-]{2,30})$/i;

/**
 * Enter sends, Shift+Enter starts a new line; arrow-up in an empty field edits my last message. The
 * draft of each room and each thread is kept (stores/drafts.ts). In a room it can quote a message;
 * in a thread it replies there, and may also send the reply to the room. `:shortcode` suggests emoji.
 */
export function Composer(props: { roomId: number; threadRootId?: number; placeholder: string; disabled?: boolean }) {
  const key = () => draftKey(props.roomId, props.threadRootId);
  const [text, setText] = createSignal(draftOf(key()));
  const [alsoToRoom, setAlsoToRoom] = createSignal(false);
  const [picking, setPicking] = createSignal(false);
  const [suggestions, setSuggestions] = createSignal<{ entry: EmojiEntry; code: string }[]>([]);
  const [active, setActive] = createSignal(0);
  let input!: HTMLTextAreaElement;
  const id = () => (props.threadRootId === undefined ? `composer-${props.roomId}` : `thread-composer-${props.threadRootId}`);
  const remaining = () => MAX_MESSAGE_LENGTH - text().length;
  const quoted = () => {
    const target = quoting();
    if (props.threadRootId !== undefined || !target || target.roomId !== props.roomId) return null;
    return chatState().timelines[props.roomId]?.messages.find((m) => m.id === target.messageId) ?? null;
  };

  createEffect(on(key, (name) => setText(draftOf(name)), { defer: true }));

  const update = (value: string) => {
    setText(value);
    saveDraft(key(), value);
  };
  /** The room's file tray (the thread composer has none): its files go with the text, as their caption. */
  const tray = () => (props.threadRootId === undefined ? trayStatus(props.roomId) : "empty");
  const canSend = () => !props.disabled && remaining() >= 0 && (tray() === "ready" || (tray() === "empty" && text().trim() !== ""));
  const send = () => {
    const body = text().trim();
    if (!canSend()) return;
    const quote = quoted();
    const files = tray() === "ready" ? takeTray(props.roomId) : null;
    postMessage(props.roomId, body, {
      ...(props.threadRootId !== undefined ? { threadRootId: props.threadRootId, alsoToRoom: alsoToRoom() } : {}),
      ...(quote ? { quote: { id: quote.id, author: quote.author, snippet: quote.body.slice(0, 200) } } : {}),
      ...(files ? { attachments: files.ids, files: files.files } : {}),
    });
    if (quote) setQuoting(null);
    setAlsoToRoom(false);
    update("");
    setSuggestions([]);
    input.focus();
  };

  /** My newest message here that I may edit: arrow-up's target. */
  const myLast = () => {
    const me = chatState().me?.id;
    const list = props.threadRootId === undefined ? chatState().timelines[props.roomId]?.messages : chatState().threads[props.threadRootId]?.messages;
    return [...(list ?? [])].reverse().find((m) => m.author.id === me && m.deletedAt === undefined && !m.event);
  };

  /** Inserts `value` at the caret (or in place of the `:code` being completed). */
  const insert = (value: string, replaceFrom?: number) => {
    const start = replaceFrom ?? input.selectionStart;
    const end = input.selectionEnd;
    const next = text().slice(0, start) + value + text().slice(end);
    update(next);
    input.value = next;
    const caret = start + value.length;
    input.setSelectionRange(caret, caret);
    input.focus();
  };

  let lookup = 0;
  const suggest = async () => {
    const before = text().slice(0, input.selectionStart);
    const match = SHORTCODE.exec(before);
    if (!match) return setSuggestions([]);
    const asked = ++lookup;
    try {
      const data = await loadEmoji(locale());
      if (asked !== lookup) return;
      setSuggestions(completeShortcode(data, match[1]!));
      setActive(0);
    } catch {
      setSuggestions([]);
    }
  };
  const choose = (choice: { entry: EmojiEntry }) => {
    const before = text().slice(0, input.selectionStart);
    const match = SHORTCODE.exec(before)!;
    useEmoji(choice.entry.emoji);
    insert(`${choice.entry.emoji} `, before.length - match[1]!.length - 1);
    setSuggestions([]);
  };

  return (
    <div class="composer-box">
      <Show when={quoted()}>
        {(quote) => (
          <div class="composer-quote">
            <Icon name="quote" />
            <span class="composer-quote-text">
              <strong>{t("quote.replyingTo", { name: shownName(quote().author) })}</strong> {quote().body.slice(0, 120)}
            </span>
            <button type="button" class="icon-button" aria-label={t("quote.cancel")} title={t("quote.cancel")} onClick={() => setQuoting(null)}>
              <Icon name="close" />
            </button>
          </div>
        )}
      </Show>
      <Show when={suggestions().length > 0}>
        <ul class="emoji-suggestions" role="listbox" id={`${id()}-suggestions`} aria-label={t("emoji.suggestions")}>
          <For each={suggestions()}>
            {(choice, index) => (
              <li
                id={`${id()}-suggestion-${index()}`}
                role="option"
                aria-selected={index() === active()}
                classList={{ active: index() === active() }}
                onPointerDown={(event) => {
                  event.preventDefault();
                  choose(choice);
                }}
              >
                <span class="emoji-suggestion-emoji" aria-hidden="true">{choice.entry.emoji}</span>
                <span>:{choice.code}:</span>
                <span class="visually-hidden">{choice.entry.label}</span>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <Show when={picking()}>
        <div class="composer-picker">
          <EmojiPicker
            label={t("emoji.insert")}
            onPick={(emoji) => {
              setPicking(false);
              insert(emoji);
            }}
            onClose={() => setPicking(false)}
          />
        </div>
      </Show>
      <form
        class="composer"
        onSubmit={(e) => {
          e.preventDefault();
          send();
        }}
      >
        <div class="composer-tools">
          <Show when={props.threadRootId === undefined}>
            <AttachButton roomId={props.roomId} disabled={props.disabled} />
          </Show>
          <button type="button" class="icon-button composer-emoji" aria-label={t("emoji.insert")} title={t("emoji.insert")} disabled={props.disabled} onClick={() => setPicking(!picking())}>
            <Icon name="smile" />
          </button>
        </div>
        <label class="visually-hidden" for={id()}>{props.placeholder}</label>
        <textarea
          id={id()}
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
          aria-describedby={`${id()}-hint`}
          aria-autocomplete="list"
          aria-controls={suggestions().length > 0 ? `${id()}-suggestions` : undefined}
          aria-activedescendant={suggestions().length > 0 ? `${id()}-suggestion-${active()}` : undefined}
          onInput={(e) => {
            update(e.currentTarget.value);
            if (e.currentTarget.value.trim()) notifyTyping(props.roomId);
            void suggest();
          }}
          onKeyDown={(e) => {
            const open = suggestions();
            if (open.length > 0) {
              if (e.key === "ArrowDown" || e.key === "ArrowUp") {
                e.preventDefault();
                setActive((active() + (e.key === "ArrowDown" ? 1 : open.length - 1)) % open.length);
                return;
              }
              if ((e.key === "Enter" || e.key === "Tab") && !e.isComposing) {
                e.preventDefault();
                choose(open[active()]!);
                return;
              }
              if (e.key === "Escape") {
                e.preventDefault();
                e.stopPropagation();
                setSuggestions([]);
                return;
              }
            }
            // "/" in an empty composer starts a search (a slash in a message still types once there is text).
            if (e.key === "/" && text() === "" && !e.ctrlKey && !e.metaKey && !e.altKey) {
              e.preventDefault();
              openSearch();
              return;
            }
            if (e.key === "ArrowUp" && text() === "" && !e.shiftKey && !e.altKey && !e.ctrlKey && !e.metaKey) {
              const last = myLast();
              if (last) {
                e.preventDefault();
                setEditRequest(last.id);
              }
              return;
            }
            if (e.key === "Escape" && quoted()) {
              e.preventDefault();
              e.stopPropagation();
              setQuoting(null);
              return;
            }
            // isComposing: Enter that confirms an IME candidate (Japanese, Chinese…) must not send.
            if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
              e.preventDefault();
              send();
            }
          }}
          onBlur={() => setSuggestions([])}
        />
        <MentionAutocomplete roomId={props.roomId} id={`${id()}-mentions`} input={() => input} onChange={update} />
        <span id={`${id()}-hint`} class="visually-hidden">{t("composer.hint")} {t("composer.editLastHint")}</span>
        <Show when={remaining() < 200}>
          <span class="composer-count" classList={{ over: remaining() < 0 }} aria-live="polite">
            {tn("composer.remaining", remaining())}
          </span>
        </Show>
        <button type="submit" class="composer-send" aria-label={t("composer.send")} title={t("composer.send")} disabled={!canSend()} aria-describedby={tray() === "busy" ? `${id()}-tray-wait` : undefined}>
          <Icon name="send" />
        </button>
      </form>
      <Show when={tray() === "busy"}>
        <p id={`${id()}-tray-wait`} class="composer-tray-wait muted small-text">{t("files.waitForUploads")}</p>
      </Show>
      <Show when={props.threadRootId !== undefined}>
        <label class="composer-also">
          <input type="checkbox" checked={alsoToRoom()} onChange={(e) => setAlsoToRoom(e.currentTarget.checked)} />
          {t("thread.alsoToRoom")}
        </label>
      </Show>
    </div>
  );
}
