import { createSignal, Show } from "solid-js";
import { formatDateTime, formatDay, formatTime, t } from "../i18n/index.ts";
import type { DisplayMessage } from "../chat/display.ts";
import type { MessageMark } from "../chat/grouping.ts";
import { needsHandle, shownName } from "../stores/names.ts";
import { displayNameOf } from "../chat/names.ts";
import { deleteMessage, discardMessage, editMessage, retryMessage } from "../stores/chat-actions.ts";
import { showToast } from "../stores/toast.ts";
import { MAX_MESSAGE_LENGTH } from "../chat/protocol.ts";
import { Avatar } from "./Avatar.tsx";
import { Icon } from "./Icon.tsx";
import { MessageBody } from "./MessageBody.tsx";
import { ConfirmDialog } from "./ConfirmDialog.tsx";
import { FilePreview } from "./FilePreview.tsx";
import { ReportDialog } from "./dialogs/ReportDialog.tsx";

export function MessageItem(props: { message: DisplayMessage; mark: MessageMark | undefined; mine: boolean; canModerate?: boolean }) {
  const [editing, setEditing] = createSignal(false);
  const [draft, setDraft] = createSignal("");
  const [saving, setSaving] = createSignal(false);
  const [confirming, setConfirming] = createSignal(false);
  const [reporting, setReporting] = createSignal(false);
  const first = () => props.mark?.first ?? true;
  const pending = () => props.message.pending;
  const name = () => displayNameOf(props.message.author);
  // Where another person reads the same, the @username tells them apart (stores/names.ts).
  const label = () => shownName(props.message.author);

  const startEdit = () => {
    setDraft(props.message.body);
    setEditing(true);
  };
  const saveEdit = async () => {
    const body = draft().trim();
    if (!body || props.message.id === null) return;
    if (body === props.message.body) return setEditing(false);
    setSaving(true);
    try {
      await editMessage(props.message.id, body);
      setEditing(false);
    } catch (error) {
      showToast((error as Error).message, "error");
    } finally {
      setSaving(false);
    }
  };
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(props.message.body);
      showToast(t("copy.done"));
    } catch {
      showToast(t("copy.failed"), "error");
    }
  };
  const remove = async () => {
    if (props.message.id === null) return;
    try {
      await deleteMessage(props.message.id);
    } catch (error) {
      showToast((error as Error).message, "error");
    } finally {
      setConfirming(false);
    }
  };

  return (
    <>
      <Show when={props.mark?.day}>
        {(day) => (
          <div class="day-divider" role="separator">
            <span>{formatDay(day())}</span>
          </div>
        )}
      </Show>
      <Show when={props.mark?.unread}>
        <div class="unread-divider" role="separator" data-testid="unread-divider">
          <span>{t("chat.newSince")}</span>
        </div>
      </Show>
      <article
        class="message"
        classList={{ first: first(), pending: pending()?.status === "sending", failed: pending()?.status === "failed", mine: props.mine }}
        aria-label={t("chat.messageFrom", { name: label(), time: formatTime(props.message.createdAt) })}
        data-message-id={props.message.id ?? undefined}
      >
        <div class="message-gutter">
          <Show when={first()} fallback={<time class="message-hover-time" dateTime={new Date(props.message.createdAt).toISOString()}>{formatTime(props.message.createdAt)}</time>}>
            <Avatar user={props.message.author} />
          </Show>
        </div>
        <div class="message-main">
          <Show when={first()}>
            <div class="message-meta">
              <span class="message-author" title={props.message.author.deleted ? undefined : `@${props.message.author.username}`}>{name()}</span>
              <Show when={needsHandle(props.message.author)}>
                <span class="message-handle">@{props.message.author.username}</span>
              </Show>
              <time class="message-time" dateTime={new Date(props.message.createdAt).toISOString()} title={formatDateTime(props.message.createdAt)}>
                {formatTime(props.message.createdAt)}
              </time>
            </div>
          </Show>
          <Show
            when={editing()}
            fallback={
              <>
                <MessageBody body={props.message.body} />
                <Show when={props.message.editedAt}>
                  <span class="message-edited">{t("chat.edited")}</span>
                </Show>
                <Show when={props.message.attachment}>{(attachment) => <FilePreview attachment={attachment()} />}</Show>
              </>
            }
          >
            <form
              class="message-edit"
              onSubmit={(e) => {
                e.preventDefault();
                void saveEdit();
              }}
            >
              <label class="visually-hidden" for={`edit-${props.message.key}`}>{t("chat.editLabel")}</label>
              <textarea
                id={`edit-${props.message.key}`}
                class="textarea"
                value={draft()}
                maxLength={MAX_MESSAGE_LENGTH}
                ref={(el) => queueMicrotask(() => el.focus())}
                onInput={(e) => setDraft(e.currentTarget.value)}
                onKeyDown={(e) => {
                  if (e.key === "Escape") {
                    e.preventDefault();
                    e.stopPropagation();
                    setEditing(false);
                  } else if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
                    e.preventDefault();
                    void saveEdit();
                  }
                }}
              />
              <div class="row">
                <button type="submit" class="button primary small" disabled={saving() || !draft().trim()}>{t("common.save")}</button>
                <button type="button" class="button small" onClick={() => setEditing(false)}>{t("common.cancel")}</button>
                <span class="muted small-text">{t("chat.editHint")}</span>
              </div>
            </form>
          </Show>
          <Show when={pending()}>
            {(p) => (
              <div class="message-status" role={p().status === "failed" ? "alert" : undefined}>
                <Show when={p().status === "failed"} fallback={<span class="muted">{t("chat.sending")}</span>}>
                  <Icon name="alert" />
                  <span>{t("chat.notSent")}{p().error ? ` ${p().error}` : ""}</span>
                  <button type="button" class="button small" onClick={() => retryMessage(p().clientId)}>
                    <Icon name="retry" />
                    {t("chat.retry")}
                  </button>
                  <button type="button" class="button ghost small" onClick={() => discardMessage(p().clientId)}>{t("chat.discard")}</button>
                </Show>
              </div>
            )}
          </Show>
        </div>
        <Show when={props.message.id !== null && !editing()}>
          <div class="message-actions">
            <Show when={props.message.body}>
              <button type="button" class="icon-button" aria-label={t("chat.copy")} title={t("chat.copy")} onClick={copy}>
                <Icon name="copy" />
              </button>
            </Show>
            <Show when={props.mine}>
              <button type="button" class="icon-button" aria-label={t("chat.edit")} title={t("chat.edit")} onClick={startEdit}>
                <Icon name="edit" />
              </button>
            </Show>
            {/* The server lets the author, the room's owner or an admin delete a message. */}
            <Show when={props.mine || props.canModerate}>
              <button type="button" class="icon-button" aria-label={t("chat.delete")} title={t("chat.delete")} onClick={() => setConfirming(true)}>
                <Icon name="trash" />
              </button>
            </Show>
            <Show when={!props.mine && !props.message.pending}>
              <button type="button" class="icon-button" aria-label={t("report.action")} title={t("report.action")} onClick={() => setReporting(true)}>
                <Icon name="alert" />
              </button>
            </Show>
          </div>
        </Show>
      </article>
      <Show when={reporting() && props.message.id !== null}>
        <ReportDialog messageId={props.message.id!} onClose={() => setReporting(false)} />
      </Show>
      <Show when={confirming()}>
        <ConfirmDialog
          title={t("chat.deleteTitle")}
          text={t("chat.deleteText")}
          confirm={t("chat.delete")}
          danger
          onConfirm={remove}
          onCancel={() => setConfirming(false)}
        />
      </Show>
    </>
  );
}
