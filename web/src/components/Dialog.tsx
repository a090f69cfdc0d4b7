// A modal built on the native <dialog>: the browser traps focus, makes the page behind inert and
// closes it on Esc (the "cancel" event), which we turn into onClose so state stays the source of truth.
import { ErrorBoundary, onCleanup, onMount, type JSX } from "solid-js";
import { errorText } from "../i18n/errors.ts";
import { t } from "../i18n/index.ts";
import { Icon } from "./Icon.tsx";

let nextId = 0;

export function Dialog(props: {
  title: string;
  onClose: () => void;
  children: JSX.Element;
  /** Extra class on the <dialog>, e.g. "wide". */
  class?: string;
  /** Optional element to focus first; by default the browser picks the first focusable one. */
  initialFocus?: () => HTMLElement | undefined;
}) {
  let dialog!: HTMLDialogElement;
  const titleId = `dialog-title-${++nextId}`;
  const previouslyFocused = document.activeElement as HTMLElement | null;

  onMount(() => {
    dialog.showModal();
    props.initialFocus?.()?.focus();
  });
  onCleanup(() => {
    if (dialog.open) dialog.close();
    // Give focus back to what opened the dialog, as a keyboard user expects.
    if (previouslyFocused?.isConnected) previouslyFocused.focus();
  });

  return (
    <dialog
      ref={dialog}
      class={`dialog${props.class ? " " + props.class : ""}`}
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        props.onClose();
      }}
      onClick={(event) => {
        // A click on the backdrop lands on the <dialog> element itself.
        if (event.target === dialog) props.onClose();
      }}
    >
      <div class="dialog-body">
        <div class="dialog-header">
          <h2 id={titleId}>{props.title}</h2>
          <button type="button" class="icon-button" aria-label={t("common.close")} onClick={() => props.onClose()}>
            <Icon name="close" />
          </button>
        </div>
        {/* A dialog whose data could not load (offline, a refusal) says so in place, and the rest of the app stays. */}
        <ErrorBoundary fallback={(error) => <p class="form-error" role="alert">{errorText(error)}</p>}>{props.children}</ErrorBoundary>
      </div>
    </dialog>
  );
}
