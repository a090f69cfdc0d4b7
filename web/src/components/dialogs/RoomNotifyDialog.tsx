// The bell menu of a room's header: how much this room or DM notifies me, and muting it for a while.
// Saved at once on the server (PUT /api/rooms/:id/notify), which tells my other tabs (room.notify).
import { createSignal, For, Show } from "solid-js";
import { api, call } from "../../api/http.ts";
import { formatDateTime, t } from "../../i18n/index.ts";
import { errorText } from "../../i18n/errors.ts";
import { chatState, dispatch } from "../../stores/chat.ts";
import { closeDialog } from "../../stores/ui.ts";
import { FOREVER, type NotificationLevel, type Room, type RoomNotify } from "../../chat/protocol.ts";
import { isMuted } from "../../notifications/decide.ts";
import { MUTE_CHOICES, muteUntil, type MuteChoice } from "../../notifications/mute.ts";
import { Dialog } from "../Dialog.tsx";
import { FormError } from "../form-action.tsx";

const LEVELS: readonly (NotificationLevel | "default")[] = ["default", "all", "mentions", "nothing"];

export function RoomNotifyDialog(props: { room: Room }) {
  const [error, setError] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  const notify = () => chatState().rooms[props.room.id]?.notify ?? props.room.notify;
  const defaultLevel = () => (props.room.kind === "dm" ? "all" : chatState().notifications.defaultLevel);

  const save = async (next: RoomNotify) => {
    setBusy(true);
    setError(null);
    try {
      const answer = await call(api.rooms({ id: props.room.id }).notify.put(next));
      dispatch({ type: "room.notify", roomId: props.room.id, notify: answer.notify });
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  // In a room, "mentions and direct messages" would speak of DMs where there are none.
  const levelLabel = (level: NotificationLevel) => (level === "mentions" && props.room.kind !== "dm" ? t("notify.level.mentionsRoom") : t(`notify.level.${level}`));

  return (
    <Dialog title={t("notify.roomTitle")} onClose={closeDialog}>
      <FormError error={error()} />
      <fieldset class="fieldset" disabled={busy()}>
        <legend>{t("notify.levelLegend")}</legend>
        <For each={LEVELS}>
          {(level) => (
            <label class="radio">
              <input
                type="radio"
                name="room-level"
                value={level}
                checked={(notify().level ?? "default") === level}
                onChange={() => void save({ level: level === "default" ? null : level, mutedUntil: notify().mutedUntil })}
              />
              {level === "default" ? t("notify.level.default", { level: levelLabel(defaultLevel()) }) : levelLabel(level)}
            </label>
          )}
        </For>
      </fieldset>
      <fieldset class="fieldset" disabled={busy()}>
        <legend>{t("notify.muteLegend")}</legend>
        <Show
          when={isMuted(notify().mutedUntil)}
          fallback={
            <div class="row wrap">
              <For each={MUTE_CHOICES}>
                {(choice: MuteChoice) => (
                  <button type="button" class="button small" onClick={() => void save({ level: notify().level, mutedUntil: muteUntil(choice) })}>
                    {t(`notify.mute.${choice}`)}
                  </button>
                )}
              </For>
            </div>
          }
        >
          <p class="muted" data-testid="muted-until">
            {notify().mutedUntil === FOREVER ? t("notify.mutedForever") : t("notify.mutedUntil", { time: formatDateTime(notify().mutedUntil!) })}
          </p>
          <button type="button" class="button small" onClick={() => void save({ level: notify().level, mutedUntil: null })}>{t("notify.unmute")}</button>
        </Show>
      </fieldset>
      <div class="dialog-actions">
        <button type="button" class="button primary" onClick={closeDialog}>{t("common.done")}</button>
      </div>
    </Dialog>
  );
}
