import { createEffect, createMemo, lazy, Match, on, onCleanup, onMount, Show, Suspense, Switch } from "solid-js";
import { A, useLocation, useNavigate, useParams, useSearchParams } from "@solidjs/router";
import { t } from "../i18n/index.ts";
import { announcement, chatState, connection, onReady, setActiveRoom } from "../stores/chat.ts";
import { refreshFollowed } from "../stores/conversation-actions.ts";
import { shownName } from "../stores/names.ts";
import { closeDialog, dialog, drawerOpen, openDialog, openThread, setDrawerOpen, setJumpTarget, setOpenThread } from "../stores/ui.ts";
import { me } from "../stores/session.ts";
import { serverLabel } from "../components/page-title.ts";
import { attentionCount } from "../notifications/desktop.ts";
import { roomRef, roomTitle, sortRooms } from "../chat/rooms.ts";
import { Sidebar } from "../components/Sidebar.tsx";
import { ConnectionBanner } from "../components/ConnectionBanner.tsx";
import { ConversationHeader } from "../components/ConversationHeader.tsx";
import { MessageList } from "../components/MessageList.tsx";
import { TypingIndicator } from "../components/TypingIndicator.tsx";
import { Composer } from "../components/Composer.tsx";
import { AttachDropZone } from "../components/AttachDropZone.tsx";
import { UploadTray } from "../components/UploadTray.tsx";
import { Icon } from "../components/Icon.tsx";
import { Logo } from "../components/Logo.tsx";
import { Toasts } from "../components/Toasts.tsx";
import { BrowseRoomsDialog } from "../components/dialogs/BrowseRoomsDialog.tsx";
import { NewRoomDialog } from "../components/dialogs/NewRoomDialog.tsx";
import { NewDmDialog } from "../components/dialogs/NewDmDialog.tsx";
import { RoomSwitcher } from "../components/dialogs/RoomSwitcher.tsx";
import { MembersDialog } from "../components/dialogs/MembersDialog.tsx";
import { InviteDialog } from "../components/dialogs/InviteDialog.tsx";
import { RoomSettingsDialog } from "../components/dialogs/RoomSettingsDialog.tsx";
import { SearchBox } from "../components/SearchBox.tsx";
import { SearchPanel } from "../components/SearchPanel.tsx";
import { openSearch, resetSearch, searchState } from "../stores/search.ts";
import { RoomNotifyDialog } from "../components/dialogs/RoomNotifyDialog.tsx";
import { MentionsDialog } from "../components/dialogs/MentionsDialog.tsx";
import { FirstRunSetup } from "../components/FirstRunSetup.tsx";
import { AwaitingAcceptance } from "../components/AwaitingAcceptance.tsx";

// Threads, the Threads view and the pinned list come as chunks of their own when first opened, so
// that the first page load stays small (issue 11: at most 15 KB more, gzipped).
const ThreadPanel = lazy(() => import("../components/ThreadPanel.tsx").then((m) => ({ default: m.ThreadPanel })));
const ThreadsView = lazy(() => import("./ThreadsView.tsx").then((m) => ({ default: m.ThreadsView })));
const PinnedDialog = lazy(() => import("../components/dialogs/PinnedDialog.tsx").then((m) => ({ default: m.PinnedDialog })));

function Welcome() {
  return (
    <div class="welcome">
      <span class="welcome-icon"><Logo compact /></span>
      <h1>{t("welcome.title", { server: serverLabel() })}</h1>
      <p class="muted">{t("welcome.text")}</p>
      <div class="row">
        <button type="button" class="button primary" onClick={() => openDialog("browse")}>
          <Icon name="search" />
          {t("sidebar.browse")}
        </button>
        <button type="button" class="button" onClick={() => openDialog("newRoom")}>
          <Icon name="plus" />
          {t("sidebar.newRoom")}
        </button>
        <button type="button" class="button" onClick={() => openDialog("newDm")}>
          <Icon name="message" />
          {t("sidebar.newDm")}
        </button>
      </div>
      {/* An admin who skipped the first-run setup has nobody to talk to yet: say where invites are made. */}
      <Show when={me()?.isAdmin}>
        <A href="/dashboard?tab=server" class="button ghost">
          <Icon name="plus" />
          {t("welcome.invite")}
        </A>
      </Show>
    </div>
  );
}

