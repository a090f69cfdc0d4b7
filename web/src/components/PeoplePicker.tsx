// Search-as-you-type over the user directory; picks one or several people. Enter picks the
// highlighted match (arrows move the highlight) and never submits the surrounding form.
import { createEffect, createResource, createSignal, For, on, Show } from "solid-js";
import { t } from "../i18n/index.ts";
import { api, call } from "../api/http.ts";
import { chatState } from "../stores/chat.ts";
import { displayNameOf } from "../chat/names.ts";
import type { UserRef } from "../chat/protocol.ts";
import { Avatar } from "./Avatar.tsx";
import { Icon } from "./Icon.tsx";

let nextId = 0;

export function PeoplePicker(props: {
  /** Focus the search field when the dialog opens. */
  autofocus?: boolean;
  selected: UserRef[];
  onToggle: (user: UserRef) => void;
  /** People who cannot be picked (already members, me). */
  exclude?: Set<number>;
  label: string;
  /** Told what is typed but not yet picked (the New room dialog acts on it at Create). */
  onQuery?: (query: string) => void;
}) {
  const id = `people-${++nextId}`;
  const [query, setQuery] = createSignal("");
  const [debounced, setDebounced] = createSignal("");
  let timer: ReturnType<typeof setTimeout> | undefined;
  const [results] = createResource(debounced, searchPeople, { initialValue: [] });
  // An emptied search shows nothing (the resource keeps its last answer when its source goes empty).
  const visible = () => (debounced().trim() ? (results() ?? []) : []).filter((user) => !props.exclude?.has(user.id));
  const isSelected = (user: UserRef) => props.selected.some((s) => s.id === user.id);
  const [highlight, setHighlight] = createSignal(0);
  createEffect(on(visible, () => setHighlight(0)));
  const setTyped = (value: string) => {
    setQuery(value);
    props.onQuery?.(value);
  };
  const pickHighlighted = async () => {
    const typed = query();
    if (!typed.trim()) return;
    // Enter pressed before the debounce fired: search now rather than pick from stale results.
    let list = visible();
    if (debounced() !== typed) {
      clearTimeout(timer);
      setDebounced(typed);
      list = (await searchPeople(typed)).filter((user) => !props.exclude?.has(user.id));
    }
    const user = list[Math.min(highlight(), list.length - 1)];
    if (!user) return;
    if (!isSelected(user)) props.onToggle(user);
    setTyped("");
    setDebounced("");
  };
  const onKeyDown = (event: KeyboardEvent) => {
    const count = visible().length;
    if (event.key === "Enter") {
      event.preventDefault();
      void pickHighlighted();
    } else if (event.key === "ArrowDown" && count > 0) {
      event.preventDefault();
      setHighlight((i) => (i + 1) % count);
    } else if (event.key === "ArrowUp" && count > 0) {
      event.preventDefault();
      setHighlight((i) => (i - 1 + count) % count);
    }
  };

  return (
    <div class="people-picker">
      <div class="field">
        <label for={id}>{props.label}</label>
        <input
          id={id}
          class="input"
          type="search"
          autofocus={props.autofocus}
          autocomplete="off"
          placeholder={t("people.searchPlaceholder")}
          value={query()}
          aria-describedby={`${id}-hint`}
          onKeyDown={onKeyDown}
          onInput={(e) => {
            setTyped(e.currentTarget.value);
            clearTimeout(timer);
            const value = e.currentTarget.value;
            timer = setTimeout(() => setDebounced(value), 150);
          }}
        />
        <span id={`${id}-hint`} class="visually-hidden">{t("people.enterHint")}</span>
      </div>
      <Show when={props.selected.length > 0}>
        <ul class="chips" aria-label={t("people.selected")}>
          <For each={props.selected}>
            {(user) => (
              <li class="chip">
                {displayNameOf(user)}
                <button type="button" class="chip-remove" aria-label={t("people.remove", { name: displayNameOf(user) })} onClick={() => props.onToggle(user)}>
                  <Icon name="close" />
                </button>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <ul class="pick-list" aria-label={t("people.results")}>
        <For each={visible()}>
          {(user, index) => (
            <li>
              <button type="button" class="pick-item" classList={{ highlighted: index() === highlight() }} aria-pressed={isSelected(user)} onClick={() => props.onToggle(user)}>
                <span class="sidebar-dm-avatar">
                  <Avatar user={user} small />
                  <Show when={chatState().online[user.id]}>
                    <span class="presence-dot on-avatar" />
                  </Show>
                </span>
                <span class="pick-name">{displayNameOf(user)}</span>
                <span class="pick-username">@{user.username}</span>
                <Show when={isSelected(user)}>
                  <Icon name="check" class="icon pick-check" />
                </Show>
              </button>
            </li>
          )}
        </For>
      </ul>
      <Show when={query().trim() !== "" && debounced() === query() && !results.loading && visible().length === 0}>
        <p class="muted small-text">{t("people.none")}</p>
      </Show>
    </div>
  );
}

/** The directory's matches for `query` (at most 20). */
export async function searchPeople(query: string): Promise<UserRef[]> {
  return (await call(api.users.get({ query: { query, limit: 20 } }))).users;
}
