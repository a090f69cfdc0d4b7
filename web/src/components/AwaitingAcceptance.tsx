// A first DM to someone I have never talked to is only a request for them (src/rooms/consent.ts):
// they see an invitation card, not the conversation, until they accept. Without a word here my
// messages looked delivered and ignored. Declining is not told to the sender (consent.ts: "declining
// leaves nothing behind"), so "not accepted yet" is all this can truthfully say.
import { createEffect, createMemo, Show } from "solid-js";
import type { Room } from "../chat/protocol.ts";
import { locale, t } from "../i18n/index.ts";
import { chatState } from "../stores/chat.ts";
import { loadMembers } from "../stores/chat-actions.ts";
import { shownName } from "../stores/names.ts";

export function AwaitingAcceptance(props: { room: Room }) {
  // A DM's participants include those asked (room-queries.ts); its member count does not.
  const someoneAsked = () => props.room.kind === "dm" && props.room.participants.length > props.room.memberCount;
  const members = () => chatState().members[props.room.id];
  // Which of them, when more than one other person is in the DM: the member list says.
  createEffect(() => {
    if (someoneAsked() && props.room.memberCount > 1 && !members()) void loadMembers(props.room.id);
  });
  const waiting = createMemo(() => {
    if (!someoneAsked()) return [];
    const meId = chatState().me?.id;
    const list = members();
    const others = props.room.participants.filter((p) => p.id !== meId);
    if (list) return others.filter((p) => !list.some((m) => m.id === p.id));
    return props.room.memberCount === 1 ? others : [];
  });
  const names = () => new Intl.ListFormat(locale(), { type: "conjunction" }).format(waiting().map(shownName));
  return (
    <Show when={waiting().length > 0}>
      <p class="awaiting-acceptance" data-testid="awaiting-acceptance">
        {t(waiting().length === 1 ? "awaiting.one" : "awaiting.other", { names: names() })}
      </p>
    </Show>
  );
}
