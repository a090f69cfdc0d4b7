import { createEffect, createSignal, For, Show } from "solid-js";
import { useNavigate } from "@solidjs/router";
import { formatBytes, formatDateTime, formatDay, formatTime, t, tn } from "../i18n/index.ts";
import type { DisplayMessage } from "../chat/display.ts";
import type { MessageMark } from "../chat/grouping.ts";
import { needsHandle, shownName } from "../stores/names.ts";
import { displayNameOf } from "../chat/names.ts";
import { deleteMessage, discardMessage, editMessage, retryMessage } from "../stores/chat-actions.ts";
import { react } from "../stores/conversation-actions.ts";
import { chatState } from "../stores/chat.ts";
import { editRequest, highlighted, setEditRequest, setJumpTarget, setOpenThread } from "../stores/ui.ts";
import { showToast } from "../stores/toast.ts";
import { systemLineText } from "../chat/system-line.ts";
import { MAX_MESSAGE_LENGTH } from "../chat/protocol.ts";
import { Avatar } from "./Avatar.tsx";
import { Icon } from "./Icon.tsx";
import { MessageActions } from "./MessageActions.tsx";
import { MessageBody } from "./MessageBody.tsx";
import { ConfirmDialog } from "./ConfirmDialog.tsx";
import { FilePreview } from "./FilePreview.tsx";
import { ReactionBar } from "./ReactionBar.tsx";
import { EmojiPicker } from "./LazyEmojiPicker.tsx";
import { ReportDialog } from "./dialogs/ReportDialog.tsx";

