// Reporting a message to the server's admins: a reason, sent to POST /api/messages/:id/report.
// The admins see the message in context in the dashboard (dashboard/ReportsSection.tsx).
import { createSignal, Show } from "solid-js";
import { api, call } from "../../api/http.ts";
import { errorText } from "../../i18n/errors.ts";
import { t } from "../../i18n/index.ts";
import { showToast } from "../../stores/toast.ts";
import { Dialog } from "../Dialog.tsx";

const MAX_REASON = 500;

export function ReportDialog(props: { messageId: number; onClose: () => void }) {
  const [reason, setReason] = createSignal("");
  const [error, setError] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    if (!reason().trim()) return setError(t("report.reasonNeeded"));
    setBusy(true);
    try {
      await call(api.messages({ id: props.messageId }).report.post({ reason: reason().trim() }));
      showToast(t("report.sent"));
      props.onClose();
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog title={t("report.title")} onClose={props.onClose}>
      <form class="report-form" onSubmit={submit}>
        <p>{t("report.explain")}</p>
        <label for="report-reason">{t("report.reason")}</label>
        <textarea id="report-reason" rows={3} maxLength={MAX_REASON} value={reason()} onInput={(e) => setReason(e.currentTarget.value)} required />
        <Show when={error()}>
          <p class="form-error" role="alert">{error()}</p>
        </Show>
        <div class="dialog-actions">
          <button type="button" class="button" onClick={props.onClose}>{t("common.cancel")}</button>
          <button type="submit" class="button danger solid" disabled={busy()}>{t("report.send")}</button>
        </div>
      </form>
    </Dialog>
  );
}
