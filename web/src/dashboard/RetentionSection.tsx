// Server-wide retention (admins): keep messages and files forever (the default) or N days. A shorter
// limit is confirmed first, saying what it deletes (retention-loss.ts).
import { createResource, createSignal, Show } from "solid-js";
import { api, call } from "../api/http.ts";
import { t } from "../i18n/index.ts";
import { errorText } from "../i18n/errors.ts";
import { showToast } from "../stores/toast.ts";
import { ConfirmDialog } from "../components/ConfirmDialog.tsx";
import { retentionLoss, type RetentionDays } from "./retention-loss.ts";

const parseDays = (raw: string): number | null => (raw.trim() === "" ? null : Math.max(1, Math.min(36_500, Math.trunc(Number(raw)) || 1)));

export function RetentionSection() {
  const [current, { refetch }] = createResource(() => call(api.admin.retention.get()));
  const [messages, setMessages] = createSignal<string | null>(null);
  const [files, setFiles] = createSignal<string | null>(null);
  const [confirming, setConfirming] = createSignal<{ value: RetentionDays; loss: string } | null>(null);
  const store = async (value: RetentionDays) => {
    try {
      await call(api.admin.retention.put(value));
      showToast(t("retention.saved"));
      void refetch();
    } catch (error) {
      showToast(errorText(error), "error");
    } finally {
      setConfirming(null);
    }
  };
  const save = (event: SubmitEvent) => {
    event.preventDefault();
    const before = current();
    const value = {
      messageDays: parseDays(messages() ?? String(before?.messageDays ?? "")),
      fileDays: parseDays(files() ?? String(before?.fileDays ?? "")),
    };
    // Not known yet (still loading): assume everything is kept, so any limit is confirmed.
    const loss = retentionLoss(before ?? { messageDays: null, fileDays: null }, value);
    if (loss) setConfirming({ value, loss });
    else void store(value);
  };
  return (
    <section class="card" aria-labelledby="retention-title">
      <h2 id="retention-title">{t("retention.title")}</h2>
      <p class="muted small-text">{t("retention.hint")}</p>
      <Show when={current.error}>
        <p class="form-error" role="alert">{errorText(current.error)}</p>
      </Show>
      <form class="retention-form" onSubmit={save}>
        <div class="field">
          <label for="retention-messages">{t("retention.messageDays")}</label>
          <input id="retention-messages" class="input" type="number" min="1" max="36500" placeholder={t("retention.forever")}
            value={messages() ?? current()?.messageDays ?? ""} onInput={(e) => setMessages(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="retention-files">{t("retention.fileDays")}</label>
          <input id="retention-files" class="input" type="number" min="1" max="36500" placeholder={t("retention.forever")}
            value={files() ?? current()?.fileDays ?? ""} onInput={(e) => setFiles(e.currentTarget.value)} />
        </div>
        <button type="submit" class="button primary">{t("common.save")}</button>
      </form>
      <Show when={confirming()}>
        {(pending) => (
          <ConfirmDialog
            title={t("retention.confirmTitle")}
            text={pending().loss}
            confirm={t("retention.confirm")}
            danger
            onConfirm={() => store(pending().value)}
            onCancel={() => setConfirming(null)}
          />
        )}
      </Show>
    </section>
  );
}