export function Chat() {
  const params = useParams<{ roomId?: string; messageId?: string }>();
  // ?message=<id> (a notification, the Mentions view: stores/navigation.ts messagePath) opens the room
  // at that message, like a permalink.
  const [search] = useSearchParams<{ message?: string }>();
  const location = useLocation();
  const navigate = useNavigate();
  const threadsView = () => location.pathname === "/chat/threads";
  const roomId = createMemo(() => {
    const id = Number(params.roomId);
    return Number.isSafeInteger(id) && id > 0 ? id : null;
  });
  const room = createMemo(() => {
    const id = roomId();
    return id === null ? undefined : chatState().rooms[id];
  });
  const ready = () => chatState().me !== null;
  const title = createMemo(() => {
    const current = room();
    return current ? roomTitle(current, chatState().me?.id, shownName) : "";
  });

  createEffect(() => setActiveRoom(room()?.id ?? null));

  // A permalink (/chat/r/<room>/m/<message>) or /chat/<room>?message=<id>: the room's list brings the
  // message into view; the address becomes the room's own, so a reload opens the room as usual.
  createEffect(
    on(
      () => [roomId(), params.messageId ?? search.message] as const,
      ([id, raw]) => {
        const messageId = Number(raw);
        if (id === null || raw === undefined || !Number.isSafeInteger(messageId) || messageId <= 0) return;
        setJumpTarget({ roomId: id, messageId });
        navigate(`/chat/${id}`, { replace: true });
      },
    ),
  );
  // A thread of another room is not shown beside this one. Outside any room (the Threads view, which
  // opens a thread and then goes to its room) there is nothing to compare with yet.
  createEffect(() => {
    const thread = openThread();
    const id = roomId();
    if (thread && id !== null && thread.roomId !== id) setOpenThread(null);
  });
  // The threads I follow (the Threads badge), after every (re)connect.
  onCleanup(onReady(() => void refreshFollowed()));
  onMount(() => {
    if (ready()) void refreshFollowed();
  });
  const thread = createMemo(() => {
    const open = openThread();
    const current = room();
    return open && current && open.roomId === current.id ? open : null;
  });

  // /chat alone opens the first room (or DM) once the room list is first known; a room that
  // appears later does not pull me away from the welcome screen.
  let landed = false;
  createEffect(() => {
    if (landed || !ready()) return;
    landed = true;
    if (params.roomId || threadsView()) return;
    const { rooms, dms } = sortRooms(Object.values(chatState().rooms), chatState().me?.id);
    const first = rooms[0] ?? dms[0];
    if (first) navigate(`/chat/${first.id}`, { replace: true });
  });

  // The tab title counts what asks for me (mentions and DMs), so it shows in the tab strip and the task bar.
  createEffect(() => {
    const unread = attentionCount(chatState());
    const name = title();
    document.title = `${unread > 0 ? `(${unread > 99 ? "99+" : unread}) ` : ""}${name ? `${name} · ` : ""}${serverLabel()}`;
  });
  onCleanup(() => {
    document.title = serverLabel();
    setActiveRoom(null);
  });

  // The phone's drawer takes the focus when it opens (the page behind is inert: focus left there would
  // sit on nothing) and gives it back to the button that opened it when it closes.
  let openedFrom: HTMLElement | null = null;
  createEffect(
    on(drawerOpen, (open, wasOpen) => {
      if (open) {
        openedFrom = document.activeElement instanceof HTMLElement ? document.activeElement : null;
        queueMicrotask(() => document.querySelector<HTMLElement>("#sidebar a[href], #sidebar button")?.focus());
      } else if (wasOpen && openedFrom?.isConnected) {
        openedFrom.focus();
        openedFrom = null;
      }
    }),
  );

  onMount(() => {
    const onKey = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey && event.key.toLowerCase() === "f") {
        // The browser's find sees only the loaded page; search looks through every conversation.
        event.preventDefault();
        closeDialog();
        openSearch();
      } else if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === "k") {
        event.preventDefault();
        if (dialog() === "switcher") closeDialog();
        else openDialog("switcher");
      } else if (event.key === "Escape" && drawerOpen()) {
        setDrawerOpen(false);
      }
    };
    document.addEventListener("keydown", onKey);
    // The drawer exists below 768 px only (chat.css): widening the window closes it, so nothing stays inert.
    const wide = window.matchMedia("(min-width: 768px)");
    const onWide = () => {
      if (wide.matches) setDrawerOpen(false);
    };
    wide.addEventListener("change", onWide);
    onCleanup(() => {
      wide.removeEventListener("change", onWide);
      document.removeEventListener("keydown", onKey);
      closeDialog();
      setDrawerOpen(false);
      // Leaving the chat (logging out): nothing of the last search stays on screen. (A jump on its way
      // is kept: a permalink's route hands over to the room's own, which unmounts this view.)
      resetSearch();
    });
  });

  return (
    <div class="chat-app" classList={{ "drawer-open": drawerOpen(), "thread-open": thread() !== null }}>
      {/* Only where there is a message field to skip to (not the Threads view, search, or no room). */}
      <Show when={!threadsView() && !searchState().open && roomId() !== null && !drawerOpen()}>
        <a
          href="#composer"
          class="skip-link"
          onClick={(event) => {
            // Focus the field itself (a fragment link would only scroll, and the router would see it).
            event.preventDefault();
            document.querySelector<HTMLTextAreaElement>("#composer textarea")?.focus();
          }}
        >
          {t("chat.skipToComposer")}
        </a>
      </Show>
      <ConnectionBanner />
      <div class="chat-layout">
        <Sidebar activeRoomId={roomId()} />
        <div class="drawer-backdrop" aria-hidden="true" onClick={() => setDrawerOpen(false)} />
        {/* Behind the open drawer (phones), the conversation is out of reach of keys and screen readers. */}
        <main class="conversation" id="main" inert={drawerOpen() || undefined}>
          <Switch>
            <Match when={searchState().open && ready()}>
              <SearchPanel />
            </Match>
            <Match when={!ready()}>
              <div class="messages-loading centered" role="status">
                <span class="spinner" aria-hidden="true" />
                {connection() === "reconnecting" ? t("connection.reconnecting") : t("connection.connecting")}
              </div>
            </Match>
            <Match when={threadsView()}>
              <Suspense fallback={<div class="messages-loading centered" role="status"><span class="spinner" aria-hidden="true" />{t("common.loading")}</div>}>
                <ThreadsView />
              </Suspense>
            </Match>
            <Match when={room()}>
              {(current) => (
                <>
                  <ConversationHeader room={current()} title={title()} />
                  <Show when={current().id} keyed>
                    {(id) => (
                      <AttachDropZone roomId={id} disabled={current().archivedAt !== null}>
                        <MessageList roomId={id} title={title()} />
                        <TypingIndicator roomId={id} />
                        <AwaitingAcceptance room={current()} />
                        <div id="composer" class="composer-wrap">
                          <UploadTray roomId={id} />
                          <Composer
                            roomId={id}
                            placeholder={
                              current().archivedAt !== null
                                ? t("composer.archived")
                                : current().kind === "dm"
                                  ? t("composer.placeholderDm", { name: title() })
                                  : t("composer.placeholderRoom", { room: roomRef(current()) })
                            }
                            disabled={current().archivedAt !== null}
                          />
                        </div>
                      </AttachDropZone>
                    )}
                  </Show>
                </>
              )}
            </Match>
            <Match when={roomId() !== null}>
              <header class="conversation-header">
                <button type="button" class="icon-button menu-button" aria-label={t("sidebar.open")} onClick={() => setDrawerOpen(true)}>
                  <Icon name="menu" />
                </button>
                <div class="conversation-title" />
                <div class="conversation-actions">
                  <SearchBox />
                </div>
              </header>
              <div class="welcome">
                <h1>{t("chat.notFoundTitle")}</h1>
                <p class="muted">{t("chat.notFoundText")}</p>
                <button type="button" class="button primary" onClick={() => openDialog("browse")}>{t("sidebar.browse")}</button>
              </div>
            </Match>
            <Match when={true}>
              <header class="conversation-header bare with-search">
                <button type="button" class="icon-button menu-button" aria-label={t("sidebar.open")} onClick={() => setDrawerOpen(true)}>
                  <Icon name="menu" />
                </button>
                <div class="conversation-title" />
                <div class="conversation-actions">
                  <SearchBox />
                </div>
              </header>
              <Welcome />
            </Match>
          </Switch>
        </main>
        <Show when={thread()} keyed>
          {(open) => (
            <Suspense fallback={<aside class="thread-panel" aria-busy="true" aria-label={t("thread.title")}><div class="messages-loading" role="status"><span class="spinner" aria-hidden="true" />{t("thread.loading")}</div></aside>}>
              <ThreadPanel roomId={open.roomId} rootId={open.rootId} roomTitle={room()?.kind === "dm" ? title() : roomRef(room()!)} archived={room()?.archivedAt != null} />
            </Suspense>
          )}
        </Show>
      </div>
      <div class="visually-hidden" aria-live="polite" data-testid="announcer">{announcement()}</div>
      <Switch>
        <Match when={dialog() === "browse"}><BrowseRoomsDialog /></Match>
        <Match when={dialog() === "newRoom"}><NewRoomDialog /></Match>
        <Match when={dialog() === "newDm"}><NewDmDialog /></Match>
        <Match when={dialog() === "switcher"}><RoomSwitcher /></Match>
        <Match when={dialog() === "members" && room()}>{(r) => <MembersDialog room={r()} />}</Match>
        <Match when={dialog() === "invite" && room()}>{(r) => <InviteDialog room={r()} />}</Match>
        <Match when={dialog() === "editRoom" && room()}>{(r) => <RoomSettingsDialog room={r()} />}</Match>
        <Match when={dialog() === "pins" && room()}>{(r) => <Suspense><PinnedDialog room={r()} /></Suspense>}</Match>
        <Match when={dialog() === "notify" && room()}>{(r) => <RoomNotifyDialog room={r()} />}</Match>
        <Match when={dialog() === "mentions"}><MentionsDialog /></Match>
      </Switch>
      <FirstRunSetup />
      <Toasts />
    </div>
  );
}
