// Do not disturb, where I see myself (issue 19): nothing on screen said that my notifications were
// silenced, so a quiet afternoon could pass unnoticed. While it is on, a moon in the user menu says
// until when, and pressing it turns it off (the dashboard's Notifications section has the rest).
import { createEffect, createSignal, onCleanup, Show } from "solid-js";
import { api, call } from "../api/http.ts";
import { FOREVER } from "../chat/protocol.ts";
import { formatDateTime, formatTime, t } from "../i18n/index.ts";
import { errorText } from "../i18n/errors.ts";
import { chatState } from "../stores/chat.ts";
import { showToast } from "../stores/toast.ts";
import { Icon } from "./Icon.tsx";

/** setTimeout's longest wait (about 24.8 days); a later end is checked again then. */
const LONGEST_WAIT = 2 ** 31 - 1;

export function dndStatusText(until: number, now = Date.now()): string {
  if (until === FOREVER) return t("dnd.statusForever");
  if (new Date(until).toDateString() === new Date(now).toDateString()) return t("dnd.statusToday", { time: formatTime(until) });
  return t("dnd.statusLater", { time: formatDateTime(until) });
}

export function DndStatus() {
  const [now, setNow] = createSignal(Date.now());
  const until = () => chatState().notifications.dndUntil;
  // The moon goes by itself when the time comes, and the text turns from a date to a time at
  // midnight: one timer to whichever comes first, armed again after each tick (now() is read here).
  createEffect(() => {
    const end = until();
    now();
    if (end === null || end === FOREVER || end <= Date.now()) return;
    const midnight = new Date().setHours(24, 0, 0, 0);
    const timer = setTimeout(() => setNow(Date.now()), Math.min(Math.min(end, midnight) - Date.now() + 50, LONGEST_WAIT));
    onCleanup(() => clearTimeout(timer));
  });
  const on = () => {
    const end = until();
    return end !== null && end > now() ? end : null;
  };
  const turnOff = async () => {
    try {
      await call(api.notifications.patch({ dndUntil: null }));
    } catch (error) {
      showToast(errorText(error), "error");
    }
  };
  return (
    <Show when={on()}>
      {(end) => {
        const label = () => t("dnd.turnOff", { status: dndStatusText(end(), now()) });
        return (
          <button type="button" class="icon-button dnd-status" aria-label={label()} title={label()} data-testid="dnd-status" onClick={() => void turnOff()}>
            <Icon name="moon" />
          </button>
        );
      }}
    </Show>
  );
}
