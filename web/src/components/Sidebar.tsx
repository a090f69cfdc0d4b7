import { createMemo, For, Show } from "solid-js";
import { A, useNavigate } from "@solidjs/router";
import { t, tn } from "../i18n/index.ts";
import { chatState } from "../stores/chat.ts";
import { openDialog, setDrawerOpen } from "../stores/ui.ts";
import { dmPeers, roomTitle, sortRooms } from "../chat/rooms.ts";
import { displayNameOf } from "../chat/names.ts";
import { shownName } from "../stores/names.ts";
import type { Room, UserRef } from "../chat/protocol.ts";
import { Avatar } from "./Avatar.tsx";
import { Icon } from "./Icon.tsx";
import { Logo } from "./Logo.tsx";
import { UserMenu } from "./UserMenu.tsx";
import { openDm } from "../chat/open-dm.ts";
import { threadsUnread } from "../chat/state-conversations.ts";
import { totalUnread } from "../chat/state.ts";
import { isMuted } from "../notifications/decide.ts";
import { enableNotifications, enabled as notificationsEnabled, permission } from "../notifications/desktop.ts";
import { enablePush } from "../notifications/push-subscription.ts";
import { showToast } from "../stores/toast.ts";
import { RequestList } from "./RequestList.tsx";

function UnreadBadge(props: { count: number }) {
  return (
    <Show when={props.count > 0}>
      <span class="badge" aria-hidden="true">{props.count >= 100 ? "99+" : props.count}</span>
    </Show>
  );
}

function MentionBadge(props: { count: number }) {
  return (
    <Show when={props.count > 0}>
      <span class="badge mention-badge" aria-hidden="true">@{props.count >= 100 ? "99+" : props.count}</span>
    </Show>
  );
}

/** Muted rooms sink to the end of their list (in their own order); nothing else moves. */
function mutedLast(rooms: Room[]): Room[] {
  const now = Date.now();
  return [...rooms.filter((r) => !isMuted(r.notify.mutedUntil, now)), ...rooms.filter((r) => isMuted(r.notify.mutedUntil, now))];
}

/** The sidebar's invitation to turn notifications on: the permission is asked only from this click (or settings). */
function NotificationPrompt() {
  const turnOn = async () => {
    const answer = await enableNotifications();
    if (answer === "granted") {
      await enablePush().catch(() => false);
      showToast(t("notify.enabled"));
    } else if (answer === "denied") showToast(t("notify.denied"), "error");
  };
  return (
    <Show when={!notificationsEnabled() && permission() !== "denied" && permission() !== "unsupported"}>
      <div class="notify-prompt">
        <Icon name="bell" />
        <span>{t("notify.prompt")}</span>
        <button type="button" class="button small" onClick={() => void turnOn()}>{t("notify.turnOn")}</button>
      </div>
    </Show>
  );
}

function RoomLink(props: { room: Room; activeId: number | null }) {
  const meId = () => chatState().me?.id;
  const muted = () => isMuted(props.room.notify.mutedUntil);
  const title = () => roomTitle(props.room, meId(), shownName);
  const peer = () => (props.room.kind === "dm" ? dmPeers(props.room, meId())[0] : undefined);
  return (
    <li>
      <A
        href={`/chat/${props.room.id}`}
        class="sidebar-item"
        classList={{ active: props.room.id === props.activeId, unread: props.room.unread > 0 && !muted(), muted: muted() }}
        aria-current={props.room.id === props.activeId ? "page" : undefined}
        onClick={() => setDrawerOpen(false)}
      >
        <Show
          when={props.room.kind === "dm"}
          fallback={<Icon name={props.room.kind === "private" ? "lock" : "hash"} class="icon sidebar-icon" />}
        >
          <span class="sidebar-dm-avatar">
            <Avatar user={peer() ?? { id: 0, username: "?", displayName: null }} small />
            <Show when={peer() && chatState().online[peer()!.id]}>
              <span class="presence-dot on-avatar" />
            </Show>
          </span>
        </Show>
        <span class="sidebar-item-name">{title()}</span>
        <Show when={muted()}>
          <Icon name="bellOff" class="icon sidebar-muted" />
          <span class="visually-hidden">, {t("notify.muted")}</span>
        </Show>
        <Show when={props.room.unread > 0 && !muted()}>
          <span class="visually-hidden">, {tn("sidebar.unread", props.room.unread)}</span>
        </Show>
        <Show when={props.room.mentions > 0}>
          <span class="visually-hidden">, {tn("sidebar.mentions", props.room.mentions)}</span>
        </Show>
        <MentionBadge count={props.room.mentions} />
        {/* A muted room shows no unread count: only mentions of me. */}
        <UnreadBadge count={muted() ? 0 : props.room.unread} />
      </A>
    </li>
  );
}

