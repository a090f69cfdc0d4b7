// When the element that had the keyboard's focus is removed from the page — a "Mute for 1 hour"
// button replaced by "Unmute", a form swapped for its next step, a list redrawn — the browser drops
// the focus to <body>, and a keyboard or screen-reader user starts again from the top of the page.
// This puts it back where it was: in the nearest part of the page that is still there, on its first
// control (or on that part itself), else on the conversation's composer or the page's heading.
// A part that manages its own focus (the message list's roving tab stop) is marked
// data-focus-managed and left alone; a closing dialog has already given the focus back (Dialog.tsx).
import { composerField } from "./composer-field.ts";

const MANAGED = "[data-focus-managed]";
const FOCUSABLE =
  "a[href], button:not(:disabled), input:not(:disabled):not([type=hidden]), textarea:not(:disabled), select:not(:disabled), [tabindex]:not([tabindex='-1'])";

export function startFocusRescue(): void {
  /** The focused element and its ancestors when it got the focus (once removed, they cannot be asked). */
  let last: { element: Element; ancestors: HTMLElement[] } | null = null;

  document.addEventListener("focusin", (event) => {
    const element = event.target;
    if (!(element instanceof HTMLElement) || element.closest(MANAGED)) {
      last = null;
      return;
    }
    const ancestors: HTMLElement[] = [];
    for (let el = element.parentElement; el && el !== document.body; el = el.parentElement) ancestors.push(el);
    last = { element, ancestors };
  });

  // Cheap per change: one isConnected check until the focused element is really gone.
  new MutationObserver(() => {
    if (!last || last.element.isConnected) return;
    const lost = last;
    last = null;
    if (document.activeElement !== null && document.activeElement !== document.body) return;
    const part = lost.ancestors.find((el) => el.isConnected && el.id !== "root");
    const target = part ? (part.querySelector<HTMLElement>(FOCUSABLE) ?? part) : (composerField() ?? document.querySelector<HTMLElement>("main h1"));
    if (!target) return;
    if (!target.matches(FOCUSABLE) && !target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
    target.focus({ preventScroll: true });
  }).observe(document.body, { childList: true, subtree: true });
}
