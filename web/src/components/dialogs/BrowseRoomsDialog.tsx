import { createResource, createSignal, For, Show } from "solid-js";
import { useNavigate } from "@solidjs/router";
import { t, tn } from "../../i18n/index.ts";
import { errorText } from "../../i18n/errors.ts";
import { chatApi } from "../../api/chat.ts";
import { joinRoom } from "../../stores/chat-actions.ts";
import { closeDialog, openDialog } from "../../stores/ui.ts";
import { showToast } from "../../stores/toast.ts";
import { matches } from "../../chat/rooms.ts";
import type { PublicRoom } from "../../chat/protocol.ts";
import { Dialog } from "../Dialog.tsx";
import { Icon } from "../Icon.tsx";

export function BrowseRoomsDialog() {
  const navigate = useNavigate();
  const [rooms] = createResource(async () => (await chatApi.publicRooms()).rooms);
  const [query, setQuery] = createSignal("");
  const [joining, setJoining] = createSignal<number | null>(null);
  const visible = () => (rooms() ?? []).filter((room) => matches(`${room.name} ${room.topic}`, query()));

  const open = async (room: PublicRoom) => {
    if (!room.joined) {
      setJoining(room.id);
      try {
        await joinRoom(room.id);
      } catch (error) {
        showToast(errorText(error), "error");
        setJoining(null);
        return;
      }
    }
    closeDialog();
    navigate(`/chat/${room.id}`);
  };

  return (
    <Dialog title={t("browse.title")} onClose={closeDialog} class="wide">
      <div class="field">
        <label for="browse-search" class="visually-hidden">{t("browse.search")}</label>
        <input id="browse-search" class="input" type="search" autofocus placeholder={t("browse.search")} value={query()} onInput={(e) => setQuery(e.currentTarget.value)} />
      </div>
      <div class="dialog-scroll">
        <Show when={!rooms.loading} fallback={<p class="muted">{t("common.loading")}</p>}>
          <Show when={rooms.error}>
            <p class="form-error" role="alert">{errorText(rooms.error)}</p>
          </Show>
          <ul class="browse-list">
            <For each={visible()}>
              {(room) => (
                <li class="browse-item">
                  <div class="browse-text">
                    <span class="browse-name"><Icon name="hash" class="icon sidebar-icon" />{room.name}</span>
                    <Show when={room.topic}>
                      <span class="browse-topic">{room.topic}</span>
                    </Show>
                    <span class="muted small-text">{tn("browse.members", room.memberCount)}</span>
                  </div>
                  <button type="button" class={room.joined ? "button small" : "button primary small"} disabled={joining() === room.id} onClick={() => void open(room)} aria-label={`${room.joined ? t("browse.open") : t("browse.join")} ${room.name}`}>
                    {room.joined ? t("browse.open") : t("browse.join")}
                  </button>
                </li>
              )}
            </For>
          </ul>
          <Show when={rooms() && visible().length === 0}>
            <p class="muted">{query() ? t("browse.noMatch") : t("browse.empty")}</p>
          </Show>
        </Show>
      </div>
      <div class="dialog-actions">
        <button type="button" class="button" onClick={() => openDialog("newRoom")}>
          <Icon name="plus" />
          {t("sidebar.newRoom")}
        </button>
      </div>
    </Dialog>
  );
}
