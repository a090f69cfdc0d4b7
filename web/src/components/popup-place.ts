// Where a popup (a menu, the emoji picker) fits: it opens below its anchor unless the space below,
// inside the nearest scrolling ancestor (the message list) or the window, is too short and the space
// above is larger; and it moves sideways to stay inside the window (a 375 px phone).

const MARGIN = 8;

/** The area a popup may use: its nearest scrolling ancestor's box, else the window. */
export function scrollArea(from: HTMLElement): { top: number; bottom: number } {
  for (let el = from.parentElement; el; el = el.parentElement) {
    const overflow = getComputedStyle(el).overflowY;
    if (overflow === "auto" || overflow === "scroll") {
      const box = el.getBoundingClientRect();
      return { top: Math.max(box.top, 0), bottom: Math.min(box.bottom, window.innerHeight) };
    }
  }
  return { top: 0, bottom: window.innerHeight };
}

/** Whether `popup`, laid out below `anchor`, should open above it instead. */
export function opensUp(popup: HTMLElement, anchor: HTMLElement): boolean {
  const area = scrollArea(anchor);
  const box = anchor.getBoundingClientRect();
  return popup.getBoundingClientRect().bottom > area.bottom && box.top - area.top > area.bottom - box.bottom;
}

/** The sideways shift (px) that keeps `popup` inside the window, 0 when it already is. */
export function sidewaysShift(popup: HTMLElement): number {
  const box = popup.getBoundingClientRect();
  if (box.right > window.innerWidth - MARGIN) return Math.max(window.innerWidth - MARGIN - box.right, MARGIN - box.left);
  if (box.left < MARGIN) return MARGIN - box.left;
  return 0;
}