export function MessageItem(props: {
  message: DisplayMessage;
  mark: MessageMark | undefined;
  mine: boolean;
  canModerate?: boolean;
  /** In a thread panel: no "reply in thread", no thread summary, no quoting. */
  inThread?: boolean;
}) {
  const navigate = useNavigate();
  const [editing, setEditing] = createSignal(false);
  const [draft, setDraft] = createSignal("");
  const [saving, setSaving] = createSignal(false);
  const [confirming, setConfirming] = createSignal(false);
  const [picking, setPicking] = createSignal(false);
  // On a touch screen (no hover), a tap on the message shows its actions.
  const [selected, setSelected] = createSignal(false);
  const [reporting, setReporting] = createSignal(false);
  const first = () => props.mark?.first ?? true;
  const pending = () => props.message.pending;
  const stored = () => props.message.stored;
  const roomId = () => stored()?.roomId ?? pending()?.roomId ?? 0;
  const deleted = () => stored()?.deletedAt != null;
  const room = () => chatState().rooms[roomId()];
  const archived = () => room()?.archivedAt != null;
  const name = () => displayNameOf(props.message.author);
  // Where another person reads the same, the @username tells them apart (stores/names.ts).
  const label = () => shownName(props.message.author);
  const canPin = () => {
    const current = room();
    if (!current || archived()) return false;
    return current.kind !== "public" || current.pinPolicy === "members" || current.role === "owner" || chatState().me?.isAdmin === true;
  };

  // Arrow-up in an empty composer asks for my last message to be edited; leaving that editor goes
  // back to the composer (where Arrow-up edits again), not to the message in the list.
  let returnTo: HTMLElement | null = null;
  createEffect(() => {
    if (editRequest() !== null && editRequest() === props.message.id && props.mine) {
      setEditRequest(null);
      returnTo = document.activeElement instanceof HTMLTextAreaElement ? document.activeElement : null;
      startEdit();
    }
  });
  /** Jumped to (a permalink, a search result, a notification, the pinned list, a quote): stores/ui.ts. */
  const isHighlighted = () => highlighted() !== null && highlighted() === props.message.id;
  // Mentions the server resolved: their @tokens are marked, and a message that mentions me stands out.
  const meId = () => chatState().me?.id;
  const mentionsMe = () => meId() !== undefined && props.message.mentions.includes(meId()!);
  const mentioned = () => {
    const ids = props.message.mentions;
    if (ids.length === 0) return undefined;
    const people = chatState().people;
    const names = new Set(ids.map((id) => people[id]?.username.normalize("NFKC").toLowerCase()).filter((n): n is string => !!n));
    const me = chatState().me;
    if (me && mentionsMe()) names.add(me.username.normalize("NFKC").toLowerCase());
    if (/@room\b/i.test(props.message.body)) names.add("room");
    return names;
  };
  const mine = () => {
    const me = chatState().me;
    if (!me || !mentionsMe()) return new Set<string>();
    return new Set([me.username.normalize("NFKC").toLowerCase(), "room"]);
  };

  let article: HTMLElement | undefined;
  // A file message's text is its caption: it may be emptied (the file stays); a text message's may not.
  const hasFiles = () => props.message.attachments.length > 0;
  const startEdit = () => {
    setDraft(props.message.body);
    setEditing(true);
  };
  /** Leaves the editor with focus back on the message (not lost to the page: issue 19 bug 5). */
  const stopEditing = () => {
    const back = returnTo?.isConnected ? returnTo : article;
    returnTo = null;
    setEditing(false);
    back?.focus();
  };
  const saveEdit = async () => {
    const body = draft().trim();
    if ((!body && !hasFiles()) || props.message.id === null) return;
    if (body === props.message.body) return stopEditing();
    setSaving(true);
    try {
      await editMessage(props.message.id, body);
      stopEditing();
    } catch (error) {
      showToast((error as Error).message, "error");
    } finally {
      setSaving(false);
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
  const reactWith = async (emoji: string) => {
    setPicking(false);
    if (props.message.id === null) return;
    const already = stored()?.reactions?.some((r) => r.emoji === emoji && r.mine);
    try {
      await react(roomId(), props.message.id, emoji, !already);
    } catch (error) {
      showToast((error as Error).message, "error");
    }
  };
  const openThread = () => {
    const rootId = stored()?.threadRootId ?? props.message.id;
    if (rootId !== null) setOpenThread({ roomId: roomId(), rootId });
  };
  const jumpToQuote = () => {
    const quote = props.message.quote;
    if (!quote) return;
    if (quote.threadRootId !== undefined) setOpenThread({ roomId: roomId(), rootId: quote.threadRootId });
    setJumpTarget({ roomId: roomId(), messageId: quote.id });
    navigate(`/chat/${roomId()}`);
  };

  const Dividers = () => (
    <>
      <Show when={props.mark?.day}>
        {(day) => (
          // A separator's text is not read as its name: the label says what it divides (issue 19 item 14).
          <div class="day-divider" role="separator" aria-label={formatDay(day())}>
            <span>{formatDay(day())}</span>
          </div>
        )}
      </Show>
      <Show when={props.mark?.unread}>
        <div class="unread-divider" role="separator" aria-label={t("chat.newSince")} data-testid="unread-divider">
          <span>{t("chat.newSince")}</span>
        </div>
      </Show>
    </>
  );

  return (
    <Show
      when={!stored()?.event}
      fallback={
        <>
          <Dividers />
          <div class="system-line" data-message-id={props.message.id ?? undefined} classList={{ highlighted: isHighlighted() }}>
            <span class="system-line-text">{systemLineText(stored()!, (user) => shownName(chatState().people[user.id] ?? user))}</span>
            <time dateTime={new Date(props.message.createdAt).toISOString()} title={formatDateTime(props.message.createdAt)}>{formatTime(props.message.createdAt)}</time>
          </div>
        </>
      }
    >
      <Dividers />
      <article
        ref={article}
        tabIndex={-1}
        class="message"
        classList={{
          first: first(),
          pending: pending()?.status === "sending",
          failed: pending()?.status === "failed",
          mine: props.mine,
          deleted: deleted(),
          highlighted: isHighlighted(),
          selected: selected(),
          "mentions-me": mentionsMe(),
        }}
        aria-current={isHighlighted() ? "true" : undefined}
        onClick={(event) => {
          if (!(event.target as Element).closest("button, a, textarea, input, select, label")) setSelected(!selected());
        }}
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
          <Show when={!props.inThread && stored()?.alsoToRoom}>
            <button type="button" class="link-button message-in-thread" onClick={openThread}>
              <Icon name="thread" />
              {t("thread.alsoSent")}
            </button>
          </Show>
          <Show when={props.message.quote}>
            {(quote) => (
              <button type="button" class="message-quote" aria-label={t("quote.jump", { name: shownName(quote().author) })} onClick={jumpToQuote}>
                <span class="message-quote-author">{shownName(quote().author)}</span>
                <span class="message-quote-text">{quote().deleted ? t("quote.deleted") : quote().snippet}</span>
              </button>
            )}
          </Show>
          <Show
            when={editing()}
            fallback={
              <Show when={!deleted()} fallback={<p class="message-deleted">{t("thread.deleted")}</p>}>
                <Show when={mentionsMe()}>
                  <span class="visually-hidden">{t("mentions.ofYou")}</span>
                </Show>
                <MessageBody body={props.message.body} edited={props.message.editedAt !== null} mentioned={mentioned()} mine={mine()} />
              </Show>
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
                    stopEditing();
                  } else if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
                    e.preventDefault();
                    void saveEdit();
                  }
                }}
              />
              <div class="row">
                <button type="submit" class="button primary small" disabled={saving() || (!draft().trim() && !hasFiles())}>{t("common.save")}</button>
                <button type="button" class="button small" onClick={stopEditing}>{t("common.cancel")}</button>
                <span class="muted small-text">{t("chat.editHint")}</span>
              </div>
            </form>
          </Show>
          <Show when={!deleted() && hasFiles()}>
            <div class="message-files" classList={{ several: props.message.attachments.length > 1 }}>
              <For each={props.message.attachments}>{(attachment) => <FilePreview attachment={attachment} />}</For>
            </div>
          </Show>
          <Show when={props.message.pending?.files?.length}>
            <ul class="message-pending-files" aria-label={t("files.tray")}>
              <For each={props.message.pending!.files}>
                {(file) => (
                  <li>
                    <Icon name="paperclip" />
                    {file.name} <span class="muted">{formatBytes(file.size)}</span>
                  </li>
                )}
              </For>
            </ul>
          </Show>
          <Show when={stored()?.pinned}>
            {(pinned) => (
              <p class="message-pinned">
                <Icon name="pin" />
                {pinned().by ? t("pins.pinnedBy", { name: shownName(pinned().by!) }) : t("pins.pinned")}
              </p>
            )}
          </Show>
          <Show when={stored()?.reactions?.length && props.message.id !== null}>
            <ReactionBar roomId={roomId()} messageId={props.message.id!} reactions={stored()!.reactions!} disabled={archived()} onAdd={() => setPicking(true)} />
          </Show>
          <Show when={!props.inThread && stored()?.thread}>
            {(thread) => (
              <button
                type="button"
                class="thread-summary"
                onClick={openThread}
              >
                <span class="visually-hidden">{t("thread.view")} </span>
                <span class="thread-avatars" aria-hidden="true">
                  <For each={thread().participants}>{(user) => <Avatar user={user} small />}</For>
                </span>
                <span class="thread-count">{tn("thread.replies", thread().replyCount)}</span>
                <Show when={thread().lastReplyAt}>
                  {(at) => <span class="thread-last">{t("thread.lastReply", { time: formatTime(at()) })}</span>}
                </Show>
              </button>
            )}
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
          <Show when={picking()}>
            <div class="message-picker">
              <EmojiPicker label={t("reactions.add")} onPick={(emoji) => void reactWith(emoji)} onClose={() => setPicking(false)} />
            </div>
          </Show>
        </div>
        <Show when={props.message.id !== null && !editing() && !deleted()}>
          <MessageActions
            message={props.message}
            roomId={roomId()}
            archived={archived()}
            canPin={canPin()}
            mine={props.mine}
            canModerate={props.canModerate}
            inThread={props.inThread}
            onReact={(emoji) => void reactWith(emoji)}
            onPick={() => setPicking(true)}
            onOpenThread={openThread}
            onEdit={startEdit}
            onDelete={() => setConfirming(true)}
            onReport={() => setReporting(true)}
          />
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
    </Show>
  );
}
