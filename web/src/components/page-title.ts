import { createEffect, onCleanup } from "solid-js";
import { t } from "../i18n/index.ts";

/** "Page · VaultRoom" in the tab while this page is shown (follows the language). */
export function usePageTitle(title: () => string): void {
  createEffect(() => {
    document.title = `${title()} · ${t("app.name")}`;
  });
  onCleanup(() => {
    document.title = t("app.name");
  });
}
