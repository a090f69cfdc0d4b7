import { createSignal, onMount, Show } from "solid-js";
import { formatDateTime, t, tn } from "../../i18n/index.ts";
import { errorText } from "../../i18n/errors.ts";
import { api, call } from "../../api/http.ts";
import { chatState } from "../../stores/chat.ts";
import { loadMembers } from "../../stores/chat-actions.ts";
import { closeDialog, noteInvitationsSent } from "../../stores/ui.ts";
import { showToast } from "../../stores/toast.ts";
import type { Room, UserRef } from "../../chat/protocol.ts";
import { CopyButton } from "../CopyButton.tsx";
import { Dialog } from "../Dialog.tsx";
import { PeoplePicker } from "../PeoplePicker.tsx";
import { roomRef } from "../../chat/rooms.ts";

/**
 * "Invite someone who has no account yet": a one-person link, valid three days, whose new account
 * joins this room (POST /api/rooms/:id/invites). The server says when this person may not make one
 * (an invite-only server: admins only; a closed one: nobody), and that is shown as the answer.
 */
function LinkForNewcomer(props: { roomId: number; onMade: () => void }) {
  const [link, setLink] = createSignal<{ url: string; expiresAt: number; maxUses: number } | null>(null);
  const [error, setError] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  const make = async () => {
    setBusy(true);
    setError(null);
    try {
      const created = await call(api.rooms({ id: props.roomId }).invites.post({}));
      setLink({ url: location.origin + created.link, expiresAt: created.invite.expiresAt, maxUses: created.invite.maxUses });
      props.onMade();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="invite-newcomer" aria-labelledby="invite-newcomer-title">
      <h3 id="invite-newcomer-title" class="subheading">{t("invite.newcomerTitle")}</h3>
      <Show
        when={link()}
        fallback={
          <>
            <p class="muted small-text">{t("invite.newcomerHint")}</p>
            <Show when={error()}>
              <p class="form-error" role="alert">{error()}</p>
            </Show>
            <button type="button" class="button" disabled={busy()} onClick={() => void make()}>{t("invite.newcomerMake")}</button>
          </>
        }
      >
        {(made) => (
          <div class="field">
            <label class="label" for="invite-newcomer-link">{t("invite.newcomerLink")}</label>
            <input id="invite-newcomer-link" class="input" readOnly value={made().url} data-testid="room-invite-link" onFocus={(e) => e.currentTarget.select()} />
            <span class="muted small-text">{tn("invite.newcomerLimits", made().maxUses, { date: formatDateTime(made().expiresAt) })}</span>
            <CopyButton value={made().url} label={t("invite.newcomerCopy")} focus />
          </div>
        )}
      </Show>
    </section>
  );
}

/** Adds people to a room: any member in a public room, the owner or an admin in a private one. */
export function InviteDialog(props: { room: Room }) {
  const [selected, setSelected] = createSignal<UserRef[]>([]);
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  // Once a link is made (and nobody picked), leaving is "Done": "Cancel" read as taking the link back.
  const [madeLink, setMadeLink] = createSignal(false);
  onMount(() => void loadMembers(props.room.id));
  const exclude = () => new Set([chatState().me?.id ?? 0, ...(chatState().members[props.room.id] ?? []).map((m) => m.id)]);
  const toggle = (user: UserRef) =>
    setSelected((list) => (list.some((u) => u.id === user.id) ? list.filter((u) => u.id !== user.id) : [...list, user]));

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    // Read the room before awaiting: once the dialog closes its props are gone.
    const { id: roomId } = props.room;
    const name = roomRef(props.room);
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
      if (asked > 0) {
        showToast(tn("invite.requested", asked, { room: name }));
        noteInvitationsSent();
      }
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
    <Dialog title={t("invite.title", { room: roomRef(props.room) })} onClose={closeDialog}>
      <form class="dialog-form" onSubmit={submit}>
        <div class="dialog-scroll">
          <Show when={error()}>
            <p class="form-error" role="alert">{error()}</p>
          </Show>
          <PeoplePicker autofocus selected={selected()} onToggle={toggle} exclude={exclude()} label={t("invite.who")} />
          <Show when={props.room.kind !== "dm"}>
            <LinkForNewcomer roomId={props.room.id} onMade={() => setMadeLink(true)} />
          </Show>
        </div>
        <div class="dialog-actions">
          <button type="button" class="button" onClick={closeDialog}>{madeLink() && selected().length === 0 ? t("common.done") : t("common.cancel")}</button>
          <button type="submit" class="button primary" disabled={busy() || selected().length === 0}>{t("invite.submit")}</button>
        </div>
      </form>
    </Dialog>
  );
}
