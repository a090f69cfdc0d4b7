import { createSignal, onMount, Show } from "solid-js";
import { t, tn } from "../../i18n/index.ts";
import { errorText } from "../../i18n/errors.ts";
import { api, call } from "../../api/http.ts";
import { chatState } from "../../stores/chat.ts";
import { loadMembers } from "../../stores/chat-actions.ts";
import { closeDialog } from "../../stores/ui.ts";
import { showToast } from "../../stores/toast.ts";
import type { Room, UserRef } from "../../chat/protocol.ts";
import { Dialog } from "../Dialog.tsx";
import { PeoplePicker } from "../PeoplePicker.tsx";

/** Adds people to a room: any member in a public room, the owner or an admin in a private one. */
export function InviteDialog(props: { room: Room }) {
  const [selected, setSelected] = createSignal<UserRef[]>([]);
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  onMount(() => void loadMembers(props.room.id));
  const exclude = () => new Set([chatState().me?.id ?? 0, ...(chatState().members[props.room.id] ?? []).map((m) => m.id)]);
  const toggle = (user: UserRef) =>
    setSelected((list) => (list.some((u) => u.id === user.id) ? list.filter((u) => u.id !== user.id) : [...list, user]));

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    // Read the room before awaiting: once the dialog closes its props are gone.
    const { id: roomId, name } = props.room;
    setBusy(true);
    setError(null);
    let added = 0;
    // People who have never talked to me get a request to accept instead (issue 21 §4).
    let asked = 0;
    try {
      for (const user of selected()) {
        const reply = await call(api.rooms({ id: roomId }).members.post({ userId: user.id }));
        if ("requested" in reply) asked++;
        added++;
      }
      if (added > asked) showToast(tn("invite.added", added - asked, { room: name }));
      if (asked > 0) showToast(tn("invite.requested", asked, { room: name }));
      void loadMembers(roomId);
      closeDialog();
    } catch (err) {
      setError(errorText(err));
      setSelected((list) => list.slice(added));
      setBusy(false);
      void loadMembers(roomId);
    }
  };

  return (
    <Dialog title={t("invite.title", { room: props.room.name })} onClose={closeDialog}>
      <form class="dialog-form" onSubmit={submit}>
        <div class="dialog-scroll">
          <Show when={error()}>
            <p class="form-error" role="alert">{error()}</p>
          </Show>
          <PeoplePicker autofocus selected={selected()} onToggle={toggle} exclude={exclude()} label={t("invite.who")} />
        </div>
        <div class="dialog-actions">
          <button type="button" class="button" onClick={closeDialog}>{t("common.cancel")}</button>
          <button type="submit" class="button primary" disabled={busy() || selected().length === 0}>{t("invite.submit")}</button>
        </div>
      </form>
    </Dialog>
  );
}
