// A modal built on the native <dialog>: the browser traps focus, makes the page behind inert and
// closes it on Esc (the "cancel" event), which we turn into onClose so state stays the source of truth.
import { ErrorBoundary, onCleanup, onMount, type JSX } from "solid-js";
import { errorText } from "../i18n/errors.ts";
import { t } from "../i18n/index.ts";
import { Icon } from "./Icon.tsx";
import { composerField } from "./composer-field.ts";

let nextId = 0;

/**
 * Focus back to `opener`; when what the dialog did removed it (a deleted message, a table row drawn
 * again), to the element that took its place (the same `data-focus-id`), else to the conversation's
 * composer or the page's heading — never to <body>, where a keyboard user would start over. An
 * opener redrawn a moment later (the list reloads after the action) is focus-rescue.ts's case: it
 * follows any focused element to its replacement.
 */
export function returnFocus(opener: HTMLElement | null): void {
  if (opener?.isConnected) return opener.focus();
  const key = opener?.getAttribute("data-focus-id");
  const replacement = key ? document.querySelector<HTMLElement>(`[data-focus-id="${CSS.escape(key)}"]`) : null;
  if (replacement) return replacement.focus();
  const composer = composerField();
  if (composer) return composer.focus();
  const heading = document.querySelector<HTMLElement>("main h1");
  if (heading) {
    if (!heading.hasAttribute("tabindex")) heading.setAttribute("tabindex", "-1");
    heading.focus();
  }
}

// Not a field kept for the password manager (hidden, read-only, out of the tab order).
const USABLE = ":not(:disabled):not([readonly]):not([tabindex='-1'])";
const FIELD = `input:not([type=hidden])${USABLE}, textarea${USABLE}, select${USABLE}`;

/** The dialog's first field outside its header (for a radio group, the chosen option), if any. */
function firstField(dialog: HTMLDialogElement): HTMLElement | undefined {
  const field = [...dialog.querySelectorAll<HTMLInputElement>(FIELD)].find((element) => !element.closest(".dialog-header"));
  if (field?.type === "radio" && field.name) {
    return dialog.querySelector<HTMLInputElement>(`input[type=radio][name="${CSS.escape(field.name)}"]:checked`) ?? field;
  }
  return field;
}

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
    // The browser's own pick is the first focusable element, our header's Close button: a password
    // typed into a "Confirm it is you" dialog went nowhere and Enter closed it. A form's first field
    // is where the keyboard belongs, unless the dialog names its own element or marks one autofocus.
    const chosen = props.initialFocus?.() ?? (dialog.querySelector("[autofocus]") ? undefined : firstField(dialog));
    chosen?.focus();
  });
  onCleanup(() => {
    if (dialog.open) dialog.close();
    // Give focus back to what opened the dialog, as a keyboard user expects.
    returnFocus(previouslyFocused);
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
