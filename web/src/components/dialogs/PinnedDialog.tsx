// The room's pinned messages, the most recently pinned first; each one jumps to the message.
import { createResource, For, Show } from "solid-js";
import { formatDateTime, t } from "../../i18n/index.ts";
import { errorText } from "../../i18n/errors.ts";
import type { Room } from "../../chat/protocol.ts";
import { pinnedMessages } from "../../stores/conversation-actions.ts";
import { shownName } from "../../stores/names.ts";
import { closeDialog, setJumpTarget } from "../../stores/ui.ts";
import { plainText, parseMarkdown } from "../../markdown/parse.ts";
import { Dialog } from "../Dialog.tsx";
import { Avatar } from "../Avatar.tsx";

export function PinnedDialog(props: { room: Room }) {
  const [pins] = createResource(() => props.room.id, pinnedMessages);
  const jump = (messageId: number) => {
    // The target first: closing unmounts this dialog, after which its props may not be read.
    setJumpTarget({ roomId: props.room.id, messageId });
    closeDialog();
  };
  return (
    <Dialog title={t("pins.title")} onClose={closeDialog} class="wide">
      <Show when={!pins.loading} fallback={<p class="muted" role="status">{t("common.loading")}</p>}>
        <Show when={!pins.error} fallback={<p class="form-error" role="alert">{errorText(pins.error)}</p>}>
          <Show when={(pins() ?? []).length > 0} fallback={<p class="muted">{t("pins.empty")}</p>}>
            <ul class="pin-list">
              <For each={pins()}>
                {(message) => (
                  <li>
                    {/* Named by what it shows (WCAG 2.5.3), the pinned text included, after a hidden "Go to…". */}
                    <button type="button" class="pin-item" onClick={() => jump(message.id)}>
                      <span class="visually-hidden">{t("pins.jump", { name: shownName(message.author) })}: </span>
                      <Avatar user={message.author} small />
                      <span class="pin-text">
                        <span class="pin-meta">
                          <strong>{shownName(message.author)}</strong> · <time dateTime={new Date(message.createdAt).toISOString()}>{formatDateTime(message.createdAt)}</time>
                        </span>
                        <span class="pin-body">{plainText(parseMarkdown(message.body.slice(0, 400))).slice(0, 200)}</span>
                        <Show when={message.pinned?.by}>{(by) => <span class="pin-by">{t("pins.pinnedBy", { name: shownName(by()) })}</span>}</Show>
                      </span>
                    </button>
                  </li>
                )}
              </For>
            </ul>
          </Show>
        </Show>
      </Show>
    </Dialog>
  );
}