export function Sidebar(props: { activeRoomId: number | null }) {
  const navigate = useNavigate();
  const sorted = createMemo(() => sortRooms(Object.values(chatState().rooms), chatState().me?.id));
  const online = createMemo<UserRef[]>(() => {
    const state = chatState();
    const collator = new Intl.Collator(undefined, { sensitivity: "base" });
    return Object.keys(state.online)
      .map((id) => state.people[Number(id)])
      .filter((user): user is UserRef => user !== undefined && user.id !== state.me?.id)
      .sort((a, b) => collator.compare(displayNameOf(a), displayNameOf(b)));
  });

  return (
    <nav class="sidebar" id="sidebar" aria-label={t("sidebar.label")}>
      {/* Inside the landmark (axe: region): content outside every landmark is skipped by landmark navigation. */}
      <Show when={totalUnread(chatState()) > 0}>
        <span class="visually-hidden">{tn("chat.unreadTotal", totalUnread(chatState()))}</span>
      </Show>
      <div class="sidebar-top">
        <A href="/chat" class="sidebar-brand" aria-label={t("app.name")}>
          <Logo />
        </A>
        <button type="button" class="icon-button sidebar-close" aria-label={t("sidebar.close")} onClick={() => setDrawerOpen(false)}>
          <Icon name="close" />
        </button>
      </div>
      <button type="button" class="sidebar-search" onClick={() => openDialog("switcher")}>
        <Icon name="search" />
        <span>{t("sidebar.jump")}</span>
        <kbd aria-hidden="true">{/Mac|iPhone|iPad/.test(navigator.platform) ? "⌘ K" : t("sidebar.jumpKey")}</kbd>
      </button>

      <button type="button" class="sidebar-search" onClick={() => openDialog("mentions")} data-testid="open-mentions">
        <Icon name="at" />
        <span>{t("mentions.title")}</span>
      </button>
      <NotificationPrompt />

      <div class="sidebar-scroll">
        <A
          href="/chat/threads"
          class="sidebar-item sidebar-threads"
          classList={{ unread: threadsUnread(chatState()) > 0 }}
          activeClass="active"
          end
          onClick={() => setDrawerOpen(false)}
        >
          <Icon name="thread" class="icon sidebar-icon" />
          {/* Named by what it shows (WCAG 2.5.3): the count is read from hidden text, the badge is not. */}
          <span class="sidebar-item-name">
            {t("threads.open")}
            <Show when={threadsUnread(chatState()) > 0}>
              <span class="visually-hidden"> {tn("threads.unread", threadsUnread(chatState()))}</span>
            </Show>
          </span>
          <UnreadBadge count={threadsUnread(chatState())} />
        </A>
        <RequestList />

        <section class="sidebar-section" aria-labelledby="sidebar-rooms">
          <div class="sidebar-heading">
            <h2 id="sidebar-rooms">{t("sidebar.rooms")}</h2>
            <button type="button" class="icon-button" aria-label={t("sidebar.newRoom")} title={t("sidebar.newRoom")} onClick={() => openDialog("newRoom")}>
              <Icon name="plus" />
            </button>
          </div>
          <ul class="sidebar-list">
            <For each={mutedLast(sorted().rooms)}>{(room) => <RoomLink room={room} activeId={props.activeRoomId} />}</For>
          </ul>
          <Show when={sorted().rooms.length === 0}>
            <p class="sidebar-empty">{t("sidebar.noRooms")}</p>
          </Show>
          <button type="button" class="sidebar-action" onClick={() => openDialog("browse")}>
            <Icon name="search" class="icon sidebar-icon" />
            {t("sidebar.browse")}
          </button>
        </section>

        <section class="sidebar-section" aria-labelledby="sidebar-dms">
          <div class="sidebar-heading">
            <h2 id="sidebar-dms">{t("sidebar.dms")}</h2>
            <button type="button" class="icon-button" aria-label={t("sidebar.newDm")} title={t("sidebar.newDm")} onClick={() => openDialog("newDm")}>
              <Icon name="plus" />
            </button>
          </div>
          <ul class="sidebar-list">
            <For each={mutedLast(sorted().dms)}>{(room) => <RoomLink room={room} activeId={props.activeRoomId} />}</For>
          </ul>
          <Show when={sorted().dms.length === 0}>
            <p class="sidebar-empty">{t("sidebar.noDms")}</p>
          </Show>
        </section>

        <section class="sidebar-section" aria-labelledby="sidebar-online">
          <div class="sidebar-heading">
            <h2 id="sidebar-online">{t("sidebar.online")}</h2>
            {/* aria-label is not read on a plain span (issue 19 §14): the words are hidden text instead.
                No "0" beside "Online now" while I am: the line below says nobody else is. */}
            <Show when={online().length > 0}>
              <span class="sidebar-count" aria-hidden="true">{online().length}</span>
              <span class="visually-hidden">{tn("sidebar.onlineCount", online().length)}</span>
            </Show>
          </div>
          <ul class="sidebar-list" data-testid="online-list">
            <For each={online()}>
              {(user) => (
                <li>
                  <button
                    type="button"
                    class="sidebar-item"
                    title={t("sidebar.messagePerson", { name: shownName(user) })}
                    onClick={() => {
                      setDrawerOpen(false);
                      void openDm([user.id], navigate);
                    }}
                  >
                    <span class="sidebar-dm-avatar" aria-hidden="true">
                      <Avatar user={user} small />
                      <span class="presence-dot on-avatar" />
                    </span>
                    {/* Named by what it shows (WCAG 2.5.3), the person; the title says what a click does. */}
                    <span class="sidebar-item-name">{shownName(user)}</span>
                  </button>
                </li>
              )}
            </For>
          </ul>
          <Show when={online().length === 0}>
            <p class="sidebar-empty">{t("sidebar.nobodyOnline")}</p>
          </Show>
        </section>
      </div>

      <UserMenu />
    </nav>
  );
}
