// The emoji picker: a search field (names and keywords in the interface language, and shortcodes),
// a row of categories with "recently used" first, and a grid of emoji. Keyboard: type to search,
// ↓ into the grid, arrows move within it, Enter picks, Esc closes and gives focus back. The
// categories are a WAI-ARIA tablist, one tab stop (ten were in the way between search and grid):
// ←/→, Home and End move along it and show that category at once. Loaded as a
// chunk of its own with the data set (emoji/data.ts), only when first opened.
import { createEffect, createMemo, createResource, createSignal, For, on, onCleanup, onMount, Show } from "solid-js";
import { locale, t } from "../i18n/index.ts";
import type { MessageKey } from "../i18n/en.ts";
import { loadEmoji, searchEmoji, type EmojiEntry } from "../emoji/data.ts";
import { recent, useEmoji } from "../emoji/recent.ts";
import { opensUp, sidewaysShift } from "./popup-place.ts";

const COLUMNS = 8;
const RECENT = -1;
let pickers = 0;

export default function EmojiPicker(props: { onPick: (emoji: string) => void; onClose: () => void; label?: string }) {
  let root!: HTMLDivElement;
  let search!: HTMLInputElement;
  let grid!: HTMLDivElement;
  const [data] = createResource(locale, loadEmoji);
  const [query, setQuery] = createSignal("");
  const [group, setGroup] = createSignal<number>(RECENT);
  const previouslyFocused = document.activeElement as HTMLElement | null;
  const gridId = `emoji-grid-${++pickers}`;
  const categories = () => [RECENT, ...(data()?.groups ?? [])];

  const byEmoji = createMemo(() => new Map((data()?.entries ?? []).map((e) => [e.emoji, e])));
  const shown = createMemo<EmojiEntry[]>(() => {
    const loaded = data();
    if (!loaded) return [];
    if (query().trim()) return searchEmoji(loaded, query());
    if (group() === RECENT) return recent().map((emoji) => byEmoji().get(emoji)).filter((e): e is EmojiEntry => e !== undefined);
    return loaded.entries.filter((e) => e.group === group());
  });
  const groupLabel = (g: number) => (g === RECENT ? t("emoji.recent") : t(`emoji.group.${g}` as MessageKey));
  const firstOf = (g: number) => data()?.entries.find((e) => e.group === g)?.emoji ?? "";

  const pick = (entry: EmojiEntry) => {
    useEmoji(entry.emoji);
    props.onPick(entry.emoji);
  };
  const close = () => {
    props.onClose();
    if (previouslyFocused?.isConnected) previouslyFocused.focus();
  };
  const buttons = () => [...grid.querySelectorAll<HTMLButtonElement>("button.emoji-option")];
  const focusAt = (index: number) => {
    const all = buttons();
    if (all.length === 0) return;
    all[Math.max(0, Math.min(all.length - 1, index))]!.focus();
  };

  onMount(() => {
    // Without scrolling: before it is placed (below) the picker may stick out of a phone's width,
    // and the focus would scroll the message list sideways to show it.
    search.focus({ preventScroll: true });
    // No recent emoji yet: open on the first category.
    if (recent().length === 0) setGroup(0);
    const outside = (event: PointerEvent) => {
      if (!root.contains(event.target as Node)) props.onClose();
    };
    document.addEventListener("pointerdown", outside, true);
    onCleanup(() => document.removeEventListener("pointerdown", outside, true));
  });

  // Placed once its emoji are in (its full height): under a message near the bottom of the list it
  // opens upwards, and on a phone it moves left to stay inside the window (it overflowed by 16 px).
  const [up, setUp] = createSignal(false);
  const [shift, setShift] = createSignal(0);
  createEffect(
    on(data, (loaded) => {
      if (!loaded) return;
      requestAnimationFrame(() => {
        const anchor = root.parentElement;
        if (anchor?.classList.contains("message-picker") && opensUp(root, anchor)) setUp(true);
        setShift(sidewaysShift(root));
        // Placed: now the list may scroll to show it whole where it still does not fit.
        requestAnimationFrame(() => root.scrollIntoView({ block: "nearest", inline: "nearest" }));
      });
    }),
  );

  return (
    <div
      class="emoji-picker"
      classList={{ up: up() }}
      style={shift() !== 0 ? { translate: `${shift()}px 0` } : undefined}
      ref={root}
      role="dialog"
      aria-label={props.label ?? t("emoji.picker")}
      onKeyDown={(event) => {
        if (event.key === "Escape") {
          event.preventDefault();
          event.stopPropagation();
          close();
        }
      }}
    >
      <input
        ref={search}
        type="search"
        class="input emoji-search"
        placeholder={t("emoji.search")}
        aria-label={t("emoji.search")}
        value={query()}
        onInput={(event) => setQuery(event.currentTarget.value)}
        onKeyDown={(event) => {
          if (event.key === "ArrowDown") {
            event.preventDefault();
            focusAt(0);
          } else if (event.key === "Enter") {
            event.preventDefault();
            const first = shown()[0];
            if (first) pick(first);
          }
        }}
      />
      <Show when={!query().trim()}>
        <div
          class="emoji-groups"
          role="tablist"
          aria-label={t("emoji.categories")}
          onKeyDown={(event) => {
            const list = categories();
            const at = list.indexOf(group());
            const to = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: list.length - 1 }[event.key];
            if (to === undefined) return;
            event.preventDefault();
            const next = list[(to + list.length) % list.length]!;
            setGroup(next);
            event.currentTarget.querySelector<HTMLElement>(`[data-group="${next}"]`)?.focus();
          }}
        >
          <For each={categories()}>
            {(g) => (
              <button
                type="button"
                role="tab"
                class="emoji-group"
                data-group={g}
                aria-selected={group() === g}
                aria-controls={data() ? gridId : undefined}
                tabIndex={group() === g ? 0 : -1}
                aria-label={groupLabel(g)}
                title={groupLabel(g)}
                onClick={() => setGroup(g)}
              >
                <span aria-hidden="true">{g === RECENT ? "🕘" : firstOf(g)}</span>
              </button>
            )}
          </For>
        </div>
      </Show>
      <Show when={!data.loading} fallback={<p class="emoji-status" role="status">{t("emoji.loading")}</p>}>
        <div
          class="emoji-grid"
          ref={grid}
          id={gridId}
          role={query().trim() ? "group" : "tabpanel"}
          aria-label={query().trim() ? t("emoji.search") : groupLabel(group())}
          onKeyDown={(event) => {
            const all = buttons();
            const index = all.indexOf(document.activeElement as HTMLButtonElement);
            if (index < 0) return;
            const moves: Record<string, number> = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: COLUMNS, ArrowUp: -COLUMNS };
            if (event.key in moves) {
              event.preventDefault();
              if (event.key === "ArrowUp" && index < COLUMNS) search.focus();
              else focusAt(index + moves[event.key]!);
            } else if (event.key === "Home") {
              event.preventDefault();
              focusAt(0);
            } else if (event.key === "End") {
              event.preventDefault();
              focusAt(all.length - 1);
            }
          }}
        >
          <For each={shown()} fallback={<p class="emoji-status">{t("emoji.noResults")}</p>}>
            {(entry, index) => (
              <button
                type="button"
                class="emoji-option"
                tabIndex={index() === 0 ? 0 : -1}
                aria-label={entry.label}
                title={entry.shortcodes[0] ? `${entry.label} :${entry.shortcodes[0]}:` : entry.label}
                onClick={() => pick(entry)}
              >
                {entry.emoji}
              </button>
            )}
          </For>
        </div>
      </Show>
    </div>
  );
}
