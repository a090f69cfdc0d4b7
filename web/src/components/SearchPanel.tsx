// Search results in place of the conversation: the query with its filters as chips, results grouped
// by conversation with the matches marked, newest first, a page at a time. Choosing a result opens
// its conversation at that message, with the history around it (stores/conversation-actions.ts).
import { createEffect, createMemo, createSignal, For, Match, on, Show, Switch } from "solid-js";
import { useNavigate } from "@solidjs/router";
import { formatDateTime, t, tn } from "../i18n/index.ts";
import type { SearchResult } from "../chat/protocol.ts";
import { chatState } from "../stores/chat.ts";
import { shownName } from "../stores/names.ts";
import { closeSearch, loadMoreResults, runSearch, searchState } from "../stores/search.ts";
import { openAtMessage } from "../stores/conversation-actions.ts";
import { showToast } from "../stores/toast.ts";
import { errorText } from "../i18n/errors.ts";
import { roomTitle } from "../chat/rooms.ts";
import { filterChips, findFilter, withFilter, withoutFilter, type FilterChip } from "../search/query-chips.ts";
import { excerpt } from "../search/segments.ts";
import { withoutMarkup } from "../search/plain-text.ts";
import { HighlightedText } from "./HighlightedText.tsx";
import { Icon } from "./Icon.tsx";

interface Group {
  roomId: number;
  title: string;
  kind: SearchResult["room"]["kind"];
  results: SearchResult[];
}

const chipLabel = (chip: FilterChip) => t(`search.chip.${chip.kind}`, { value: chip.value });

