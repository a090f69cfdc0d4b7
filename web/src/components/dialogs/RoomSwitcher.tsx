// Ctrl/Cmd+K: type a few letters of a room or person, arrows to choose, Enter to go.
import { createMemo, createSignal, For, Show } from "solid-js";
import { useNavigate } from "@solidjs/router";
import { t } from "../../i18n/index.ts";
import { chatState } from "../../stores/chat.ts";
import { shownName } from "../../stores/names.ts";
import { closeDialog } from "../../stores/ui.ts";
import { matches, roomTitle, sortRooms } from "../../chat/rooms.ts";
import { Dialog } from "../Dialog.tsx";
import { Icon } from "../Icon.tsx";

export function RoomSwitcher() {
  const navigate = useNavigate();
  const [query, setQuery] = createSignal("");
  const [index, setIndex] = createSignal(0);
  let input: HTMLInputElement | undefined;
  const options = createMemo(() => {
    const meId = chatState().me?.id;
    const { rooms, dms } = sortRooms(Object.values(chatState().rooms), meId);
    const all = [...dms, ...rooms].map((room) => ({ room, title: roomTitle(room, meId, shownName) }));
    // Rooms with unread messages first when nothing is typed yet.
    if (!query().trim()) return all.sort((a, b) => Number(b.room.unread > 0) - Number(a.room.unread > 0));
    return all.filter((option) => matches(option.title, query()));
  });
  const go = (roomId: number) => {
    closeDialog();
    navigate(`/chat/${roomId}`);
  };

  return (
    <Dialog title={t("switcher.title")} onClose={closeDialog} initialFocus={() => input}>
      <input
        ref={input}
        class="input"
        type="text"
        role="combobox"
        aria-label={t("switcher.label")}
        aria-expanded="true"
        aria-controls="switcher-list"
        aria-activedescendant={options()[index()] ? `switcher-${options()[index()]!.room.id}` : undefined}
        aria-autocomplete="list"
        placeholder={t("switcher.placeholder")}
        value={query()}
        onInput={(e) => {
          setQuery(e.currentTarget.value);
          setIndex(0);
        }}
        onKeyDown={(e) => {
          const count = options().length;
          if (e.key === "ArrowDown" && count) {
            e.preventDefault();
            setIndex((i) => (i + 1) % count);
          } else if (e.key === "ArrowUp" && count) {
            e.preventDefault();
            setIndex((i) => (i - 1 + count) % count);
          } else if (e.key === "Enter") {
            e.preventDefault();
            const option = options()[index()];
            if (option) go(option.room.id);
          }
        }}
      />
      <ul id="switcher-list" class="switcher-list" role="listbox" aria-label={t("switcher.results")}>
        <For each={options()}>
          {(option, i) => (
            <li
              id={`switcher-${option.room.id}`}
              role="option"
              class="switcher-item"
              classList={{ active: i() === index() }}
              aria-selected={i() === index()}
              onClick={() => go(option.room.id)}
              onMouseMove={() => setIndex(i())}
            >
              <Icon name={option.room.kind === "dm" ? "message" : option.room.kind === "private" ? "lock" : "hash"} class="icon sidebar-icon" />
              <span class="switcher-name">{option.title}</span>
              <Show when={option.room.unread > 0}>
                <span class="badge">{option.room.unread >= 100 ? "99+" : option.room.unread}</span>
              </Show>
            </li>
          )}
        </For>
      </ul>
      <Show when={options().length === 0}>
        <p class="muted">{t("switcher.none")}</p>
      </Show>
    </Dialog>
  );
}
