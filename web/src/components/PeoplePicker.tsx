// Search-as-you-type over the user directory; picks one or several people.
import { createResource, createSignal, For, Show } from "solid-js";
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
}) {
  const id = `people-${++nextId}`;
  const [query, setQuery] = createSignal("");
  const [debounced, setDebounced] = createSignal("");
  let timer: ReturnType<typeof setTimeout> | undefined;
  const [results] = createResource(debounced, async (q) => (await call(api.users.get({ query: { query: q, limit: 20 } }))).users, { initialValue: [] });
  const visible = () => (results() ?? []).filter((user) => !props.exclude?.has(user.id));
  const isSelected = (user: UserRef) => props.selected.some((s) => s.id === user.id);

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
          onInput={(e) => {
            setQuery(e.currentTarget.value);
            clearTimeout(timer);
            const value = e.currentTarget.value;
            timer = setTimeout(() => setDebounced(value), 150);
          }}
        />
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
          {(user) => (
            <li>
              <button type="button" class="pick-item" aria-pressed={isSelected(user)} onClick={() => props.onToggle(user)}>
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
      <Show when={!results.loading && visible().length === 0}>
        <p class="muted small-text">{t("people.none")}</p>
      </Show>
    </div>
  );
}
