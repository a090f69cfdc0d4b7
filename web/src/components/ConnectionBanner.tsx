import { Show } from "solid-js";
import { t } from "../i18n/index.ts";
import { connection, startFailed } from "../stores/chat.ts";

/**
 * Shown while the socket is down after having worked, or has not come up at all (the installed app
 * started offline): messages wait and go out on reconnect.
 */
export function ConnectionBanner() {
  return (
    <Show when={connection() === "reconnecting" || (connection() === "connecting" && startFailed())}>
      <div class="banner" role="status" data-testid="reconnecting">
        <span class="spinner" aria-hidden="true" />
        {t("connection.reconnecting")}
      </div>
    </Show>
  );
}
