// Which dialog is open, whether the sidebar drawer is shown (phone-sized screens), and what the
// conversation views share: the open thread, the message to jump to, the message to quote and a
// request to edit one (arrow-up in an empty composer).
import { createSignal } from "solid-js";

export type DialogName = "browse" | "newRoom" | "newDm" | "switcher" | "members" | "invite" | "editRoom" | "pins" | "notify" | "mentions";

const [dialog, setDialog] = createSignal<DialogName | null>(null);
const [drawerOpen, setDrawerOpen] = createSignal(false);
/** The thread shown beside the room (full screen on a phone). */
const [openThread, setOpenThread] = createSignal<{ roomId: number; rootId: number } | null>(null);
/** Being quoted by the room's composer. */
const [quoting, setQuoting] = createSignal<{ roomId: number; messageId: number } | null>(null);
/** A message to edit now (arrow-up), by id; its row opens its editor and clears this. */
const [editRequest, setEditRequest] = createSignal<number | null>(null);
/** The message last jumped to (permalink, search result, notification, pinned list, quote), marked. */
const [highlighted, setHighlighted] = createSignal<number | null>(null);
/** A message to bring into view (permalink, pinned list, quote); the room's message list does it. */
const [jumpTarget, setJumpTarget] = createSignal<{ roomId: number; messageId: number } | null>(null);

/** Bumped when I have just invited people: a room's "not accepted yet" notice reads its list again. */
const [invitationsSent, setInvitationsSent] = createSignal(0);
export { invitationsSent };
export const noteInvitationsSent = () => setInvitationsSent((n) => n + 1);

/** A reply to bring into view in the open thread's panel (a permalink to a reply shown only there). */
const [threadJump, setThreadJump] = createSignal<number | null>(null);

export {
  dialog,
  drawerOpen,
  setDrawerOpen,
  openThread,
  setOpenThread,
  quoting,
  setQuoting,
  editRequest,
  setEditRequest,
  highlighted,
  jumpTarget,
  setJumpTarget,
  threadJump,
  setThreadJump,
};

export function openDialog(name: DialogName): void {
  setDrawerOpen(false);
  setDialog(name);
}

export function closeDialog(): void {
  setDialog(null);
}

/**
 * Marks the message jumped to; it stays marked until another message is jumped to or its room is
 * left (components/MessageList.tsx), so it can still be found on a busy screen.
 */
export function highlight(messageId: number): void {
  setHighlighted(messageId);
}

export function clearHighlight(): void {
  setHighlighted(null);
}
