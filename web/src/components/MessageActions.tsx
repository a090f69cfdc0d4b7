// The actions of one message, shown on hover, on focus, or after a tap on a touch screen: quick
// reactions and the picker, reply in a thread, edit; under "More": quote, copy its link, pin, copy its
// text, delete, report. What is offered follows what the server would allow (it checks all the same).
import { For, Show } from "solid-js";
import type { DisplayMessage } from "../chat/display.ts";
import { quickReactions } from "../emoji/recent.ts";
import { t } from "../i18n/index.ts";
import { messageLink, setPinned } from "../stores/conversation-actions.ts";
import { copyText } from "../stores/clipboard.ts";
import { showToast } from "../stores/toast.ts";
import { setQuoting } from "../stores/ui.ts";
import { ActionsMenu, type MenuAction } from "./ActionsMenu.tsx";
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

  // The frequent actions stay one click or tap away; the rest wait in "More", each with its words
  // beside its icon. Thirteen icon-only buttons made three rows under a tapped message on a phone and a
  // guessing game everywhere.
  const more = (): MenuAction[] => {
    const m = props.message;
    const list: MenuAction[] = [];
    if (!props.archived && !props.inThread && m.stored?.threadRootId === undefined) {
      list.push({
        label: t("quote.action"),
        icon: "quote",
        run: () => {
          setQuoting({ roomId: props.roomId, messageId: m.id! });
          document.querySelector<HTMLTextAreaElement>(`#composer-${props.roomId}`)?.focus();
        },
      });
    }
    list.push({ label: t("link.copy"), icon: "link", run: () => void copyText(messageLink(props.roomId, m.id!), t("link.copied")) });
    if (props.canPin) {
      const pinned = m.stored?.pinned !== undefined;
      list.push({ label: pinned ? t("pins.unpin") : t("pins.pin"), icon: "pin", run: () => void pin(!pinned) });
    }
    if (m.body) list.push({ label: t("chat.copy"), icon: "copy", run: () => void copyText(m.body) });
    // The server lets the author, the room's owner or an admin delete a message.
    if (props.mine || props.canModerate) list.push({ label: t("chat.delete"), icon: "trash", run: props.onDelete });
    if (!props.mine && !m.pending) list.push({ label: t("report.action"), icon: "alert", run: props.onReport });
    return list;
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
        </Show>
      </Show>
      <Show when={props.mine}>
        <button type="button" class="icon-button" aria-label={t("chat.edit")} title={t("chat.edit")} onClick={props.onEdit}>
          <Icon name="edit" />
        </button>
      </Show>
      <ActionsMenu label={t("chat.moreActions")} actions={more()} class="message-more" />
    </div>
  );
}
