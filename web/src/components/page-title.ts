import { createEffect, onCleanup } from "solid-js";
import { t } from "../i18n/index.ts";
import { serverName } from "../stores/session.ts";

/** "Page · VaultRoom" in the tab while this page is shown (follows the language). */
export function usePageTitle(title: () => string): void {
  createEffect(() => {
    document.title = `${title()} · ${serverName() ?? t("app.name")}`;
  });
  onCleanup(() => {
    document.title = serverName() ?? t("app.name");
  });
}
