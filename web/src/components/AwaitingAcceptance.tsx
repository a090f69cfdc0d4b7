// Someone I have never talked to, brought into a DM or a private room, is only asked
// (src/rooms/consent.ts): they see an invitation card, not the conversation, until they accept.
// Without a word here my messages looked delivered and ignored. Declining is not told to the sender
// (consent.ts: "declining leaves nothing behind"), so "not accepted yet" is all this can truthfully say.
import { createEffect, createMemo, createResource, Show } from "solid-js";
import { api, call } from "../api/http.ts";
import type { Room, UserRef } from "../chat/protocol.ts";
import { locale, t } from "../i18n/index.ts";
import { chatState } from "../stores/chat.ts";
import { loadMembers } from "../stores/chat-actions.ts";
import { shownName } from "../stores/names.ts";
import { invitationsSent } from "../stores/ui.ts";

/** The DM's participants not in it yet: its participants include those asked (room-queries.ts), its member count does not. */
function useDmWaiting(room: () => Room) {
  const someoneAsked = () => room().kind === "dm" && room().participants.length > room().memberCount;
  const members = () => chatState().members[room().id];
  // Which of them, when more than one other person is in the DM: the member list says.
  createEffect(() => {
    if (someoneAsked() && room().memberCount > 1 && !members()) void loadMembers(room().id);
  });
  return createMemo<UserRef[]>(() => {
    if (!someoneAsked()) return [];
    const meId = chatState().me?.id;
    const list = members();
    const others = room().participants.filter((p) => p.id !== meId);
    if (list) return others.filter((p) => !list.some((m) => m.id === p.id));
    return room().memberCount === 1 ? others : [];
  });
}

/** Those I asked into a private room: read again when someone joins or I invite more. */
function useRoomWaiting(room: () => Room) {
  const [asked] = createResource(
    () => (room().kind === "private" ? { id: room().id, members: room().memberCount, sent: invitationsSent() } : null),
    async ({ id }) => (await call(api.rooms({ id }).requests.get())).users,
  );
  return () => (asked.error ? [] : (asked.latest ?? []));
}

export function AwaitingAcceptance(props: { room: Room }) {
  const dm = useDmWaiting(() => props.room);
  const inRoom = useRoomWaiting(() => props.room);
  const waiting = () => (props.room.kind === "dm" ? dm() : inRoom());
  const names = () => new Intl.ListFormat(locale(), { type: "conjunction" }).format(waiting().map(shownName));
  const key = () => `awaiting.${props.room.kind === "dm" ? "dm" : "room"}.${waiting().length === 1 ? "one" : "other"}` as const;
  return (
    <Show when={waiting().length > 0}>
      <p class="awaiting-acceptance" data-testid="awaiting-acceptance">
        {t(key(), { names: names() })}
      </p>
    </Show>
  );
}
