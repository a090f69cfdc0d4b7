// The admin's view of uploaded files: storage used in total and per person, the upload limit, and
// the per-person quota, which can be changed at run time or returned to the --user-quota default.
import { createResource, createSignal, For, Show } from "solid-js";
import { PersonName } from "./PersonName.tsx";
import { api, call } from "../api/http.ts";
import { errorText } from "../i18n/errors.ts";
import { formatBytes, formatNumber, t, tn } from "../i18n/index.ts";
import { showToast } from "../stores/toast.ts";
import "../styles/files.css";

const UNITS = { MiB: 1024 ** 2, GiB: 1024 ** 3 } as const;
type Unit = keyof typeof UNITS;

/** The quota in the largest unit that shows it as a whole number (GiB when it divides evenly). */
function split(bytes: number): { amount: number; unit: Unit } {
  return bytes >= UNITS.GiB && bytes % UNITS.GiB === 0 ? { amount: bytes / UNITS.GiB, unit: "GiB" } : { amount: Math.round((bytes / UNITS.MiB) * 100) / 100, unit: "MiB" };
}

export function UploadStorageSection() {
  const [report, { mutate, refetch }] = createResource(() => call(api.admin.storage.get()));
  const [amount, setAmount] = createSignal<string | null>(null);
  const [unit, setUnit] = createSignal<Unit | null>(null);
  const [saving, setSaving] = createSignal(false);

  const current = () => {
    const r = report();
    return r ? split(r.quotaBytes) : { amount: 0, unit: "GiB" as Unit };
  };
  const shownAmount = () => amount() ?? String(current().amount);
  const shownUnit = () => unit() ?? current().unit;

  const save = async (quotaBytes: number | null) => {
    setSaving(true);
    try {
      mutate(await call(api.admin.storage.quota.put({ quotaBytes })));
      setAmount(null);
      setUnit(null);
      showToast(t("storage.saved"));
    } catch (error) {
      showToast(errorText(error), "error");
    } finally {
      setSaving(false);
    }
  };

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    const value = Number(shownAmount().replace(",", "."));
    if (!Number.isFinite(value) || value < 0) return;
    void save(Math.round(value * UNITS[shownUnit()]));
  };

  const percent = (used: number) => {
    const quota = report()?.quotaBytes ?? 0;
    return quota > 0 ? Math.min(100, Math.round((used / quota) * 100)) : 100;
  };

  return (
    <section class="card wide" aria-labelledby="storage-title" data-testid="storage-section">
      <div class="card-heading">
        <h2 id="storage-title">{t("storage.title")}</h2>
        <button type="button" class="button small" onClick={() => void refetch()}>{t("common.refresh")}</button>
      </div>
      <Show when={report.error}>
        <p class="form-error" role="alert">{errorText(report.error)}</p>
      </Show>
      <Show when={report()}>
        {(r) => (
          <>
            <dl class="stats">
              <div class="stat">
                <dt>{t("storage.total")}</dt>
                <dd>{formatBytes(r().totalBytes)}</dd>
              </div>
              <div class="stat">
                <dt>{t("storage.filesColumn")}</dt>
                <dd>{formatNumber(r().files)}</dd>
              </div>
              <div class="stat">
                <dt>{t("storage.limit")}</dt>
                <dd>{formatBytes(r().maxUploadBytes)}</dd>
              </div>
            </dl>

            <form class="storage-quota" onSubmit={submit}>
              <label for="storage-quota-amount">{t("storage.quota")}</label>
              <div class="row">
                <input
                  id="storage-quota-amount"
                  class="input"
                  type="number"
                  min="0"
                  step="any"
                  inputMode="decimal"
                  value={shownAmount()}
                  onInput={(e) => setAmount(e.currentTarget.value)}
                  aria-describedby="storage-quota-hint"
                />
                <label class="visually-hidden" for="storage-quota-unit">{t("storage.unit")}</label>
                <select id="storage-quota-unit" class="select" value={shownUnit()} onChange={(e) => setUnit(e.currentTarget.value as Unit)}>
                  <For each={Object.keys(UNITS) as Unit[]}>{(u) => <option value={u}>{t(`unit.${u}`)}</option>}</For>
                </select>
                <button type="submit" class="button primary" disabled={saving()}>{t("common.save")}</button>
                <Show when={r().quotaSource === "setting"}>
                  <button type="button" class="button" disabled={saving()} onClick={() => void save(null)}>{t("storage.useDefault")}</button>
                </Show>
              </div>
              <p id="storage-quota-hint" class="muted small-text">{t("storage.quotaHint", { default: formatBytes(r().defaultQuotaBytes) })}</p>
            </form>

            <div class="table-wrap">
              <table class="users-table">
                <thead>
                  <tr>
                    <th scope="col">{t("storage.user")}</th>
                    <th scope="col">{t("storage.filesColumn")}</th>
                    <th scope="col">{t("storage.used")}</th>
                  </tr>
                </thead>
                <tbody>
                  <For each={r().users}>
                    {(user) => (
                      <tr>
                        <td><PersonName user={user} /></td>
                        <td>{tn("storage.files", user.files)}</td>
                        <td>
                          {formatBytes(user.usedBytes)}
                          <span class="muted small-text"> · {t("storage.ofQuota", { percent: formatNumber(percent(user.usedBytes)) })}</span>
                        </td>
                      </tr>
                    )}
                  </For>
                </tbody>
              </table>
            </div>
          </>
        )}
      </Show>
    </section>
  );
}
