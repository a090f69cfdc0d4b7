// The message field the focus falls back to: the thread panel's when `near` is inside it, else the
// room's (#composer). Not "the first textarea in main": a message being edited in the list comes
// before the composer there.
export function composerField(near?: Element | null): HTMLTextAreaElement | null {
  const thread = near?.closest(".thread-panel")?.querySelector<HTMLTextAreaElement>(".thread-composer textarea");
  return thread ?? document.querySelector<HTMLTextAreaElement>("#composer textarea");
}
