// The names people are shown by, with "@username" where two people this tab knows would read the
// same (chat/name-lookalikes.ts). One memo over everyone the tab has a name for.
import { createMemo, createRoot, type Accessor } from "solid-js";
import { needingHandles } from "../chat/name-lookalikes.ts";
import { displayNameOf, type Named } from "../chat/names.ts";
import { chatState } from "./chat.ts";

// Made on first use: chat.ts imports this module too, so chatState may not exist yet at load.
let memo: Accessor<Set<number>> | null = null;
const ambiguous = () => (memo ??= createRoot(() => createMemo(() => needingHandles(Object.values(chatState().people), displayNameOf))))();

/** True when `user`'s name must be shown with its @username to tell them apart. */
export function needsHandle(user: Named & { id: number }): boolean {
  return !user.deleted && ambiguous().has(user.id);
}

/** The name as text (labels, titles, announcements): "Sam (@sam2)" when it needs telling apart. */
export function shownName(user: Named & { id: number }): string {
  return needsHandle(user) ? `${displayNameOf(user)} (@${user.username})` : displayNameOf(user);
}
