// The search field in the conversation header: Enter opens the search panel with the results. On
// a phone there is no room for a field: a button opens the panel, whose own field takes the focus.
import { createSignal } from "solid-js";
import { t } from "../i18n/index.ts";
import { openSearch } from "../stores/search.ts";
import { Icon } from "./Icon.tsx";

export function SearchBox() {
  const [text, setText] = createSignal("");
  return (
    <>
      <form
        role="search"
        class="header-search"
        onSubmit={(event) => {
          event.preventDefault();
          if (!text().trim()) return openSearch();
          openSearch({ query: text().trim(), roomId: null });
          setText("");
        }}
      >
        <Icon name="search" class="icon header-search-icon" />
        <input
          class="header-search-input"
          type="search"
          aria-label={t("search.label")}
          placeholder={t("search.placeholder")}
          autocomplete="off"
          enterkeyhint="search"
          maxlength={256}
          value={text()}
          onInput={(e) => setText(e.currentTarget.value)}
        />
      </form>
      <button type="button" class="icon-button header-search-button" aria-label={t("search.open")} title={t("search.open")} onClick={() => openSearch()}>
        <Icon name="search" />
      </button>
    </>
  );
}
