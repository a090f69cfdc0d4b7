// When the element that had the keyboard's focus is removed from the page — a "Mute for 1 hour"
// button replaced by "Unmute", a form swapped for its next step, a list redrawn — the browser drops
// the focus to <body>, and a keyboard or screen-reader user starts again from the top of the page.
// This puts it back where it was: on the element that took its place (the same data-focus-id), else
// in the nearest part of the page that is still there, on its first control (or on that part
// itself). When the page it was on is gone — the router's top element (a child of #root) replaced,
// even with a loading screen between the two pages — or only the page around its main region is
// left, the page itself changed (a link followed): the new page decides.
// A part that manages its own focus (the message list's roving tab stop) is marked
// data-focus-managed and left alone; a closing dialog has already given the focus back (Dialog.tsx).
const MANAGED = "[data-focus-managed]";
const FOCUSABLE =
  "a[href], button:not(:disabled), input:not(:disabled):not([type=hidden]), textarea:not(:disabled), select:not(:disabled), [tabindex]:not([tabindex='-1'])";

export function startFocusRescue(): void {
  /** The focused element and its ancestors when it got the focus (once removed, they cannot be asked). */
  let last: { element: Element; ancestors: HTMLElement[]; page: HTMLElement | null } | null = null;

  document.addEventListener("focusin", (event) => {
    const element = event.target;
    if (!(element instanceof HTMLElement) || element.closest(MANAGED)) {
      last = null;
      return;
    }
    const ancestors: HTMLElement[] = [];
    for (let el = element.parentElement; el && el !== document.body; el = el.parentElement) ancestors.push(el);
    // The page it belongs to: the top element of what the router drew (a child of #root).
    const page = ancestors.find((el) => el.parentElement?.id === "root") ?? null;
    last = { element, ancestors, page };
  });

  // Cheap per change: one isConnected check until the focused element is really gone.
  new MutationObserver(() => {
    if (!last || last.element.isConnected) return;
    const lost = last;
    last = null;
    if (document.activeElement !== null && document.activeElement !== document.body) return;
    const key = lost.element.getAttribute("data-focus-id");
    const replacement = key ? document.querySelector<HTMLElement>(`[data-focus-id="${CSS.escape(key)}"]`) : null;
    // The nearest part still there; if that is the page's main region or around it, the page's
    // content changed (another route): the new page decides.
    const part = lost.ancestors.find((el) => el.isConnected);
    // Its page itself gone (a route change, perhaps with a loading screen between the two pages):
    // the new page decides, whenever it arrives.
    const pageChanged = !part || (lost.page !== null && !lost.page.isConnected) || part.tagName === "MAIN" || part.querySelector("main") !== null;
    const target = replacement ?? (pageChanged ? null : (part.querySelector<HTMLElement>(FOCUSABLE) ?? part));
    if (!target) return;
    if (!target.matches(FOCUSABLE) && !target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
    target.focus({ preventScroll: true });
  }).observe(document.body, { childList: true, subtree: true });
}
