// The first field of a page whose whole purpose is a form (log in, register) takes the focus once it
// is drawn, as people expect of a sign-in page, unless something already has it (a banner's link,
// a field the person already clicked).
export function focusWhenIdle(element: HTMLElement): void {
  queueMicrotask(() => {
    if (element.isConnected && (document.activeElement === null || document.activeElement === document.body)) element.focus();
  });
}