export function SearchPanel() {
  const navigate = useNavigate();
  let input: HTMLInputElement | undefined;
  const [text, setText] = createSignal(searchState().query);
  createEffect(on(() => searchState().query, (query) => setText(query)));
  createEffect(on(() => searchState().focusRequest, () => queueMicrotask(() => input?.focus())));

  const scope = createMemo(() => {
    const id = searchState().roomId;
    const room = id === null ? undefined : chatState().rooms[id];
    return id === null ? null : { id, title: room ? roomTitle(room, chatState().me?.id, shownName) : "" };
  });
  const chips = createMemo(() => filterChips(searchState().query));
  const groups = createMemo<Group[]>(() => {
    const byRoom = new Map<number, Group>();
    for (const result of searchState().results) {
      let group = byRoom.get(result.room.id);
      if (!group) {
        const room = chatState().rooms[result.room.id];
        const title = room ? roomTitle(room, chatState().me?.id, shownName) : result.room.name || t("search.conversation");
        group = { roomId: result.room.id, title, kind: result.room.kind, results: [] };
        byRoom.set(result.room.id, group);
      }
      group.results.push(result);
    }
    return [...byRoom.values()];
  });
  const rerun = (query: string, roomId = searchState().roomId) => runSearch(query, roomId);
  const open = async (result: SearchResult) => {
    try {
      openAtMessage(result.room.id, result.message.id, navigate);
      closeSearch();
    } catch (error) {
      showToast(errorText(error), "error");
    }
  };

  // "With files" is on whether its filter came from this button or was typed (has:file): pressing it
  // again takes the filter away.
  const QuickFilter = (props: { value: "file" | "link"; label: string }) => {
    const chip = () => findFilter(searchState().query, "has", props.value);
    return (
      <button
        type="button"
        class="button small"
        aria-pressed={chip() !== undefined}
        onClick={() => {
          const on = chip();
          rerun(on ? withoutFilter(searchState().query, on) : withFilter(text(), "has", props.value));
        }}
      >
        {props.label}
      </button>
    );
  };

  return (
    <section class="search-panel" aria-labelledby="search-title" data-testid="search-panel">
      <header class="conversation-header search-header">
        <h1 id="search-title" class="visually-hidden">{t("search.title")}</h1>
        <form
          role="search"
          class="search-form"
          onSubmit={(event) => {
            event.preventDefault();
            rerun(text().trim());
          }}
        >
          <Icon name="search" class="icon header-search-icon" />
          <input
            ref={input}
            id="search-input"
            class="search-input"
            type="search"
            aria-label={t("search.label")}
            aria-describedby="search-help"
            placeholder={t("search.placeholder")}
            autocomplete="off"
            enterkeyhint="search"
            maxlength={256}
            value={text()}
            onInput={(e) => setText(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === "Escape") {
                e.preventDefault();
                closeSearch();
              }
            }}
          />
          <button type="submit" class="button primary small">{t("search.submit")}</button>
        </form>
        <button type="button" class="icon-button" aria-label={t("search.close")} title={t("search.close")} onClick={closeSearch}>
          <Icon name="close" />
        </button>
      </header>
      <div class="search-body">
        <div class="search-filters">
          <ul class="chips" aria-label={t("search.filters")}>
            <Show when={scope()}>
              {(room) => (
                <li class="chip">
                  {t("search.chip.room", { value: room().title })}
                  <button type="button" class="chip-remove" aria-label={t("search.removeFilter", { filter: t("search.chip.room", { value: room().title }) })} onClick={() => rerun(searchState().query, null)}>
                    <Icon name="close" />
                  </button>
                </li>
              )}
            </Show>
            <For each={chips()}>
              {(chip) => (
                <li class="chip">
                  {chipLabel(chip)}
                  <button type="button" class="chip-remove" aria-label={t("search.removeFilter", { filter: chipLabel(chip) })} onClick={() => rerun(withoutFilter(searchState().query, chip))}>
                    <Icon name="close" />
                  </button>
                </li>
              )}
            </For>
          </ul>
          <div class="search-quick">
            <QuickFilter value="file" label={t("search.withFiles")} />
            <QuickFilter value="link" label={t("search.withLinks")} />
          </div>
        </div>
        <p id="search-help" class="search-help muted">{t("search.help")}</p>
        <p class="search-status" role="status" data-testid="search-status">
          <Switch>
            <Match when={searchState().status === "loading"}>{t("search.searching")}</Match>
            <Match when={searchState().status === "error"}>{searchState().error}</Match>
            <Match when={searchState().status === "done" && searchState().results.length === 0}>{t("search.none")}</Match>
            <Match when={searchState().status === "done"}>{tn("search.shown", searchState().results.length)}</Match>
          </Switch>
        </p>
        <For each={groups()}>
          {(group) => (
            <section class="search-group" aria-labelledby={`search-group-${group.roomId}`}>
              <h2 id={`search-group-${group.roomId}`} class="search-group-title">
                <Icon name={group.kind === "dm" ? "message" : group.kind === "private" ? "lock" : "hash"} class="icon title-icon" />
                <span>{group.title}</span>
              </h2>
              <ul class="search-list">
                <For each={group.results}>
                  {(result) => {
                    const plain = withoutMarkup(result.message.body, result.highlights);
                    const shown = excerpt(plain.text, plain.ranges);
                    return (
                      <li>
                        <button type="button" class="search-result" data-message-id={result.message.id} onClick={() => void open(result)}>
                          <span class="search-result-meta">
                            <span class="search-result-author">{shownName(result.message.author)}</span>
                            <time class="message-time" dateTime={new Date(result.message.createdAt).toISOString()}>{formatDateTime(result.message.createdAt)}</time>
                          </span>
                          <Show when={shown.text}>
                            <HighlightedText class="search-result-text" text={shown.text} ranges={shown.ranges} />
                          </Show>
                          <Show when={result.message.attachment}>
                            {(file) => (
                              <span class="search-result-file">
                                <Icon name="paperclip" class="icon" />
                                <HighlightedText text={file().name} ranges={result.fileNameHighlights} />
                              </span>
                            )}
                          </Show>
                        </button>
                      </li>
                    );
                  }}
                </For>
              </ul>
            </section>
          )}
        </For>
        <Show when={searchState().next !== null}>
          <button type="button" class="button search-more" disabled={searchState().status === "loading"} onClick={loadMoreResults}>
            {t("search.more")}
          </button>
        </Show>
      </div>
    </section>
  );
}
