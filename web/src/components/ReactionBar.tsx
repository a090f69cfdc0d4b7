// The reactions under a message: one toggle per emoji with its count (pressed when one of them is
// mine), the names of who reacted on hover (title) and on a long press (a small list), and a button
// for another emoji. Names come from the people this tab knows; unknown ones are looked up once.
import { createSignal, For, onCleanup, Show } from "solid-js";
import { t, tn } from "../i18n/index.ts";
import type { Reaction } from "../chat/protocol.ts";
import { chatState } from "../stores/chat.ts";
import { shownName } from "../stores/names.ts";
import { ensureNames, react } from "../stores/conversation-actions.ts";
import { showToast } from "../stores/toast.ts";

/** "alice, bob and 3 others" — me as "you". */
export function reactorNames(reaction: Reaction, me: number | undefined): string {
  const people = chatState().people;
  const names = reaction.userIds.map((id) => (id === me ? t("reactions.you") : people[id] ? shownName(people[id]!) : "…"));
  const others = reaction.count - reaction.userIds.length;
  return others > 0 ? `${names.join(", ")} ${tn("reactions.others", others)}` : names.join(", ");
}

function ReactionToggle(props: { roomId: number; messageId: number; reaction: Reaction; disabled?: boolean }) {
  const [showNames, setShowNames] = createSignal(false);
  let pressTimer: ReturnType<typeof setTimeout> | null = null;
  let longPressed = false;
  const me = () => chatState().me?.id;
  const names = () => reactorNames(props.reaction, me());
  const label = () => t(props.reaction.mine ? "reactions.toggleRemove" : "reactions.toggleAdd", { emoji: props.reaction.emoji, count: props.reaction.count, names: names() });
  const stopPress = () => {
    if (pressTimer) clearTimeout(pressTimer);
    pressTimer = null;
  };
  onCleanup(stopPress);
  const toggle = async () => {
    if (longPressed) {
      longPressed = false;
      return;
    }
    try {
      await react(props.roomId, props.messageId, props.reaction.emoji, !props.reaction.mine);
    } catch (error) {
      showToast((error as Error).message, "error");
    }
  };
  return (
    <span class="reaction-wrap">
      <button
        type="button"
        class="reaction"
        classList={{ mine: props.reaction.mine === true }}
        aria-pressed={props.reaction.mine === true}
        aria-label={label()}
        title={names()}
        disabled={props.disabled}
        onMouseEnter={() => void ensureNames(props.reaction.userIds)}
        onFocus={() => void ensureNames(props.reaction.userIds)}
        onPointerDown={(event) => {
          if (event.pointerType !== "touch") return;
          longPressed = false;
          pressTimer = setTimeout(() => {
            longPressed = true;
            void ensureNames(props.reaction.userIds);
            setShowNames(true);
          }, 500);
        }}
        onPointerUp={stopPress}
        onPointerLeave={stopPress}
        onContextMenu={(event) => {
          // A long press on a phone opens the names, not the browser's menu.
          if (longPressed || pressTimer) event.preventDefault();
        }}
        onClick={() => void toggle()}
        onBlur={() => setShowNames(false)}
      >
        <span class="reaction-emoji" aria-hidden="true">{props.reaction.emoji}</span>
        <span class="reaction-count" aria-hidden="true">{props.reaction.count}</span>
      </button>
      <Show when={showNames()}>
        <span class="reaction-names" role="status">
          {t("reactions.whoReacted", { emoji: props.reaction.emoji })}: {names()}
        </span>
      </Show>
    </span>
  );
}

export function ReactionBar(props: { roomId: number; messageId: number; reactions: Reaction[]; disabled?: boolean; onAdd: () => void }) {
  return (
    <div class="reactions" role="group" aria-label={t("reactions.list")}>
      <For each={props.reactions}>
        {(reaction) => <ReactionToggle roomId={props.roomId} messageId={props.messageId} reaction={reaction} disabled={props.disabled} />}
      </For>
      <button type="button" class="reaction add" aria-label={t("reactions.add")} title={t("reactions.add")} disabled={props.disabled} onClick={() => props.onAdd()}>
        <span aria-hidden="true">+</span>
      </button>
    </div>
  );
}
