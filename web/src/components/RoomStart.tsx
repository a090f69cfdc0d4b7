// The top of a conversation's history: what this room or DM is, who can see it, and (in an empty
// room) the first thing to do, so an empty conversation never looks unfinished.
import { Show } from "solid-js";
import { formatDate, t } from "../i18n/index.ts";
import type { Room } from "../chat/protocol.ts";
import { dmPeers, roomRef } from "../chat/rooms.ts";
import { chatState } from "../stores/chat.ts";
import { shownName } from "../stores/names.ts";
import { openDialog } from "../stores/ui.ts";
import { Avatar } from "./Avatar.tsx";
import { Icon } from "./Icon.tsx";
import { revealBidiControls } from "../markdown/bidi.ts";

export function RoomStart(props: { room: Room; title: string; empty: boolean }) {
  const meId = () => chatState().me?.id;
  const peers = () => dmPeers(props.room, meId());
  // The server's rule: anyone in a public room may add people; in a private one, its owner or an admin.
  const mayInvite = () => props.room.kind === "public" || props.room.role === "owner" || chatState().me?.isAdmin === true;
  const creator = () => {
    const id = props.room.createdBy;
    if (id === null) return null;
    if (id === meId()) return t("chat.startCreatedByMe", { date: formatDate(props.room.createdAt) });
    const person = chatState().people[id];
    return person ? t("chat.startCreatedBy", { name: shownName(person), date: formatDate(props.room.createdAt) }) : null;
  };
  const who = () => {
    if (props.room.kind === "dm") {
      const others = peers().filter((p) => p.id !== meId());
      if (others.length === 0) return t("chat.startSelf");
      return others.length === 1 ? t("chat.startDmPrivate") : t("chat.startGroupPrivate");
    }
    return props.room.kind === "private" ? t("chat.startPrivate") : t("chat.startPublic");
  };
  return (
    <div class="room-start" data-testid="room-start">
      <Show
        when={props.room.kind === "dm"}
        fallback={
          <span class="room-start-icon">
            <Icon name={props.room.kind === "private" ? "lock" : "hash"} />
          </span>
        }
      >
        <Show when={peers()[0]}>{(peer) => <Avatar user={peer()} />}</Show>
      </Show>
      <h2>{props.room.kind === "dm" ? t("chat.startDm", { name: props.title }) : t("chat.startTitle", { room: roomRef(props.room) })}</h2>
      <Show when={props.room.kind !== "dm" && props.room.topic}>
        <p class="room-start-topic">{revealBidiControls(props.room.topic)}</p>
      </Show>
      <p class="muted">
        {who()}
        <Show when={props.room.kind !== "dm" && creator()}>{(line) => <> {line()}</>}</Show>
      </p>
      <Show when={props.empty}>
        <p class="muted">{props.room.kind === "dm" ? t("chat.startEmptyDm") : t("chat.startEmptyRoom")}</p>
        <Show when={props.room.kind !== "dm" && props.room.archivedAt === null && mayInvite()}>
          <div class="row">
            <button type="button" class="button small" onClick={() => openDialog("invite")}>
              <Icon name="userPlus" />
              {t("members.invite")}
            </button>
          </div>
        </Show>
      </Show>
    </div>
  );
}
