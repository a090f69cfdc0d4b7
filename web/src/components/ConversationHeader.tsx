import { Show } from "solid-js";
import { t, tn } from "../i18n/index.ts";
import type { Room } from "../chat/protocol.ts";
import { chatState } from "../stores/chat.ts";
import { openDialog, setDrawerOpen } from "../stores/ui.ts";
import { dmPeers } from "../chat/rooms.ts";
import { Icon } from "./Icon.tsx";
import { revealBidiControls } from "../markdown/bidi.ts";
import { openSearch } from "../stores/search.ts";
import { SearchBox } from "./SearchBox.tsx";
import { isMuted } from "../notifications/decide.ts";
import { ActionsMenu, type MenuAction } from "./ActionsMenu.tsx";

export function ConversationHeader(props: { room: Room; title: string }) {
  const peerOnline = () => {
    if (props.room.kind !== "dm") return false;
    const peers = dmPeers(props.room, chatState().me?.id);
    return peers.length === 1 && chatState().online[peers[0]!.id] === true;
  };
  const subtitle = () => {
    if (props.room.topic) return revealBidiControls(props.room.topic);
    if (props.room.kind === "dm") return peerOnline() ? t("chat.online") : t("chat.dm");
    return props.room.kind === "private" ? t("chat.privateRoom") : t("chat.publicRoom");
  };
  const memberCount = () => (props.room.kind === "dm" ? props.room.participants.length : props.room.memberCount);
  const muted = () => isMuted(props.room.notify.mutedUntil);
  // On a phone the buttons below (class header-secondary) give way to this menu, so that the room's
  // name keeps the header's width instead of a row of icons scrolled sideways.
  const phoneActions = (): MenuAction[] => [
    { label: t("search.thisRoom"), icon: "searchRoom", run: () => openSearch({ roomId: props.room.id }) },
    { label: muted() ? t("notify.bellMuted") : t("notify.bell"), icon: muted() ? "bellOff" : "bell", run: () => openDialog("notify") },
    { label: t("pins.open"), icon: "pin", run: () => openDialog("pins") },
    ...(props.room.kind !== "dm" ? [{ label: t("members.invite"), icon: "userPlus" as const, run: () => openDialog("invite") }] : []),
    { label: tn("chat.members", memberCount()), icon: "users", run: () => openDialog("members") },
    ...(props.room.kind !== "dm" ? [{ label: t("room.settings"), icon: "settings" as const, run: () => openDialog("editRoom") }] : []),
  ];
  return (
    <header class="conversation-header">
      <button type="button" class="icon-button menu-button" aria-label={t("sidebar.open")} aria-controls="sidebar" onClick={() => setDrawerOpen(true)}>
        <Icon name="menu" />
      </button>
      <div class="conversation-title">
        <h1>
          <Show when={props.room.kind !== "dm"}>
            <Icon name={props.room.kind === "private" ? "lock" : "hash"} class="icon title-icon" />
          </Show>
          {/* Seen beside the name, heard after the heading: the heading reads as the name alone. */}
          <Show when={peerOnline()}>
            <span class="presence-dot" aria-hidden="true" />
          </Show>
          <span class="conversation-name">{props.title}</span>
        </h1>
        <Show when={peerOnline()}>
          <span class="visually-hidden">{t("chat.online")}</span>
        </Show>
        <p class="conversation-topic" title={subtitle()}>{subtitle()}</p>
      </div>
      <div class="conversation-actions">
        <SearchBox />
        <button
          type="button"
          class="button ghost small header-secondary"
          onClick={() => openSearch({ roomId: props.room.id })}
          aria-label={t("search.thisRoom")}
          title={t("search.thisRoom")}
          data-testid="search-this-room"
        >
          <Icon name="searchRoom" />
        </button>
        <button
          type="button"
          class="button ghost small header-secondary"
          classList={{ "is-muted": muted() }}
          onClick={() => openDialog("notify")}
          aria-label={muted() ? t("notify.bellMuted") : t("notify.bell")}
          title={muted() ? t("notify.bellMuted") : t("notify.bell")}
          data-testid="notify-bell"
        >
          <Icon name={muted() ? "bellOff" : "bell"} />
        </button>
        <button type="button" class="button ghost small header-secondary" onClick={() => openDialog("pins")} aria-label={t("pins.open")} title={t("pins.open")}>
          <Icon name="pin" />
        </button>
        <Show when={props.room.kind !== "dm"}>
          <button type="button" class="button ghost small header-secondary" onClick={() => openDialog("invite")} aria-label={t("members.invite")} title={t("members.invite")}>
            <Icon name="userPlus" />
          </button>
        </Show>
        <button type="button" class="button ghost small members-button header-secondary" onClick={() => openDialog("members")} aria-label={tn("chat.members", memberCount())}>
          <Icon name="users" />
          <span aria-hidden="true">{memberCount()}</span>
        </button>
        <Show when={props.room.kind !== "dm"}>
          <button type="button" class="button ghost small header-secondary" onClick={() => openDialog("editRoom")} aria-label={t("room.settings")} title={t("room.settings")}>
            <Icon name="settings" />
          </button>
        </Show>
        <ActionsMenu label={t("room.moreActions")} actions={phoneActions()} class="header-more" />
      </div>
    </header>
  );
}
