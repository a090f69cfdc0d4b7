// Ctrl/Cmd+K: type a few letters of a room or person, arrows to choose, Enter to go. Besides my
// conversations, it finds people to start a DM with and public rooms I have not joined (asked of the
// server once typing pauses).
import { createMemo, createResource, createSignal, For, onCleanup, Show } from "solid-js";
import { useNavigate } from "@solidjs/router";
import { t } from "../../i18n/index.ts";
import { errorText } from "../../i18n/errors.ts";
import { api, call } from "../../api/http.ts";
import { chatState } from "../../stores/chat.ts";
import { joinRoom } from "../../stores/chat-actions.ts";
import { shownName } from "../../stores/names.ts";
import { showToast } from "../../stores/toast.ts";
import { closeDialog } from "../../stores/ui.ts";
import { dmPeers, matches, roomTitle, sortRooms } from "../../chat/rooms.ts";
import { openDm } from "../../chat/open-dm.ts";
import { MAX_ROOM_NAME_LENGTH, type PublicRoom, type Room, type UserRef } from "../../chat/protocol.ts";
import { Dialog } from "../Dialog.tsx";
import { Icon } from "../Icon.tsx";

type Option =
  | { kind: "room"; key: string; room: Room; title: string }
  | { kind: "person"; key: string; user: UserRef; title: string }
  | { kind: "public"; key: string; room: PublicRoom; title: string };

const FOUND_LIMIT = 8;

/** People and public rooms the server finds for a query; nothing for an empty one. */
async function findElsewhere(query: string): Promise<{ people: UserRef[]; rooms: PublicRoom[] }> {
  if (!query) return { people: [], rooms: [] };
  const [people, rooms] = await Promise.all([
    call(api.users.get({ query: { query, limit: FOUND_LIMIT } })).then((r) => r.users, () => []),
    call(api.rooms.public.get({ query: { query: query.slice(0, MAX_ROOM_NAME_LENGTH) } })).then((r) => r.rooms, () => []),
  ]);
  return { people, rooms };
}

export function RoomSwitcher() {
  const navigate = useNavigate();
  const [query, setQuery] = createSignal("");
  const [index, setIndex] = createSignal(0);
  let input: HTMLInputElement | undefined;
  const [asked, setAsked] = createSignal("");
  let timer: ReturnType<typeof setTimeout> | undefined;
  onCleanup(() => clearTimeout(timer));
  const [found] = createResource(asked, findElsewhere, { initialValue: { people: [], rooms: [] } });
  const options = createMemo<Option[]>(() => {
    const meId = chatState().me?.id;
    const { rooms, dms } = sortRooms(Object.values(chatState().rooms), meId);
    const all: Option[] = [...dms, ...rooms].map((room) => ({ kind: "room", key: `room-${room.id}`, room, title: roomTitle(room, meId, shownName) }));
    // Rooms with unread messages first when nothing is typed yet.
    const unread = (option: Option) => Number(option.kind === "room" && option.room.unread > 0);
    if (!query().trim()) return all.sort((a, b) => unread(b) - unread(a));
    const mine = all.filter((option) => matches(option.title, query()));
    // People I already have a one-to-one conversation with are found as that conversation.
    const withDm = new Set(dms.flatMap((room) => (room.participants.length === 2 ? dmPeers(room, meId).map((u) => u.id) : [])));
    const extra = found() ?? { people: [], rooms: [] };
    const people: Option[] = extra.people
      .filter((user) => user.id !== meId && !withDm.has(user.id))
      .map((user) => ({ kind: "person", key: `person-${user.id}`, user, title: shownName(user) }));
    const publicRooms: Option[] = extra.rooms
      .filter((room) => !room.joined && !chatState().rooms[room.id])
      .map((room) => ({ kind: "public", key: `public-${room.id}`, room, title: room.name }));
    return [...mine, ...people, ...publicRooms];
  });
  const go = async (option: Option) => {
    if (option.kind === "room") {
      closeDialog();
      navigate(`/chat/${option.room.id}`);
    } else if (option.kind === "person") {
      if (await openDm([option.user.id], navigate)) closeDialog();
    } else {
      try {
        await joinRoom(option.room.id);
      } catch (error) {
        showToast(errorText(error), "error");
        return;
      }
      closeDialog();
      navigate(`/chat/${option.room.id}`);
    }
  };
  const icon = (option: Option) =>
    option.kind === "person" ? "userPlus" : option.kind === "public" ? "hash" : option.room.kind === "dm" ? "message" : option.room.kind === "private" ? "lock" : "hash";

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
        aria-activedescendant={options()[index()] ? `switcher-${options()[index()]!.key}` : undefined}
        aria-autocomplete="list"
        placeholder={t("switcher.placeholder")}
        value={query()}
        onInput={(e) => {
          setQuery(e.currentTarget.value);
          setIndex(0);
          const value = e.currentTarget.value.trim();
          clearTimeout(timer);
          timer = setTimeout(() => setAsked(value), 150);
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
            if (option) void go(option);
          }
        }}
      />
      <ul id="switcher-list" class="switcher-list" role="listbox" aria-label={t("switcher.results")}>
        <For each={options()}>
          {(option, i) => (
            <li
              id={`switcher-${option.key}`}
              role="option"
              class="switcher-item"
              classList={{ active: i() === index() }}
              aria-selected={i() === index()}
              onClick={() => void go(option)}
              onMouseMove={() => setIndex(i())}
            >
              <Icon name={icon(option)} class="icon sidebar-icon" />
              <span class="switcher-name">{option.title}</span>
              <Show when={option.kind === "person"}>
                <span class="switcher-hint">{t("switcher.startDm")}</span>
              </Show>
              <Show when={option.kind === "public"}>
                <span class="switcher-hint">{t("switcher.join")}</span>
              </Show>
              <Show when={option.kind === "room" && option.room.unread > 0 ? option.room : undefined}>
                {(room) => <span class="badge">{room().unread >= 100 ? "99+" : room().unread}</span>}
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
