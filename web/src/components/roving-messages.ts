// The message list as one tab stop (issue 19 item 14), as in Slack and Element: Tab reaches the
// list, the arrow keys move between messages (Home and End to the first and last loaded), and Tab
// from a message goes through that message's own actions before leaving the list. The buttons and
// links of every other message are kept out of the tab order (tabindex -1), so the composer is a few
// Tab presses from the top of the page however long the conversation is. Esc inside a message's
// actions comes back to the message.
//
// A roving tabindex: the one stop is the list itself until a message has been focused, then that
// message (the list leaves the order), so Shift+Tab from a message leaves the list instead of
// stopping on its frame, and Tab back in returns to the message one was on. Once the focus is
// elsewhere, that message's own actions leave the tab order too.

import { composerField } from "./composer-field.ts";

const MESSAGE = "article.message";
const FOCUSABLE = "a[href], button, input, textarea, select, [tabindex]";
/** Set on the elements this module took out of the tab order, so only those are ever given back. */
const TAKEN = "data-roving";

export function rovingMessages(scroller: HTMLElement, content: HTMLElement): () => void {
  let active: HTMLElement | null = null;
  /** Whether the focus is in the list: only then are the active message's actions tabbable. */
  let within = false;

  /** The list's one tab stop: `message`, or the list itself when there is none. */
  const setStop = (message: HTMLElement | null) => {
    if (active && active !== message && active.isConnected) active.tabIndex = -1;
    active = message;
    if (message) message.tabIndex = 0;
    scroller.tabIndex = message ? -1 : 0;
  };

  const messages = () => [...content.querySelectorAll<HTMLElement>(MESSAGE)];

  /** A focusable in a message other than the active one leaves the tab order; the active one's come back. */
  const tameOne = (element: HTMLElement) => {
    // A dialog opened from a message (the image viewer, a confirmation) is its own world.
    if (element.closest("dialog")) return;
    const taken = element.getAttribute(TAKEN);
    if (within && active !== null && active.contains(element)) {
      if (taken === null) return;
      // Given back as it was: no tabindex, or its own.
      if (taken === "") element.removeAttribute("tabindex");
      else element.setAttribute("tabindex", taken);
      element.removeAttribute(TAKEN);
    } else if (taken === null && element.getAttribute("tabindex") !== "-1") {
      element.setAttribute(TAKEN, element.getAttribute("tabindex") ?? "");
      element.setAttribute("tabindex", "-1");
    }
  };

  /**
   * Tames what is inside `root` (and `root` itself): the whole list at first, then only what changed —
   * the messages focus left and entered, the nodes just added — so a long list costs nothing per change.
   */
  const tame = (root: Element) => {
    // A message's own tabindex is the roving stop's (setStop), never taken here.
    if (root instanceof HTMLElement && root.matches(FOCUSABLE) && !root.matches(MESSAGE) && root.closest(MESSAGE) !== null) tameOne(root);
    for (const element of root.querySelectorAll<HTMLElement>(`${MESSAGE} :is(${FOCUSABLE})`)) tameOne(element);
  };

  const focusMessage = (message: HTMLElement | undefined) => {
    if (!message) return;
    message.focus({ preventScroll: true });
    message.scrollIntoView({ block: "nearest" });
  };

  const onFocusIn = (event: FocusEvent) => {
    const entering = !within;
    within = true;
    const message = (event.target as Element).closest<HTMLElement>(MESSAGE);
    if (!message || message === active) {
      if (entering && active?.isConnected) tame(active);
      return;
    }
    const left = active;
    setStop(message);
    if (left?.isConnected) tame(left);
    tame(message);
  };

  // A focused button re-rendered away (a reaction re-renders its message) would drop focus to the
  // page: it goes back to that message, found again by its id, so the keyboard user stays where they
  // were; if the message is gone, to the composer.
  // Focus lost because what held it was removed or moved by a redraw (a reaction re-renders its
  // message; the quick reactions re-order after one was used, and a moved button loses the focus
  // too): noted on the focusout, which Chromium sends before the node goes, and set right by the
  // change's mutation record. A focusout not followed by a change in the list (a click elsewhere)
  // is forgotten at the next turn.
  let loss: { element: Element; id: string; label: string | null } | null = null;
  const onFocusOut = (event: FocusEvent) => {
    const to = event.relatedTarget;
    if (to instanceof Node && !scroller.contains(to)) {
      within = false;
      if (active?.isConnected) tame(active);
    }
    const left = event.target as Element;
    const id = left.closest<HTMLElement>(MESSAGE)?.dataset.messageId;
    if (to !== null || left.closest("dialog") || id === undefined) return;
    const noted = { element: left, id, label: left.getAttribute("aria-label") };
    loss = noted;
    setTimeout(() => {
      if (loss === noted) loss = null;
    });
  };

  /** After a change in the list: focus lost with what held it goes back to the same place. */
  const recover = () => {
    const lost = loss;
    loss = null;
    if (!lost || (document.activeElement !== null && document.activeElement !== document.body)) return;
    if (lost.element.isConnected && lost.element instanceof HTMLElement) return lost.element.focus({ preventScroll: true });
    const again = content.querySelector<HTMLElement>(`${MESSAGE}[data-message-id="${CSS.escape(lost.id)}"]`);
    // The same control where it is now, else its message.
    const same = lost.label !== null ? again?.querySelector<HTMLElement>(`button[aria-label="${CSS.escape(lost.label)}"]`) : null;
    if (same) return same.focus({ preventScroll: true });
    if (again) return again.focus({ preventScroll: true });
    // The message itself is gone (deleted from its toolbar with the mouse): this conversation's
    // composer, rather than the page.
    composerField(scroller)?.focus({ preventScroll: true });
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey || event.isComposing) return;
    const target = event.target as HTMLElement;
    if (target.closest("dialog")) return;
    const message = target.closest<HTMLElement>(MESSAGE);
    if (message && target !== message) {
      // Inside a message (its actions, its editor): only Esc is ours, and only from a button or link.
      if (event.key === "Escape" && target.matches("a, button")) {
        event.preventDefault();
        focusMessage(message);
      }
      return;
    }
    if (target !== scroller && target !== message) return;
    const list = messages();
    if (list.length === 0) return;
    const index = message ? list.indexOf(message) : -1;
    let next: HTMLElement | undefined;
    if (event.key === "ArrowUp") next = index === -1 ? list.at(-1) : list[Math.max(0, index - 1)];
    else if (event.key === "ArrowDown") next = index === -1 ? undefined : list[Math.min(list.length - 1, index + 1)];
    else if (event.key === "Home") next = list[0];
    else if (event.key === "End") next = list.at(-1);
    if (!next) return;
    event.preventDefault();
    focusMessage(next);
  };

  // New messages (and re-rendered ones) arrive with their buttons tabbable: tame them as they come.
  const added = new Set<Element>();
  const observer = new MutationObserver((records) => {
    recover();
    const first = added.size === 0;
    for (const record of records) for (const node of record.addedNodes) if (node instanceof Element) added.add(node);
    if (!first || added.size === 0) return;
    queueMicrotask(() => {
      // The message that was the tab stop is gone (deleted, or re-rendered as a new node): the list
      // is the stop again until a message is focused.
      if (active && !active.isConnected) setStop(null);
      for (const node of added) if (node.isConnected) tame(node);
      added.clear();
    });
  });
  observer.observe(content, { childList: true, subtree: true });
  scroller.addEventListener("focusin", onFocusIn);
  scroller.addEventListener("focusout", onFocusOut);
  scroller.addEventListener("keydown", onKeyDown);
  tame(content);
  return () => {
    observer.disconnect();
    scroller.removeEventListener("focusin", onFocusIn);
    scroller.removeEventListener("focusout", onFocusOut);
    scroller.removeEventListener("keydown", onKeyDown);
  };
}
