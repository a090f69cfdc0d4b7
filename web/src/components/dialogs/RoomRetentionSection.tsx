// A room's own retention and disappearing messages, in the room settings. Members read them (so they
// know what is kept); the owner or an admin changes them. Empty fields: follow the server / off.
import { createResource, createSignal, Show } from "solid-js";
import { api, call } from "../../api/http.ts";
import { errorText } from "../../i18n/errors.ts";
import { t } from "../../i18n/index.ts";
import { showToast } from "../../stores/toast.ts";
import { ConfirmDialog } from "../ConfirmDialog.tsx";
import { roomRetentionLoss } from "../../dashboard/retention-loss.ts";

const whole = (raw: string, max: number): number | null => (raw.trim() === "" ? null : Math.max(1, Math.min(max, Math.trunc(Number(raw)) || 1)));

export function RoomRetentionSection(props: { roomId: number; canManage: boolean }) {
  const [current, { refetch }] = createResource(() => props.roomId, (id) => call(api.rooms({ id }).retention.get()));
  const [days, setDays] = createSignal<string | null>(null);
  const [hours, setHours] = createSignal<string | null>(null);
  const [confirming, setConfirming] = createSignal<{ value: Limits; loss: string } | null>(null);
  type Limits = { retentionDays: number | null; disappearHours: number | null };
  const store = async (value: Limits) => {
    try {
      await call(api.rooms({ id: props.roomId }).retention.put(value));
      showToast(t("roomRetention.saved"));
      void refetch();
    } catch (error) {
      showToast(errorText(error), "error");
    } finally {
      setConfirming(null);
    }
  };
  // A shorter limit deletes this room's older messages within a minute: asked first (retention-loss.ts).
  const save = () => {
    const before = current();
    const value = {
      retentionDays: whole(days() ?? String(before?.retentionDays ?? ""), 36_500),
      disappearHours: whole(hours() ?? String(before?.disappearHours ?? ""), 24 * 365),
    };
    const serverDays = before?.serverDays ?? null;
    const loss = roomRetentionLoss(before ?? { retentionDays: null, disappearHours: null, serverDays }, { ...value, serverDays });
    if (loss) setConfirming({ value, loss });
    else void store(value);
  };
  const summary = () => {
    const r = current();
    if (!r) return "";
    if (r.disappearHours) return t("roomRetention.disappearing", { hours: r.disappearHours });
    const limit = r.retentionDays ?? r.serverDays;
    return limit ? t("roomRetention.keptDays", { days: limit }) : t("roomRetention.keptForever");
  };
  return (
    <fieldset class="room-retention">
      <legend>{t("roomRetention.title")}</legend>
      <p class="muted small-text" role="status">{summary()}</p>
      <Show when={props.canManage}>
        <div class="field">
          <label for="room-retention-days">{t("roomRetention.days")}</label>
          <input id="room-retention-days" class="input" type="number" min="1" max="36500" placeholder={t("roomRetention.serverDefault")}
            value={days() ?? current()?.retentionDays ?? ""} onInput={(e) => setDays(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="room-disappear-hours">{t("roomRetention.hours")}</label>
          <input id="room-disappear-hours" class="input" type="number" min="1" max="8760" placeholder={t("roomRetention.off")}
            value={hours() ?? current()?.disappearHours ?? ""} onInput={(e) => setHours(e.currentTarget.value)} />
        </div>
        <button type="button" class="button" onClick={save}>{t("roomRetention.save")}</button>
      </Show>
      <Show when={confirming()}>
        {(pending) => (
          <ConfirmDialog
            title={t("roomRetention.confirmTitle")}
            text={pending().loss}
            confirm={t("retention.confirm")}
            danger
            onConfirm={() => store(pending().value)}
            onCancel={() => setConfirming(null)}
          />
        )}
      </Show>
    </fieldset>
  );
}
