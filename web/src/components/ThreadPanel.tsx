// A thread beside its room (on a phone: over it, full screen, with a back button): the root, its
// replies oldest first, and a composer that replies in the thread (optionally also to the room).
// Replies arrive live; what is shown while the panel is open is marked read.
import { createEffect, createMemo, For, on, onCleanup, onMount, Show } from "solid-js";
import { t, tn } from "../i18n/index.ts";
import { chatState, connection, onReady } from "../stores/chat.ts";
import { loadThread, readThread } from "../stores/conversation-actions.ts";
import { highlight, setOpenThread, setThreadJump, threadJump } from "../stores/ui.ts";
import { fromMessage, fromPending, type DisplayMessage } from "../chat/display.ts";
import { timelineMarks } from "../chat/grouping.ts";
import { Composer } from "./Composer.tsx";
import { Icon } from "./Icon.tsx";
import { MessageItem } from "./MessageItem.tsx";
import { composerField } from "./composer-field.ts";

/** Pages of older replies looked through for a reply a link points at. */
const JUMP_PAGES = 10;

export function ThreadPanel(props: { roomId: number; rootId: number; roomTitle: string; archived: boolean }) {
  let scroller!: HTMLDivElement;
  let panel!: HTMLElement;
  const thread = () => chatState().threads[props.rootId];
  const me = () => chatState().me;
  const root = createMemo(() => {
    const fromThread = thread()?.root;
    const fromRoom = chatState().timelines[props.roomId]?.messages.find((m) => m.id === props.rootId);
    // The later copy of the two (reactions, summary, deletion reach both, but a page may be older).
    if (fromThread && fromRoom) return (fromRoom.rev ?? 0) >= (fromThread.rev ?? 0) ? fromRoom : fromThread;
    return fromThread ?? fromRoom ?? null;
  });
  const replies = createMemo<DisplayMessage[]>(() => {
    const stored = (thread()?.messages ?? []).map(fromMessage);
    const user = me();
    const pending = user ? chatState().pending.filter((p) => p.threadRootId === props.rootId).map((p) => fromPending(p, user)) : [];
    return pending.length ? [...stored, ...pending] : stored;
  });
  const marks = createMemo(() => timelineMarks(replies(), { lastReadId: null, me: me()?.id ?? 0 }));
  const titleId = `thread-title-${props.rootId}`;

  const toEnd = () => {
    scroller.scrollTop = scroller.scrollHeight;
  };
  const markRead = () => {
    if (document.visibilityState === "visible") readThread(props.rootId);
  };

  // The newest page when opened (and again after a reconnect: `ready` drops open threads).
  createEffect(
    on(
      () => [props.rootId, connection(), thread() === undefined] as const,
      async ([, status, missing]) => {
        if (status !== "open" || !missing) return;
        await loadThread(props.roomId, props.rootId, true);
        toEnd();
        markRead();
      },
    ),
  );
  onCleanup(onReady(() => void loadThread(props.roomId, props.rootId, true)));

  // New replies: follow them to the end and mark them read.
  createEffect(
    on(
      () => replies().at(-1)?.key,
      (last, previous) => {
        if (last === undefined || last === previous) return;
        queueMicrotask(toEnd);
        markRead();
      },
      { defer: true },
    ),
  );

  // A link to a reply: page back until it is loaded, then show it.
  createEffect(
    on(
      () => [threadJump(), thread()?.messages.length] as const,
      async ([target]) => {
        if (target === null || !thread()) return;
        for (let page = 0; page < JUMP_PAGES && !thread()!.messages.some((m) => m.id === target) && thread()!.hasOlder; page++) {
          await loadThread(props.roomId, props.rootId);
        }
        const row = scroller.querySelector<HTMLElement>(`[data-message-id="${target}"]`);
        setThreadJump(null);
        if (!row) return;
        row.scrollIntoView({ block: "center" });
        highlight(target);
      },
    ),
  );

  onMount(() => {
    panel.focus();
    const onScroll = () => {
      if (scroller.scrollTop < 200 && thread()?.hasOlder) {
        const fromBottom = scroller.scrollHeight - scroller.scrollTop;
        void loadThread(props.roomId, props.rootId).then(() => {
          scroller.scrollTop = scroller.scrollHeight - fromBottom;
        });
      }
    };
    scroller.addEventListener("scroll", onScroll);
    onCleanup(() => scroller.removeEventListener("scroll", onScroll));
  });

  // Closing gives the focus to the thread's root in the room (else the composer), not to <body>.
  const close = () => {
    const rootId = props.rootId;
    const hadFocus = panel.contains(document.activeElement);
    setOpenThread(null);
    if (!hadFocus) return;
    const root = document.querySelector<HTMLElement>(`.messages-scroll article.message[data-message-id="${rootId}"]`);
    (root ?? composerField())?.focus();
  };

  const replyCount = () => root()?.thread?.replyCount ?? thread()?.messages.length ?? 0;
  return (
    <aside
      class="thread-panel"
      ref={panel}
      tabIndex={-1}
      aria-labelledby={titleId}
      data-testid="thread-panel"
      onKeyDown={(event) => {
        if (event.key === "Escape" && !event.defaultPrevented) {
          event.preventDefault();
          close();
        }
      }}
    >
      <header class="thread-header">
        <button type="button" class="icon-button thread-back" aria-label={t("thread.back")} onClick={close}>
          <Icon name="arrowLeft" />
        </button>
        <div class="thread-title">
          <h2 id={titleId}>{t("thread.title")}</h2>
          <p class="thread-room">{props.roomTitle}</p>
        </div>
        <button type="button" class="icon-button thread-close" aria-label={t("thread.close")} title={t("thread.close")} onClick={close}>
          <Icon name="close" />
        </button>
      </header>
      <div class="thread-scroll" ref={scroller} tabIndex={0} role="region" aria-label={t("thread.in", { room: props.roomTitle })}>
        <Show when={root()} fallback={<div class="messages-loading" role="status"><span class="spinner" aria-hidden="true" />{t("thread.loading")}</div>}>
          {(message) => <MessageItem message={fromMessage(message())} mark={undefined} mine={message().author.id === me()?.id} canModerate={me()?.isAdmin === true} inThread />}
        </Show>
        <div class="thread-divider" role="separator">
          {/* A thread just started has no replies yet: it says how to begin, not "0 replies". */}
          <span>{replyCount() === 0 ? t("thread.noReplies") : tn("thread.replies", replyCount())}</span>
        </div>
        <Show when={thread() === undefined && root()}>
          <div class="messages-loading" role="status"><span class="spinner" aria-hidden="true" />{t("thread.loading")}</div>
        </Show>
        <div role="list" aria-label={t("thread.repliesLabel")} class="thread-replies">
          <For each={replies()}>
            {(message) => (
              <div role="listitem">
                <MessageItem message={message} mark={marks().get(message.key)} mine={message.authorId === me()?.id} canModerate={me()?.isAdmin === true} inThread />
              </div>
            )}
          </For>
        </div>
      </div>
      <Show when={!props.archived && root() && root()!.deletedAt === undefined}>
        <div class="composer-wrap thread-composer">
          <Composer roomId={props.roomId} threadRootId={props.rootId} placeholder={t("thread.replyPlaceholder")} />
        </div>
      </Show>
    </aside>
  );
}
