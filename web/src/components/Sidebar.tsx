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

function UnreadBadge(props: { count: number }) {
  return (
    <Show when={props.count > 0}>
      <span class="badge" aria-hidden="true">{props.count >= 100 ? "99+" : props.count}</span>
    </Show>
  );
}

function RoomLink(props: { room: Room; activeId: number | null }) {
  const meId = () => chatState().me?.id;
  const title = () => roomTitle(props.room, meId(), shownName);
  const peer = () => (props.room.kind === "dm" ? dmPeers(props.room, meId())[0] : undefined);
  return (
    <li>
      <A
        href={`/chat/${props.room.id}`}
        class="sidebar-item"
        classList={{ active: props.room.id === props.activeId, unread: props.room.unread > 0 }}
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
        <Show when={props.room.unread > 0}>
          <span class="visually-hidden">, {tn("sidebar.unread", props.room.unread)}</span>
        </Show>
        <UnreadBadge count={props.room.unread} />
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

      <div class="sidebar-scroll">
        <A
          href="/chat/threads"
          class="sidebar-item sidebar-threads"
          classList={{ unread: threadsUnread(chatState()) > 0 }}
          activeClass="active"
          end
          aria-label={threadsUnread(chatState()) > 0 ? tn("threads.openUnread", threadsUnread(chatState())) : t("threads.open")}
          onClick={() => setDrawerOpen(false)}
        >
          <Icon name="thread" class="icon sidebar-icon" />
          <span class="sidebar-item-name">{t("threads.open")}</span>
          <UnreadBadge count={threadsUnread(chatState())} />
        </A>
        <section class="sidebar-section" aria-labelledby="sidebar-rooms">
          <div class="sidebar-heading">
            <h2 id="sidebar-rooms">{t("sidebar.rooms")}</h2>
            <button type="button" class="icon-button" aria-label={t("sidebar.newRoom")} title={t("sidebar.newRoom")} onClick={() => openDialog("newRoom")}>
              <Icon name="plus" />
            </button>
          </div>
          <ul class="sidebar-list">
            <For each={sorted().rooms}>{(room) => <RoomLink room={room} activeId={props.activeRoomId} />}</For>
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
            <For each={sorted().dms}>{(room) => <RoomLink room={room} activeId={props.activeRoomId} />}</For>
          </ul>
          <Show when={sorted().dms.length === 0}>
            <p class="sidebar-empty">{t("sidebar.noDms")}</p>
          </Show>
        </section>

        <section class="sidebar-section" aria-labelledby="sidebar-online">
          <div class="sidebar-heading">
            <h2 id="sidebar-online">{t("sidebar.online")}</h2>
            <span class="sidebar-count" aria-label={tn("sidebar.onlineCount", online().length)}>{online().length}</span>
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
                    <span class="sidebar-dm-avatar">
                      <Avatar user={user} small />
                      <span class="presence-dot on-avatar" />
                    </span>
                    <span class="sidebar-item-name">{shownName(user)}</span>
                    <span class="visually-hidden">, {t("sidebar.sendDm")}</span>
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
