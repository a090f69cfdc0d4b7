import { createResource, createSignal, For, Show } from "solid-js";
import { api, call } from "../api/http.ts";
import { formatDateTime, t, tn } from "../i18n/index.ts";
import { errorText } from "../i18n/errors.ts";
import { showToast } from "../stores/toast.ts";
import { withReauth } from "../stores/reauth.ts";
import { describeDevice } from "./device.ts";
import type { SessionInfo } from "../api/types.ts";

function deviceName(session: SessionInfo): string {
  const [browser, system] = describeDevice(session.userAgent);
  if (browser && system) return t("sessions.browserOn", { browser, system });
  return browser ?? system ?? t("sessions.unknownDevice");
}

/** `version` changes when something else on the page ended sessions (a new password): read again. */
export function SessionsSection(props: { version: number }) {
  // This device first (issue 19 §13), then the others as the server orders them (most recent first).
  const [sessions, { refetch }] = createResource(
    () => props.version + 1,
    async () => (await call(api.sessions.get())).sessions.toSorted((a, b) => Number(b.current) - Number(a.current)),
  );
  const [busy, setBusy] = createSignal(false);
  const others = () => (sessions() ?? []).filter((s) => !s.current).length;

  const end = async (session: SessionInfo) => {
    setBusy(true);
    try {
      await call(api.sessions({ id: encodeURIComponent(session.id) }).delete());
      showToast(t("sessions.ended"));
    } catch (error) {
      showToast(errorText(error), "error");
    } finally {
      setBusy(false);
      void refetch();
    }
  };
  const endOthers = async () => {
    setBusy(true);
    try {
      const answer = await withReauth(() => call(api.sessions["revoke-others"].post()));
      if (answer) showToast(tn("sessions.endedOthers", answer.revoked));
    } catch (error) {
      showToast(errorText(error), "error");
    } finally {
      setBusy(false);
      void refetch();
    }
  };

  return (
    <section class="card wide" aria-labelledby="sessions-title">
      <div class="card-heading">
        <h2 id="sessions-title">{t("sessions.title")}</h2>
        <button type="button" class="button small" disabled={busy() || others() === 0} onClick={endOthers}>{t("sessions.endOthers")}</button>
      </div>
      <p class="muted">{t("sessions.text")}</p>
      <Show when={sessions.error}>
        <p class="form-error" role="alert">{errorText(sessions.error)}</p>
      </Show>
      <ul class="session-list">
        <For each={sessions()}>
          {(session) => (
            <li class="session-item">
              <div class="session-text">
                <span class="session-device">
                  {deviceName(session)}
                  <Show when={session.current}>
                    <span class="tag accent">{t("sessions.thisDevice")}</span>
                  </Show>
                </span>
                <span class="muted small-text">
                  {t("sessions.details", { ip: session.ip || "—", seen: formatDateTime(session.lastSeenAt), created: formatDateTime(session.createdAt) })}
                </span>
              </div>
              <Show when={!session.current}>
                <button type="button" class="button small" disabled={busy()} onClick={() => end(session)} aria-label={t("sessions.endOne", { device: deviceName(session) })}>
                  {t("sessions.end")}
                </button>
              </Show>
            </li>
          )}
        </For>
      </ul>
    </section>
  );
}
