// The actions of one message, shown on hover, on focus, or after a tap on a touch screen: quick
// reactions and the picker, reply in a thread, quote, copy its link, pin, copy its text, edit, delete,
// report. What is offered follows what the server would allow (it checks all the same).
import { For, Show } from "solid-js";
import type { DisplayMessage } from "../chat/display.ts";
import { quickReactions } from "../emoji/recent.ts";
import { t } from "../i18n/index.ts";
import { messageLink, setPinned } from "../stores/conversation-actions.ts";
import { copyText } from "../stores/clipboard.ts";
import { showToast } from "../stores/toast.ts";
import { setQuoting } from "../stores/ui.ts";
import { Icon } from "./Icon.tsx";

export function MessageActions(props: {
  message: DisplayMessage;
  roomId: number;
  archived: boolean;
  canPin: boolean;
  mine: boolean;
  canModerate?: boolean;
  inThread?: boolean;
  onReact: (emoji: string) => void;
  onPick: () => void;
  onOpenThread: () => void;
  onEdit: () => void;
  onDelete: () => void;
  onReport: () => void;
}) {
  const pin = async (value: boolean) => {
    if (props.message.id === null) return;
    try {
      await setPinned(props.roomId, props.message.id, value);
    } catch (error) {
      showToast((error as Error).message, "error");
    }
  };

  return (
    <div class="message-actions">
      <Show when={!props.archived}>
        <div class="quick-reactions" role="group" aria-label={t("reactions.quick")}>
          <For each={quickReactions()}>
            {(emoji) => (
              <button type="button" class="icon-button quick-reaction" aria-label={t("reactions.react", { emoji })} title={t("reactions.react", { emoji })} onClick={() => props.onReact(emoji)}>
                <span aria-hidden="true">{emoji}</span>
              </button>
            )}
          </For>
        </div>
        <button type="button" class="icon-button" aria-label={t("reactions.add")} title={t("reactions.add")} onClick={props.onPick}>
          <Icon name="smile" />
        </button>
        <Show when={!props.inThread && props.message.stored?.threadRootId === undefined}>
          <button type="button" class="icon-button" aria-label={t("thread.reply")} title={t("thread.reply")} onClick={props.onOpenThread}>
            <Icon name="thread" />
          </button>
          <button
            type="button"
            class="icon-button"
            aria-label={t("quote.action")}
            title={t("quote.action")}
            onClick={() => {
              setQuoting({ roomId: props.roomId, messageId: props.message.id! });
              document.querySelector<HTMLTextAreaElement>(`#composer-${props.roomId}`)?.focus();
            }}
          >
            <Icon name="quote" />
          </button>
        </Show>
      </Show>
      <button type="button" class="icon-button" aria-label={t("link.copy")} title={t("link.copy")} onClick={() => void copyText(messageLink(props.roomId, props.message.id!), t("link.copied"))}>
        <Icon name="link" />
      </button>
      <Show when={props.canPin}>
        <button
          type="button"
          class="icon-button"
          aria-label={props.message.stored?.pinned ? t("pins.unpin") : t("pins.pin")}
          title={props.message.stored?.pinned ? t("pins.unpin") : t("pins.pin")}
          aria-pressed={props.message.stored?.pinned !== undefined}
          onClick={() => void pin(props.message.stored?.pinned === undefined)}
        >
          <Icon name="pin" />
        </button>
      </Show>
      <Show when={props.message.body}>
        <button type="button" class="icon-button" aria-label={t("chat.copy")} title={t("chat.copy")} onClick={() => void copyText(props.message.body)}>
          <Icon name="copy" />
        </button>
      </Show>
      <Show when={props.mine}>
        <button type="button" class="icon-button" aria-label={t("chat.edit")} title={t("chat.edit")} onClick={props.onEdit}>
          <Icon name="edit" />
        </button>
      </Show>
      {/* The server lets the author, the room's owner or an admin delete a message. */}
      <Show when={props.mine || props.canModerate}>
        <button type="button" class="icon-button" aria-label={t("chat.delete")} title={t("chat.delete")} onClick={props.onDelete}>
          <Icon name="trash" />
        </button>
      </Show>
      <Show when={!props.mine && !props.message.pending}>
        <button type="button" class="icon-button" aria-label={t("report.action")} title={t("report.action")} onClick={props.onReport}>
          <Icon name="alert" />
        </button>
      </Show>
    </div>
  );
}
