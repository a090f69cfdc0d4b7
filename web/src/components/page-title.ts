import { createEffect, onCleanup } from "solid-js";
import { t } from "../i18n/index.ts";
import { serverName } from "../stores/session.ts";

/** The server's own name (first-run setup), or "VaultRoom" when it has none. */
export function serverLabel(): string {
  return serverName() ?? t("app.name");
}

/** "Page · VaultRoom" in the tab while this page is shown (follows the language). */
export function usePageTitle(title: () => string): void {
  createEffect(() => {
    document.title = `${title()} · ${serverLabel()}`;
  });
  onCleanup(() => {
    document.title = serverLabel();
  });
}
