// Settings › Notifications: turning notifications on in this browser (the permission is asked only
// from here or the sidebar's prompt), my default level for rooms, do-not-disturb, sounds, previews,
// a test notification, and the devices that receive pushes (each can be removed).
import { createResource, createSignal, For, Show } from "solid-js";
import { api, call } from "../api/http.ts";
import { formatDateTime, t } from "../i18n/index.ts";
import { errorText } from "../i18n/errors.ts";
import { showToast } from "../stores/toast.ts";
import { FOREVER, type NotificationLevel, type NotificationSettings } from "../chat/protocol.ts";
import { disableNotifications, enableNotifications, notificationsActive, permission } from "../notifications/desktop.ts";
import { disablePush, enablePush } from "../notifications/push-subscription.ts";
import { MUTE_CHOICES, muteUntil, type MuteChoice } from "../notifications/mute.ts";
import { describeDevice } from "./device.ts";
import { FormError } from "../components/form-action.tsx";

const LEVELS: readonly NotificationLevel[] = ["all", "mentions", "nothing"];

function deviceName(userAgent: string): string {
  const [browser, system] = describeDevice(userAgent);
  if (browser && system) return t("sessions.browserOn", { browser, system });
  return browser ?? system ?? t("sessions.unknownDevice");
}

export function NotificationsSection() {
  const [error, setError] = createSignal<string | null>(null);
  const [settings, { mutate }] = createResource(async () => (await call(api.notifications.get())).settings);
  const [devices, { refetch }] = createResource(async () => (await call(api.push.devices.get())).devices);

  const save = async (patch: Partial<NotificationSettings>) => {
    setError(null);
    try {
      mutate((await call(api.notifications.patch(patch))).settings);
    } catch (err) {
      setError(errorText(err));
    }
  };
  const turnOn = async () => {
    const answer = await enableNotifications();
    if (answer !== "granted") {
      setError(answer === "denied" ? t("notify.denied") : t("notify.unsupported"));
      return;
    }
    try {
      if (await enablePush()) void refetch();
    } catch (err) {
      setError(t("notify.pushFailed", { reason: errorText(err) }));
    }
  };
  const turnOff = async () => {
    disableNotifications();
    await disablePush();
    void refetch();
  };
  const test = async () => {
    try {
      const { devices: count } = await call(api.push.test.post());
      showToast(count > 0 ? t("notify.testSent") : t("notify.testNoDevice"));
    } catch (err) {
      showToast(errorText(err), "error");
    }
  };
  const remove = async (id: number) => {
    try {
      await call(api.push.devices({ id }).delete());
    } catch (err) {
      showToast(errorText(err), "error");
    }
    void refetch();
  };
  const dndOn = () => {
    const until = settings()?.dndUntil;
    return until !== null && until !== undefined && until > Date.now();
  };

  return (
    <section class="card wide" aria-labelledby="notifications-title" id="notifications">
      <h2 id="notifications-title">{t("notify.settingsTitle")}</h2>
      <FormError error={error()} />
      <div class="field">
        <span class="label" id="notify-browser-label">{t("notify.thisBrowser")}</span>
        <div class="row">
          <Show
            when={notificationsActive()}
            fallback={
              <>
                <span class="muted" data-testid="notify-state">{permission() === "denied" ? t("notify.denied") : t("notify.off")}</span>
                <button type="button" class="button small primary" onClick={() => void turnOn()} disabled={permission() === "unsupported"}>
                  {t("notify.turnOn")}
                </button>
              </>
            }
          >
            <span class="muted" data-testid="notify-state">{t("notify.on")}</span>
            <button type="button" class="button small" onClick={() => void turnOff()}>{t("notify.turnOff")}</button>
          </Show>
          <button type="button" class="button small" onClick={() => void test()}>{t("notify.test")}</button>
        </div>
      </div>
      <Show when={settings()}>
        {(current) => (
          <>
            <fieldset class="fieldset">
              <legend>{t("notify.defaultLegend")}</legend>
              <For each={LEVELS}>
                {(level) => (
                  <label class="radio">
                    <input type="radio" name="default-level" value={level} checked={current().defaultLevel === level} onChange={() => void save({ defaultLevel: level })} />
                    {t(`notify.level.${level}`)}
                  </label>
                )}
              </For>
              <p class="hint">{t("notify.defaultHint")}</p>
            </fieldset>
            <fieldset class="fieldset">
              <legend>{t("notify.dndLegend")}</legend>
              <Show
                when={dndOn()}
                fallback={
                  <div class="row">
                    <For each={MUTE_CHOICES}>
                      {(choice: MuteChoice) => (
                        <button type="button" class="button small" onClick={() => void save({ dndUntil: muteUntil(choice) })}>{t(`notify.mute.${choice}`)}</button>
                      )}
                    </For>
                  </div>
                }
              >
                <p class="muted" data-testid="dnd-until">
                  {current().dndUntil === FOREVER ? t("notify.dndForever") : t("notify.dndUntil", { time: formatDateTime(current().dndUntil!) })}
                </p>
                <button type="button" class="button small" onClick={() => void save({ dndUntil: null })}>{t("notify.dndOff")}</button>
              </Show>
            </fieldset>
            <fieldset class="fieldset">
              <legend>{t("notify.soundLegend")}</legend>
              <label class="checkbox">
                <input type="checkbox" checked={current().soundDms} onChange={(e) => void save({ soundDms: e.currentTarget.checked })} />
                {t("notify.soundDms")}
              </label>
              <label class="checkbox">
                <input type="checkbox" checked={current().soundRooms} onChange={(e) => void save({ soundRooms: e.currentTarget.checked })} />
                {t("notify.soundRooms")}
              </label>
            </fieldset>
            <label class="checkbox">
              <input type="checkbox" checked={current().previews} onChange={(e) => void save({ previews: e.currentTarget.checked })} aria-describedby="notify-previews-hint" />
              {t("notify.previews")}
            </label>
            <p class="hint" id="notify-previews-hint">{t("notify.previewsHint")}</p>
          </>
        )}
      </Show>
      <h3 class="subheading">{t("notify.devices")}</h3>
      <Show when={(devices() ?? []).length === 0}>
        <p class="muted">{t("notify.noDevices")}</p>
      </Show>
      <ul class="session-list" data-testid="push-devices">
        <For each={devices()}>
          {(device) => (
            <li class="session-item">
              <div class="session-text">
                <span class="session-device">
                  {deviceName(device.userAgent)}
                  <Show when={device.current}>
                    <span class="tag accent">{t("sessions.thisDevice")}</span>
                  </Show>
                </span>
                <span class="muted small-text">{t("notify.deviceSince", { time: formatDateTime(device.createdAt) })}</span>
              </div>
              <button type="button" class="button small" onClick={() => void remove(device.id)} aria-label={t("notify.removeDevice", { device: deviceName(device.userAgent) })}>
                {t("notify.remove")}
              </button>
            </li>
          )}
        </For>
      </ul>
    </section>
  );
}
