// My data to take away: ask for an export (one an hour), follow its progress, download it within
// 24 hours. Admins' room exports are listed here too.
import { createResource, createSignal, For, onCleanup, Show } from "solid-js";
import { api, call } from "../api/http.ts";
import type { ExportInfo } from "../api/types.ts";
import { formatBytes, formatDateTime, t } from "../i18n/index.ts";
import { createFormAction, FormError } from "../components/form-action.tsx";
import { errorText } from "../i18n/errors.ts";

export function ExportSection() {
  const [resource, { refetch }] = createResource(() => call(api.account.exports.get()));
  // An errored resource throws when read: the error is shown instead.
  const list = () => (resource.error ? undefined : resource());
  const [now, setNow] = createSignal(Date.now());
  const { busy, error, run } = createFormAction();
  const running = () => (list()?.exports ?? []).some((e) => e.status === "running");
  // While one is being built, its progress is asked for every two seconds.
  const timer = setInterval(() => {
    setNow(Date.now());
    if (running()) void refetch();
  }, 2000);
  onCleanup(() => clearInterval(timer));

  const start = () =>
    run(async () => {
      await call(api.account.exports.post());
      await refetch();
    });
  const label = (item: ExportInfo) => (item.roomId === null ? t("export.mine") : t("export.room", { id: item.roomId }));

  return (
    <section class="card wide" aria-labelledby="export-title">
      <h2 id="export-title">{t("export.title")}</h2>
      <p class="muted">{t("export.text")}</p>
      <FormError error={error() ?? (resource.error ? errorText(resource.error) : null)} />
      <ul class="session-list" data-testid="export-list">
        <For each={list()?.exports ?? []}>
          {(item) => (
            <li class="session-item">
              <div class="session-text">
                <span class="session-device">{label(item)}</span>
                <span class="muted small-text">
                  {item.status === "ready"
                    ? t("export.ready", { size: formatBytes(item.size ?? 0), until: formatDateTime(item.expiresAt) })
                    : item.status === "running"
                      ? t("export.running", { percent: item.progress })
                      : t("export.failed")}
                </span>
                <Show when={item.status === "running"}>
                  <progress class="export-progress" max="100" value={item.progress} aria-label={t("export.progressLabel")} />
                </Show>
              </div>
              <Show when={item.status === "ready"}>
                <a class="button small" href={`/api/account/exports/${item.id}/download`} download="">{t("export.download")}</a>
              </Show>
            </li>
          )}
        </For>
      </ul>
      <div class="row">
        <button type="button" class="button primary" disabled={busy() || running() || (list()?.nextAllowedAt ?? 0) > now()} onClick={start}>{t("export.start")}</button>
        <Show when={(list()?.nextAllowedAt ?? 0) > now()}>
          <span class="muted small-text">{t("export.next", { date: formatDateTime(list()!.nextAllowedAt!) })}</span>
        </Show>
      </div>
    </section>
  );
}
