import { createResource, For, Show } from "solid-js";
import { api, call } from "../api/http.ts";
import { formatBytes, formatNumber, t } from "../i18n/index.ts";
import { errorText } from "../i18n/errors.ts";
import { showToast } from "../stores/toast.ts";
import type { RegistrationMode } from "../api/types.ts";
import { InvitesSection } from "./InvitesSection.tsx";
import { UsersSection } from "./UsersSection.tsx";
import { CertificateSection } from "./CertificateSection.tsx";
import { AuditSection } from "./AuditSection.tsx";
import { ReportsSection } from "./ReportsSection.tsx";
import { RetentionSection } from "./RetentionSection.tsx";
import { UploadStorageSection } from "../components/UploadStorageSection.tsx";
import type { MessageKey } from "../i18n/en.ts";

const MODES: RegistrationMode[] = ["open", "invite", "closed"];

export function ServerPanel() {
  const [stats, { refetch }] = createResource(() => call(api.admin.stats.get()));
  const [users, { refetch: refetchUsers }] = createResource(async () => (await call(api.admin.users.get())).users);

  const counts = (): { label: MessageKey; value: string }[] => {
    const s = stats();
    if (!s) return [];
    return [
      { label: "server.users", value: formatNumber(s.users) },
      { label: "server.online", value: s.online ? formatNumber(s.online.length) : "—" },
      { label: "server.rooms", value: formatNumber(s.rooms) },
      { label: "server.messages", value: formatNumber(s.messages) },
      { label: "server.storage", value: formatBytes(s.storageBytes) },
      { label: "server.sessions", value: formatNumber(s.sessions) },
    ];
  };
  const onlineNames = () => {
    const ids = new Set(stats()?.online ?? []);
    return (users() ?? []).filter((u) => ids.has(u.id) || u.online);
  };

  const setMode = async (mode: RegistrationMode) => {
    try {
      await call(api.admin.settings.patch({ registrationMode: mode }));
      showToast(t("server.modeSaved"));
    } catch (error) {
      showToast(errorText(error), "error");
    } finally {
      void refetch();
    }
  };

  return (
    <div class="dashboard-grid">
      <section class="card wide" aria-labelledby="stats-title">
        <div class="card-heading">
          <h2 id="stats-title">{t("server.overview")}</h2>
          <button type="button" class="button small" onClick={() => { void refetch(); void refetchUsers(); }}>{t("common.refresh")}</button>
        </div>
        <Show when={stats.error}>
          <p class="form-error" role="alert">{errorText(stats.error)}</p>
        </Show>
        <dl class="stats">
          <For each={counts()}>
            {(item) => (
              <div class="stat">
                <dt>{t(item.label)}</dt>
                <dd>{item.value}</dd>
              </div>
            )}
          </For>
        </dl>
        <h3>{t("server.onlineNow")}</h3>
        <Show when={onlineNames().length > 0} fallback={<p class="muted">{t("sidebar.nobodyOnline")}</p>}>
          <ul class="online-names">
            <For each={onlineNames()}>{(user) => <li><span class="presence-dot" aria-hidden="true" />{user.displayName || user.username}</li>}</For>
          </ul>
        </Show>
      </section>

      <section class="card" aria-labelledby="registration-title">
        <h2 id="registration-title">{t("server.registration")}</h2>
        <fieldset class="choice-group">
          <legend class="visually-hidden">{t("server.registration")}</legend>
          <For each={MODES}>
            {(mode) => (
              <label class="choice">
                <input type="radio" name="registration-mode" value={mode} checked={stats()?.registrationMode === mode} onChange={() => void setMode(mode)} />
                <span>
                  <strong>{t(`server.mode.${mode}`)}</strong>
                  <span class="muted small-text">{t(`server.modeHint.${mode}`)}</span>
                </span>
              </label>
            )}
          </For>
        </fieldset>
      </section>

      <CertificateSection certificate={stats()?.certificate} />
      <InvitesSection />
      <UploadStorageSection />
      <UsersSection users={users() ?? []} error={users.error} onChanged={() => { void refetchUsers(); void refetch(); }} />
      <ReportsSection />
      <RetentionSection />
      <AuditSection users={users() ?? []} />
    </div>
  );
}
