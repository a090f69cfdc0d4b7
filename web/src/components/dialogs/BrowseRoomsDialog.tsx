import { createSignal, For, onCleanup, Show } from "solid-js";
import { useNavigate } from "@solidjs/router";
import { t, tn } from "../../i18n/index.ts";
import { errorText } from "../../i18n/errors.ts";
import { api, call } from "../../api/http.ts";
import { joinRoom } from "../../stores/chat-actions.ts";
import { closeDialog, openDialog } from "../../stores/ui.ts";
import { showToast } from "../../stores/toast.ts";
import { MAX_ROOM_NAME_LENGTH, type PublicRoom } from "../../chat/protocol.ts";
import { Dialog } from "../Dialog.tsx";
import { Icon } from "../Icon.tsx";

export function BrowseRoomsDialog() {
  const navigate = useNavigate();
  const [query, setQuery] = createSignal("");
  // The server filters by name and pages by name: a directory can hold more rooms than one answer.
  const [rooms, setRooms] = createSignal<PublicRoom[] | undefined>(undefined);
  const [nextAfter, setNextAfter] = createSignal<number | null>(null);
  const [loading, setLoading] = createSignal(false);
  const [error, setError] = createSignal<unknown>(undefined);
  const [joining, setJoining] = createSignal<number | null>(null);
  // Answers to an older search (or a page requested before it) are dropped when they arrive late.
  let generation = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const load = async (search: string, after?: number) => {
    const mine = after === undefined ? ++generation : generation;
    setLoading(true);
    setError(undefined);
    try {
      const page = await call(api.rooms.public.get({ query: { query: search.trim().slice(0, MAX_ROOM_NAME_LENGTH) || undefined, after } }));
      if (mine !== generation) return;
      setRooms((shown) => (after === undefined ? page.rooms : [...(shown ?? []), ...page.rooms]));
      setNextAfter(page.nextAfter);
    } catch (failure) {
      if (mine === generation) setError(failure);
    } finally {
      if (mine === generation) setLoading(false);
    }
  };
  void load("");
  onCleanup(() => {
    clearTimeout(timer);
    generation++;
  });

  const search = (value: string) => {
    setQuery(value);
    clearTimeout(timer);
    timer = setTimeout(() => void load(value), 150);
  };
  const loadMore = () => {
    const after = nextAfter();
    if (after !== null && !loading()) void load(query(), after);
  };

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
        <input id="browse-search" class="input" type="search" autofocus placeholder={t("browse.search")} value={query()} onInput={(e) => search(e.currentTarget.value)} />
      </div>
      <div class="dialog-scroll">
        <Show when={rooms() !== undefined || error()} fallback={<p class="muted">{t("common.loading")}</p>}>
          <Show when={error()}>
            <p class="form-error" role="alert">{errorText(error())}</p>
          </Show>
          <ul class="browse-list">
            <For each={rooms() ?? []}>
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
          <Show when={rooms()?.length === 0 && !loading()}>
            <p class="muted">{query().trim() ? t("browse.noMatch") : t("browse.empty")}</p>
          </Show>
          <Show when={nextAfter() !== null}>
            <button type="button" class="button small browse-more" disabled={loading()} onClick={loadMore}>
              {loading() ? t("common.loading") : t("browse.more")}
            </button>
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
