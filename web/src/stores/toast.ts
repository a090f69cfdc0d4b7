// Short notices at the bottom of the screen (copied, failed to open a DM, …), read out politely.
import { createSignal } from "solid-js";

export interface Toast {
  id: number;
  text: string;
  kind: "info" | "error";
}

const [toasts, setToasts] = createSignal<Toast[]>([]);
export { toasts };
let nextId = 0;

export function showToast(text: string, kind: Toast["kind"] = "info"): void {
  const id = ++nextId;
  setToasts((list) => [...list.slice(-2), { id, text, kind }]);
  setTimeout(() => setToasts((list) => list.filter((toast) => toast.id !== id)), 4000);
}
