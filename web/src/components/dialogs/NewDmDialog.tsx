import { createSignal } from "solid-js";
import { useNavigate } from "@solidjs/router";
import { t } from "../../i18n/index.ts";
import { chatState } from "../../stores/chat.ts";
import { closeDialog } from "../../stores/ui.ts";
import { openDm } from "../../chat/open-dm.ts";
import { MAX_DM_PARTICIPANTS, type UserRef } from "../../chat/protocol.ts";
import { Dialog } from "../Dialog.tsx";
import { PeoplePicker } from "../PeoplePicker.tsx";

export function NewDmDialog() {
  const navigate = useNavigate();
  const [selected, setSelected] = createSignal<UserRef[]>([]);
  const [busy, setBusy] = createSignal(false);
  const exclude = () => new Set([chatState().me?.id ?? 0]);
  const toggle = (user: UserRef) =>
    setSelected((list) =>
      list.some((u) => u.id === user.id) ? list.filter((u) => u.id !== user.id) : list.length < MAX_DM_PARTICIPANTS - 1 ? [...list, user] : list,
    );
  return (
    <Dialog title={t("newDm.title")} onClose={closeDialog}>
      <form
        class="dialog-form"
        onSubmit={async (e) => {
          e.preventDefault();
          if (!selected().length) return;
          setBusy(true);
          const ok = await openDm(selected().map((u) => u.id), navigate);
          setBusy(false);
          if (ok) closeDialog();
        }}
      >
        <div class="dialog-scroll">
          <PeoplePicker autofocus selected={selected()} onToggle={toggle} exclude={exclude()} label={t("newDm.who")} />
        </div>
        <div class="dialog-actions">
          <button type="button" class="button" onClick={closeDialog}>{t("common.cancel")}</button>
          <button type="submit" class="button primary" disabled={busy() || selected().length === 0}>{t("newDm.start")}</button>
        </div>
      </form>
    </Dialog>
  );
}
