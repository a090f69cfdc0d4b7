// Reported messages (admins): each with its reason, its reporter and the message in context (the
// room's timeline around it, or its thread for a reply kept there: src/moderation/reports.ts), files
// named; the admin deletes the message or dismisses the report. Text is shown as text, never as HTML.
import { createResource, createSignal, For, Show } from "solid-js";
import { api, call } from "../api/http.ts";
import { formatBytes, formatDateTime, t } from "../i18n/index.ts";
import { Icon } from "../components/Icon.tsx";
import { errorText } from "../i18n/errors.ts";
import { showToast } from "../stores/toast.ts";

type Status = "open" | "resolved";

export function ReportsSection() {
  const [status, setStatus] = createSignal<Status>("open");
  const [reports, { refetch }] = createResource(status, async (current) => call(api.admin.reports.get({ query: { status: current } })));
  const resolve = async (id: number, action: "dismissed" | "deleted") => {
    try {
      await call(api.admin.reports({ id }).resolve.post({ action }));
      showToast(t(action === "deleted" ? "reports.deletedDone" : "reports.dismissedDone"));
      void refetch();
    } catch (error) {
      showToast(errorText(error), "error");
    }
  };
  const roomName = (room: { kind: string; name: string }) => (room.kind === "dm" ? t("reports.directConversation") : room.name);

  return (
    <section class="card wide" aria-labelledby="reports-title" data-testid="reports">
      <div class="card-heading">
        <h2 id="reports-title">{t("reports.title")}</h2>
        <label class="inline-field">
          <span class="visually-hidden">{t("reports.show")}</span>
          <select class="select" value={status()} onChange={(e) => setStatus(e.currentTarget.value as Status)}>
            <option value="open">{t("reports.open", { count: reports()?.open ?? 0 })}</option>
            <option value="resolved">{t("reports.resolved")}</option>
          </select>
        </label>
      </div>
      <Show when={reports.error}>
        <p class="form-error" role="alert">{errorText(reports.error)}</p>
      </Show>
      <Show when={(reports()?.reports.length ?? 0) > 0} fallback={<p class="muted">{t("reports.none")}</p>}>
        <ul class="report-list">
          <For each={reports()?.reports}>
            {(report) => (
              <li class="report" data-testid="report">
                <p>
                  <strong>{t("reports.reason")}</strong> {report.reason}
                </p>
                <p class="muted small-text">
                  {t("reports.by", { name: report.reporter?.username ?? "—", room: roomName(report.room), time: formatDateTime(report.createdAt) })}
                </p>
                <ol class="report-context" aria-label={report.message.threadRootId !== undefined && !report.message.alsoToRoom ? t("reports.contextThread") : t("reports.context")}>
                  <For each={report.context}>
                    {(message) => (
                      <li classList={{ "report-target": message.id === report.message.id }} aria-current={message.id === report.message.id ? "true" : undefined}>
                        <span class="message-author">{message.author.displayName || message.author.username}</span>{" "}
                        <Show when={message.deletedAt === undefined} fallback={<em class="muted">{t("reports.deletedMessage")}</em>}>
                          <span class="report-body">{message.body}</span>
                          {/* A file message's body may be empty: without its file's name the report showed nothing. */}
                          <For each={message.attachments ?? (message.attachment ? [message.attachment] : [])}>
                            {(file) => (
                              <span class="report-file">
                                <Icon name="paperclip" class="icon" />
                                {t("reports.file", { name: file.name, size: formatBytes(file.size) })}
                              </span>
                            )}
                          </For>
                        </Show>
                      </li>
                    )}
                  </For>
                </ol>
                <Show
                  when={report.resolvedAt === null}
                  fallback={<p class="muted small-text">{t(report.resolution === "deleted" ? "reports.wasDeleted" : "reports.wasDismissed", { name: report.resolvedBy?.username ?? "—" })}</p>}
                >
                  <div class="dialog-actions">
                    <button type="button" class="button" onClick={() => void resolve(report.id, "dismissed")}>{t("reports.dismiss")}</button>
                    <button type="button" class="button danger solid" onClick={() => void resolve(report.id, "deleted")}>{t("reports.delete")}</button>
                  </div>
                </Show>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </section>
  );
}
