import { createSignal } from "solid-js";
import { t } from "../i18n/index.ts";
import { Dialog } from "./Dialog.tsx";

/** "Are you sure?" with the safe choice focused first. */
export function ConfirmDialog(props: {
  title: string;
  text: string;
  confirm: string;
  danger?: boolean;
  onConfirm: () => void | Promise<void>;
  onCancel: () => void;
}) {
  const [busy, setBusy] = createSignal(false);
  let cancel: HTMLButtonElement | undefined;
  return (
    <Dialog title={props.title} onClose={props.onCancel} initialFocus={() => cancel}>
      <p>{props.text}</p>
      <div class="dialog-actions">
        <button type="button" class="button" ref={cancel} onClick={props.onCancel}>{t("common.cancel")}</button>
        <button
          type="button"
          class={props.danger ? "button danger solid" : "button primary"}
          disabled={busy()}
          onClick={async () => {
            setBusy(true);
            try {
              await props.onConfirm();
            } finally {
              setBusy(false);
            }
          }}
        >
          {props.confirm}
        </button>
      </div>
    </Dialog>
  );
}
