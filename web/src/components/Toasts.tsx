import { For } from "solid-js";
import { toasts } from "../stores/toast.ts";

export function Toasts() {
  return (
    <div class="toast-region" role="status" aria-live="polite">
      <For each={toasts()}>{(toast) => <div class={`toast ${toast.kind}`}>{toast.text}</div>}</For>
    </div>
  );
}
