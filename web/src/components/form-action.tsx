// The busy flag and error line every form shares: one submission at a time, the last error shown
// above the fields until the next try.
import { createSignal, Show, type Accessor } from "solid-js";
import { errorText } from "../i18n/errors.ts";

export interface FormAction {
  busy: Accessor<boolean>;
  error: Accessor<string | null>;
  setError(text: string | null): void;
  /** Runs `work` unless a run is under way; a thrown error becomes the shown error (via `describe`). */
  run(work: () => Promise<void>, describe?: (err: unknown) => string): Promise<void>;
}

export function createFormAction(): FormAction {
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const run = async (work: () => Promise<void>, describe: (err: unknown) => string = errorText) => {
    if (busy()) return;
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (err) {
      setError(describe(err));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, setError, run };
}

/** The form's error line, announced to screen readers when it appears. */
export function FormError(props: { error: string | null | undefined }) {
  return (
    <Show when={props.error}>
      <p class="form-error" role="alert">{props.error}</p>
    </Show>
  );
}
