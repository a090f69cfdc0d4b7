// The conversation: history loads as I scroll up without moving what I read, new messages stick
// to the bottom unless I scrolled away (then a "new messages" pill), and what I see gets marked read.
import { createEffect, createMemo, createSignal, For, on, onCleanup, onMount, Show, untrack } from "solid-js";
import { t } from "../i18n/index.ts";
import { chatState, connection, dispatch, onNewMessage } from "../stores/chat.ts";
import { loadHistory, markRead } from "../stores/chat-actions.ts";
import { loadAround, loadNewer } from "../stores/conversation-actions.ts";
import { clearHighlight, highlight, jumpTarget, setJumpTarget, setOpenThread, setThreadJump } from "../stores/ui.ts";
import { fromMessage, fromPending, type DisplayMessage } from "../chat/display.ts";
import { timelineMarks } from "../chat/grouping.ts";
import { Icon } from "./Icon.tsx";
import { MessageItem } from "./MessageItem.tsx";
import { RoomStart } from "./RoomStart.tsx";
import { rovingMessages } from "./roving-messages.ts";

/** Within this many pixels of the end counts as "at the bottom". */
const BOTTOM_SLACK = 48;
/** Start loading older messages this far before the top is reached. */
const TOP_PRELOAD = 400;

export function MessageList(props: { roomId: number; title: string }) {
  let scroller!: HTMLDivElement;
  let content!: HTMLDivElement;
  let atBottom = true;
  const [showPill, setShowPill] = createSignal(false);
  // More than a screen of messages below (opened at the first unread, or scrolled up): a way back.
  const [farFromEnd, setFarFromEnd] = createSignal(false);
  const measureFar = () => setFarFromEnd(scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight > scroller.clientHeight);
  const [loadingOlder, setLoadingOlder] = createSignal(false);

  const timeline = () => chatState().timelines[props.roomId];
  const room = () => chatState().rooms[props.roomId];
  const me = () => chatState().me;
  // The unread divider stays where it was when I opened the room, while I read.
  const dividerAt = untrack(() => {
    const current = room();
    return current && current.unread > 0 ? current.lastReadId : null;
  });

  const messages = createMemo<DisplayMessage[]>(() => {
    const stored = (timeline()?.messages ?? []).map(fromMessage);
    const user = me();
    // A reply shown only in its thread is pending in the thread's panel, not here.
    const pending = user
      ? chatState().pending.filter((p) => p.roomId === props.roomId && (p.threadRootId === undefined || p.alsoToRoom)).map((p) => fromPending(p, user))
      : [];
    return pending.length ? [...stored, ...pending] : stored;
  });
  const marks = createMemo(() => timelineMarks(messages(), { lastReadId: dividerAt, me: me()?.id ?? 0 }));

  const isAtBottom = () => scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight <= BOTTOM_SLACK;
  const scrollToBottom = () => {
    scroller.scrollTop = scroller.scrollHeight;
    atBottom = true;
    setShowPill(false);
    setFarFromEnd(false);
  };

  const readVisible = () => {
    const current = timeline();
    const last = current?.messages.at(-1);
    // A timeline loaded around an older message is not at the present: nothing newer is read yet.
    if (!last || current?.hasNewer || !atBottom || document.visibilityState !== "visible" || !document.hasFocus()) return;
    markRead(props.roomId, last.id);
  };

  /** Scrolling down a timeline loaded around a message: the next page, keeping what I read in place. */
  const loadNewerPage = async () => {
    if (!timeline()?.hasNewer) return;
    const fromTop = scroller.scrollTop;
    await loadNewer(props.roomId);
    scroller.scrollTop = fromTop;
  };

  /** Back to the newest messages: the timeline reloads from its newest page. */
  const toPresent = () => dispatch({ type: "local.dropTimeline", roomId: props.roomId });

  /**
   * Brings a message into view, highlights it and moves the focus to it: the one way to open a room
   * at a message (a permalink, a search result, a notification, the Mentions view, the pinned list,
   * a quote; see stores/ui.ts jumpTarget).
   */
  const jumpTo = async (messageId: number) => {
    const { found, threadRootId } = await loadAround(props.roomId, messageId);
    if (!found) {
      // Gone, or never visible: the room opens as usual, at its newest messages.
      if (!timeline()) await loadHistory(props.roomId);
      scrollToBottom();
      return;
    }
    if (threadRootId !== undefined) {
      // A reply shown only in its thread: the panel finds and highlights it; the room shows the root.
      setThreadJump(messageId);
      setOpenThread({ roomId: props.roomId, rootId: threadRootId });
    }
    const shownId = threadRootId ?? messageId;
    queueMicrotask(() => {
      const row = scroller.querySelector<HTMLElement>(`[data-message-id="${shownId}"]`);
      if (!row) return;
      row.scrollIntoView({ block: "center" });
      atBottom = isAtBottom();
      if (threadRootId !== undefined) return;
      highlight(messageId);
      row.tabIndex = -1;
      row.focus({ preventScroll: true });
    });
  };

  const loadOlder = async () => {
    const current = timeline();
    if (loadingOlder() || !current || !current.hasOlder) return;
    setLoadingOlder(true);
    // Keep the distance to the bottom fixed while older messages are inserted above.
    const fromBottom = scroller.scrollHeight - scroller.scrollTop;
    try {
      await loadHistory(props.roomId);
    } finally {
      setLoadingOlder(false);
    }
    scroller.scrollTop = scroller.scrollHeight - fromBottom;
  };

  const onScroll = () => {
    atBottom = isAtBottom();
    measureFar();
    if (atBottom) {
      setShowPill(false);
      readVisible();
      void loadNewerPage();
    }
    if (scroller.scrollTop < TOP_PRELOAD) void loadOlder();
  };

  // A jump asked for (this room): once the socket is open, load around the message and show it. The
  // target stays set until then, so the first-page load below knows to leave the timeline to it.
  let jumping = false;
  createEffect(
    on(
      () => [jumpTarget(), connection()] as const,
      ([target, status]) => {
        if (!target || target.roomId !== props.roomId || status !== "open" || jumping) return;
        jumping = true;
        void jumpTo(target.messageId).finally(() => {
          jumping = false;
          setJumpTarget(null);
        });
      },
    ),
  );

  // First page of this room, once the socket is ready; then land on the unread divider or the end.
  // (Not when a jump is on its way: it loads the page around its message instead.)
  createEffect(
    on(
      () => [connection(), timeline() === undefined] as const,
      async ([status, missing]) => {
        if (status !== "open" || !missing || jumpTarget()?.roomId === props.roomId) return;
        await loadHistory(props.roomId);
        const divider = scroller.querySelector<HTMLElement>("[data-testid=unread-divider]");
        if (divider) {
          scroller.scrollTop = Math.max(0, divider.offsetTop - scroller.clientHeight / 3);
          atBottom = isAtBottom();
          measureFar();
        } else scrollToBottom();
        readVisible();
        // A short first page may not fill the screen: keep loading until it scrolls.
        if (scroller.scrollHeight <= scroller.clientHeight) void loadOlder();
      },
    ),
  );

  // New rows at the end: follow them if I was at the bottom (or sent one myself).
  createEffect(
    on(
      () => messages().at(-1)?.key,
      (last, previous) => {
        if (last === previous) return;
        const newest = messages().at(-1);
        const mine = newest !== undefined && newest.authorId === me()?.id;
        if (timeline()?.hasNewer) return;
        if (atBottom || mine) {
          scrollToBottom();
          readVisible();
        } else if (previous !== undefined) {
          setShowPill(true);
        }
      },
      { defer: true },
    ),
  );

  onMount(() => {
    if (timeline()) scrollToBottom();
    // Content that grows after rendering (wrapping, fonts, a resized window) keeps the end in view.
    const observer = new ResizeObserver(() => {
      if (atBottom) scroller.scrollTop = scroller.scrollHeight;
    });
    observer.observe(content);
    observer.observe(scroller);
    const onFocus = () => readVisible();
    window.addEventListener("focus", onFocus);
    document.addEventListener("visibilitychange", onFocus);
    const stopListening = onNewMessage((message) => {
      if (message.roomId === props.roomId && atBottom) queueMicrotask(readVisible);
    });
    const stopRoving = rovingMessages(scroller, content);
    onCleanup(() => {
      stopRoving();
      clearHighlight();
      observer.disconnect();
      window.removeEventListener("focus", onFocus);
      document.removeEventListener("visibilitychange", onFocus);
      stopListening();
    });
  });

  return (
    <div class="messages-wrap">
      <div
        class="messages-scroll"
        ref={scroller}
        onScroll={onScroll}
        tabIndex={0}
        data-focus-managed
        role="region"
        aria-label={t("chat.messagesIn", { room: props.title })}
        aria-describedby={`messages-hint-${props.roomId}`}
        data-testid="messages"
      >
        <span id={`messages-hint-${props.roomId}`} class="visually-hidden">{t("chat.listHint")}</span>
        <div class="messages-content" ref={content}>
          <Show when={timeline() && !timeline()!.hasOlder && room()}>
            {(current) => <RoomStart room={current()} title={props.title} empty={messages().length === 0} />}
          </Show>
          <Show when={!timeline() || loadingOlder()}>
            <div class="messages-loading" role="status">
              <span class="spinner" aria-hidden="true" />
              {t("chat.loadingHistory")}
            </div>
          </Show>
          <For each={messages()}>
            {(message) => (
              <MessageItem message={message} mark={marks().get(message.key)} mine={message.authorId === me()?.id} canModerate={me()?.isAdmin === true || (room()?.role === "owner" && room()?.kind !== "dm")} />
            )}
          </For>
        </div>
      </div>
      <Show when={showPill() && !timeline()?.hasNewer}>
        <button type="button" class="new-messages-pill" onClick={scrollToBottom}>
          <Icon name="arrowDown" />
          {t("chat.newMessages")}
        </button>
      </Show>
      <Show when={farFromEnd() && !showPill() && !timeline()?.hasNewer}>
        <button
          type="button"
          class="new-messages-pill"
          onClick={() => {
            scrollToBottom();
            setFarFromEnd(false);
            readVisible();
          }}
        >
          <Icon name="arrowDown" />
          {t("chat.jumpToPresent")}
        </button>
      </Show>
      <Show when={timeline()?.hasNewer}>
        <button type="button" class="new-messages-pill" onClick={toPresent}>
          <Icon name="arrowDown" />
          {t("permalink.present")}
        </button>
      </Show>
    </div>
  );
}
