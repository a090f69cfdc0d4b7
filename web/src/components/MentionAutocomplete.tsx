// Typing `@` in the composer opens the room's members (and `@room` for those allowed to use it),
// best matches first, filtered as one types: ↑/↓ move, Enter or Tab picks, Esc closes; a tap picks
// too. It listens on the composer's textarea itself, so the composer only mounts it beside the field
// (and other composer features stay out of this file). The field (a textbox) points at the current
// option with aria-activedescendant, and a polite live region reads it out.
import { createEffect, createMemo, createSignal, For, onCleanup, onMount, Show } from "solid-js";
import { t } from "../i18n/index.ts";
import { chatState } from "../stores/chat.ts";
import { loadMembers } from "../stores/chat-actions.ts";
import { shownName } from "../stores/names.ts";
import { displayNameOf } from "../chat/names.ts";
import { MAX_ROOM_MENTION_MEMBERS, type UserRef } from "../chat/protocol.ts";
import { insertMention, mentionAt, rankMembers, type MentionQuery } from "../chat/mention-search.ts";
import { Avatar } from "./Avatar.tsx";

const ROOM: UserRef = { id: -1, username: "room", displayName: null };

/** `id`: the list's id, unique on the page (a room's composer and its thread's are on screen together). */
export function MentionAutocomplete(props: { roomId: number; id?: string; input: () => HTMLTextAreaElement | undefined; onChange: (value: string) => void }) {
  const [query, setQuery] = createSignal<MentionQuery | null>(null);
  const [active, setActive] = createSignal(0);
  const listId = props.id ?? `mentions-${props.roomId}`;
  const room = () => chatState().rooms[props.roomId];
  const members = (): UserRef[] => {
    const current = room();
    if (!current) return [];
    return current.kind === "dm" ? current.participants : (chatState().members[props.roomId] ?? []);
  };
  const mayMentionRoom = () => {
    const current = room();
    if (!current) return false;
    const allowed = current.kind === "dm" || current.role === "owner" || chatState().me?.isAdmin === true;
    return allowed && current.memberCount <= MAX_ROOM_MENTION_MEMBERS;
  };
  const options = createMemo<UserRef[]>(() => {
    const q = query();
    if (!q) return [];
    const found = rankMembers(members(), q.text, chatState().me?.id);
    return mayMentionRoom() && "room".startsWith(q.text.toLowerCase()) ? [...found, ROOM] : found;
  });
  const open = () => options().length > 0;

  const refresh = () => {
    const el = props.input();
    if (!el) return;
    const q = el.selectionStart === el.selectionEnd ? mentionAt(el.value, el.selectionStart) : null;
    if (q && !query()) {
      setActive(0);
      const current = room();
      if (current && current.kind !== "dm" && !chatState().members[props.roomId]) void loadMembers(props.roomId);
    }
    setQuery(q);
    if (active() >= options().length) setActive(0);
  };

  const pick = (user: UserRef) => {
    const el = props.input();
    const q = query();
    if (!el || !q) return;
    const next = insertMention(el.value, q, user.username);
    props.onChange(next.value);
    el.value = next.value;
    el.setSelectionRange(next.caret, next.caret);
    el.focus();
    setQuery(null);
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (!open() || event.isComposing) return;
    const count = options().length;
    let handled = true;
    if (event.key === "ArrowDown") setActive((active() + 1) % count);
    else if (event.key === "ArrowUp") setActive((active() - 1 + count) % count);
    else if (event.key === "Enter" || event.key === "Tab") pick(options()[active()]!);
    else if (event.key === "Escape") setQuery(null);
    else handled = false;
    if (handled) {
      // Before the composer's own handler: Enter picks instead of sending.
      event.preventDefault();
      event.stopPropagation();
    }
  };

  onMount(() => {
    const el = props.input();
    if (!el) return;
    el.setAttribute("aria-autocomplete", "list");
    el.addEventListener("keydown", onKeyDown);
    el.addEventListener("input", refresh);
    el.addEventListener("click", refresh);
    el.addEventListener("blur", () => setQuery(null));
    onCleanup(() => {
      el.removeEventListener("keydown", onKeyDown);
      el.removeEventListener("input", refresh);
      el.removeEventListener("click", refresh);
    });
  });
  // The field says which option is current.
  createEffect(() => {
    const el = props.input();
    if (!el) return;
    // aria-controls only while the list exists: an id that names nothing is an invalid value.
    if (open()) {
      el.setAttribute("aria-controls", listId);
      el.setAttribute("aria-activedescendant", `${listId}-${active()}`);
    } else {
      el.removeAttribute("aria-activedescendant");
      if (el.getAttribute("aria-controls") === listId) el.removeAttribute("aria-controls");
    }
  });
  const current = () => {
    const user = options()[active()];
    if (!user) return "";
    const name = user.id === ROOM.id ? t("mentions.everyone") : displayNameOf(user);
    return t("mentions.option", { name, username: user.username, position: active() + 1, count: options().length });
  };

  return (
    <>
    <span class="visually-hidden" aria-live="polite">{open() ? current() : ""}</span>
    <Show when={open()}>
      <ul class="mention-list" id={listId} role="listbox" aria-label={t("mentions.suggestions")}>
        <For each={options()}>
          {(user, index) => (
            <li
              id={`${listId}-${index()}`}
              role="option"
              class="mention-option"
              classList={{ active: index() === active() }}
              aria-selected={index() === active()}
              // pointerdown, not click: the field keeps its focus (and the caret) while a tap picks.
              onPointerDown={(event) => {
                event.preventDefault();
                pick(user);
              }}
              onMouseEnter={() => setActive(index())}
            >
              <Show when={user.id !== ROOM.id} fallback={<span class="mention-room" aria-hidden="true">@</span>}>
                <Avatar user={user} small />
              </Show>
              <span class="mention-name">{user.id === ROOM.id ? t("mentions.everyone") : displayNameOf(user)}</span>
              <span class="mention-handle">@{user.username}</span>
              <Show when={user.id !== ROOM.id && shownName(user) !== displayNameOf(user)}>
                <span class="visually-hidden">{shownName(user)}</span>
              </Show>
            </li>
          )}
        </For>
      </ul>
    </Show>
    </>
  );
}
