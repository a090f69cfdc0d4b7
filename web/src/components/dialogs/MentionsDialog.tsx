// The Mentions view: recent messages that mention me across my rooms, newest first (the server
// leaves out rooms I have left). Each opens its room at the message.
import { createResource, createSignal, For, Show } from "solid-js";
import { useNavigate } from "@solidjs/router";
import { api, call } from "../../api/http.ts";
import { formatDateTime, t } from "../../i18n/index.ts";
import { errorText } from "../../i18n/errors.ts";
import { chatState } from "../../stores/chat.ts";
import { closeDialog } from "../../stores/ui.ts";
import { shownName } from "../../stores/names.ts";
import { messagePath } from "../../stores/navigation.ts";
import { roomTitle } from "../../chat/rooms.ts";
import type { Message } from "../../chat/protocol.ts";
import { Dialog } from "../Dialog.tsx";
import { MessageBody } from "../MessageBody.tsx";

export function MentionsDialog() {
  const navigate = useNavigate();
  const [extra, setExtra] = createSignal<Message[]>([]);
  const [more, setMore] = createSignal(false);
  const [page] = createResource(async () => {
    const answer = await call(api.mentions.get({ query: {} }));
    setMore(answer.hasMore);
    return answer.messages;
  });
  const all = () => [...(page() ?? []), ...extra()];
  const loadMore = async () => {
    const last = all().at(-1);
    if (!last) return;
    const answer = await call(api.mentions.get({ query: { before: last.id } }));
    setExtra([...extra(), ...answer.messages]);
    setMore(answer.hasMore);
  };
  const where = (message: Message) => {
    const room = chatState().rooms[message.roomId];
    return room ? roomTitle(room, chatState().me?.id, shownName) : "";
  };
  return (
    <Dialog title={t("mentions.title")} onClose={closeDialog} class="wide">
      <Show when={page.error}>
        <p class="form-error" role="alert">{errorText(page.error)}</p>
      </Show>
      <Show when={page() && all().length === 0}>
        <p class="muted">{t("mentions.none")}</p>
      </Show>
      <ul class="mentions-list" data-testid="mentions-list">
        <For each={all()}>
          {(message) => (
            <li>
              <button
                type="button"
                class="mention-item"
                onClick={() => {
                  closeDialog();
                  navigate(messagePath(message.roomId, message.id));
                }}
              >
                <span class="mention-item-meta">
                  <span class="mention-item-author">{shownName(message.author)}</span>
                  <span class="muted">{t("mentions.in", { room: where(message) })}</span>
                  <time class="muted" dateTime={new Date(message.createdAt).toISOString()}>{formatDateTime(message.createdAt)}</time>
                </span>
                <MessageBody body={message.body} />
              </button>
            </li>
          )}
        </For>
      </ul>
      <Show when={more()}>
        <button type="button" class="button small" onClick={() => void loadMore()}>{t("mentions.more")}</button>
      </Show>
    </Dialog>
  );
}
