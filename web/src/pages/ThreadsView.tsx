// "Threads": the threads I follow (I started them or replied), the latest reply first, with how many
// replies I have not read; opening one shows it beside its room.
import { createResource, For, onCleanup, Show } from "solid-js";
import { useNavigate } from "@solidjs/router";
import { formatTime, t, tn } from "../i18n/index.ts";
import { api, call } from "../api/http.ts";
import { chatState, dispatch, onReady } from "../stores/chat.ts";
import { shownName } from "../stores/names.ts";
import { roomRef, roomTitle } from "../chat/rooms.ts";
import { plainText, parseMarkdown } from "../markdown/parse.ts";
import { setDrawerOpen, setOpenThread } from "../stores/ui.ts";
import { Avatar } from "../components/Avatar.tsx";
import { Icon } from "../components/Icon.tsx";

export function ThreadsView() {
  const navigate = useNavigate();
  const [threads, { refetch }] = createResource(async () => {
    const { threads } = await call(api.threads.get({ query: {} }));
    dispatch({ type: "local.followed", threads });
    return threads;
  });
  onCleanup(onReady(() => void refetch()));
  const unreadOf = (rootId: number, fallback: number) => chatState().followed[rootId]?.unread ?? fallback;
  const open = (roomId: number, rootId: number) => {
    setOpenThread({ roomId, rootId });
    navigate(`/chat/${roomId}`);
  };
  return (
    <>
      <header class="conversation-header">
        <button type="button" class="icon-button menu-button" aria-label={t("sidebar.open")} onClick={() => setDrawerOpen(true)}>
          <Icon name="menu" />
        </button>
        <div class="conversation-title">
          <h1><Icon name="thread" class="icon title-icon" /><span class="conversation-name">{t("threads.title")}</span></h1>
        </div>
      </header>
      <div class="threads-view">
        <Show when={!threads.loading || threads()} fallback={<div class="messages-loading" role="status"><span class="spinner" aria-hidden="true" />{t("common.loading")}</div>}>
          <Show when={(threads() ?? []).length > 0} fallback={<p class="muted threads-empty">{t("threads.empty")}</p>}>
            <ul class="threads-list">
              <For each={threads()}>
                {(thread) => {
                  const room = () => chatState().rooms[thread.roomId];
                  const where = () => {
                    const r = room();
                    // As the room is named elsewhere: "#general", a private room by its name, a DM by its people.
                    if (!r) return "";
                    return r.kind === "dm" ? roomTitle(r, chatState().me?.id, shownName) : roomRef(r);
                  };
                  return (
                    <li>
                      <button
                        type="button"
                        class="threads-item"
                        classList={{ unread: unreadOf(thread.rootId, thread.unread) > 0 }}
                        onClick={() => open(thread.roomId, thread.rootId)}
                      >
                        {/* Named by its text (WCAG 2.5.3: the name holds what is shown), after a hidden "View the thread:". */}
                        <span class="visually-hidden">{t("thread.view")} </span>
                        <span class="threads-avatar" aria-hidden="true">
                          <Avatar user={thread.root.author} />
                        </span>
                        <span class="threads-text">
                          <span class="threads-meta">
                            <strong>{shownName(thread.root.author)}</strong> {t("threads.inRoom", { room: where() })}
                          </span>
                          <span class="threads-body">
                            {thread.root.deletedAt !== undefined ? t("thread.deleted") : plainText(parseMarkdown(thread.root.body.slice(0, 400))).slice(0, 160)}
                          </span>
                          <span class="threads-summary">
                            {tn("thread.replies", thread.root.thread?.replyCount ?? 0)}
                            <Show when={thread.root.thread?.lastReplyAt}>{(at) => <> · {t("thread.lastReply", { time: formatTime(at()) })}</>}</Show>
                          </span>
                        </span>
                        <Show when={unreadOf(thread.rootId, thread.unread) > 0}>
                          <span class="badge" aria-hidden="true">{unreadOf(thread.rootId, thread.unread)}</span>
                          <span class="visually-hidden">, {tn("threads.unread", unreadOf(thread.rootId, thread.unread))}</span>
                        </Show>
                      </button>
                    </li>
                  );
                }}
              </For>
            </ul>
          </Show>
        </Show>
      </div>
    </>
  );
}
