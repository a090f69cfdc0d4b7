import { createSignal, For, Show } from "solid-js";
import { displayNameOf, nameWithUsername } from "../chat/names.ts";
import { PersonName } from "../components/PersonName.tsx";
import { api, call } from "../api/http.ts";
import { formatDateTime, t } from "../i18n/index.ts";
import { errorText } from "../i18n/errors.ts";
import { me } from "../stores/session.ts";
import { showToast } from "../stores/toast.ts";
import { CopyButton } from "../components/CopyButton.tsx";
import { ConfirmDialog } from "../components/ConfirmDialog.tsx";
import { Dialog } from "../components/Dialog.tsx";
import type { AdminUser } from "../api/types.ts";

type Action = "disable" | "enable" | "promote" | "demote" | "reset" | "resetFactors";
type Pending = { user: AdminUser; action: Action };

/** A row's button says whom it acts on: a screen reader moving through the buttons heard only "Disable". */
const labelFor = (action: Action, user: AdminUser) => t(`users.label.${action}`, { name: nameWithUsername(user) });
/** "Reset Alice's password?": a possessive reads badly with "(@alice)" inside it, which the text below gives. */
const POSSESSIVE: readonly Action[] = ["demote", "reset", "resetFactors"];

export function UsersSection(props: { users: AdminUser[]; error: unknown; onChanged: () => void }) {
  const [pending, setPending] = createSignal<Pending | null>(null);
  const [reset, setReset] = createSignal<{ username: string; link: string } | null>(null);

  const run = async ({ user, action }: Pending) => {
    try {
      if (action === "reset") {
        const reply = await call(api.admin.users({ id: user.id })["reset-password"].post());
        // The token rides in the fragment: it never reaches a server log when the link is opened.
        setReset({ username: nameWithUsername(user), link: location.origin + reply.link });
      } else if (action === "resetFactors") {
        await call(api.admin.users({ id: user.id })["reset-second-factors"].post());
        showToast(t("users.factorsReset", { name: nameWithUsername(user) }));
      } else {
        await call(api.admin.users({ id: user.id }).patch(action === "disable" || action === "enable" ? { disabled: action === "disable" } : { isAdmin: action === "promote" }));
        showToast(t("users.saved"));
      }
    } catch (error) {
      showToast(errorText(error), "error");
    } finally {
      setPending(null);
      props.onChanged();
    }
  };

  return (
    <section class="card wide" aria-labelledby="users-title">
      <h2 id="users-title">{t("users.title")}</h2>
      <Show when={props.error}>
        <p class="form-error" role="alert">{errorText(props.error)}</p>
      </Show>
      <div class="table-wrap">
        <table class="users-table">
          <thead>
            <tr>
              <th scope="col">{t("users.user")}</th>
              <th scope="col">{t("users.status")}</th>
              <th scope="col">{t("users.lastSeen")}</th>
              <th scope="col"><span class="visually-hidden">{t("users.actions")}</span></th>
            </tr>
          </thead>
          <tbody>
            <For each={props.users}>
              {(user) => (
                <tr>
                  <td>
                    <PersonName user={user} />
                  </td>
                  <td>
                    <span class="row">
                      <Show when={user.online}><span class="tag accent">{t("chat.online")}</span></Show>
                      <Show when={user.isAdmin}><span class="tag">{t("users.admin")}</span></Show>
                      <Show when={user.disabled}><span class="tag danger">{t("users.disabled")}</span></Show>
                      <Show when={user.secondFactor}><span class="tag">{t("users.twoFactor")}</span></Show>
                    </span>
                  </td>
                  <td class="small-text">{user.lastSeenAt ? formatDateTime(user.lastSeenAt) : t("users.never")}</td>
                  <td>
                    <Show when={user.id !== me()?.id} fallback={<span class="muted small-text">{t("members.you")}</span>}>
                      <div class="row end">
                        <button type="button" class="button small" data-focus-id={`user-${user.id}-admin`} aria-label={labelFor(user.isAdmin ? "demote" : "promote", user)} onClick={() => setPending({ user, action: user.isAdmin ? "demote" : "promote" })}>
                          {user.isAdmin ? t("users.demote") : t("users.promote")}
                        </button>
                        <button type="button" class="button small" aria-label={labelFor("reset", user)} onClick={() => setPending({ user, action: "reset" })}>{t("users.reset")}</button>
                        <Show when={user.secondFactor}>
                          <button type="button" class="button small" aria-label={labelFor("resetFactors", user)} onClick={() => setPending({ user, action: "resetFactors" })}>{t("users.resetFactors")}</button>
                        </Show>
                        <button type="button" class={user.disabled ? "button small" : "button small danger"} data-focus-id={`user-${user.id}-disable`} aria-label={labelFor(user.disabled ? "enable" : "disable", user)} onClick={() => setPending({ user, action: user.disabled ? "enable" : "disable" })}>
                          {user.disabled ? t("users.enable") : t("users.disable")}
                        </button>
                      </div>
                    </Show>
                  </td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </div>
      <Show when={pending()}>
        {(p) => (
          <ConfirmDialog
            title={t(`users.confirm.${p().action}`, { name: POSSESSIVE.includes(p().action) ? displayNameOf(p().user) : nameWithUsername(p().user) })}
            text={t(`users.confirmText.${p().action}`, { name: nameWithUsername(p().user) })}
            confirm={t(`users.${p().action}`)}
            danger={p().action === "disable" || p().action === "reset" || p().action === "resetFactors"}
            onConfirm={() => run(p())}
            onCancel={() => setPending(null)}
          />
        )}
      </Show>
      <Show when={reset()}>
        {(r) => (
          <Dialog title={t("users.resetDone", { name: r().username })} onClose={() => setReset(null)}>
            <p>{t("users.resetText")}</p>
            <div class="secret-row">
              <code class="secret" data-testid="reset-link">{r().link}</code>
              <CopyButton value={r().link} label={t("users.copyLink")} focus />
            </div>
            <div class="dialog-actions">
              <button type="button" class="button primary" onClick={() => setReset(null)}>{t("common.done")}</button>
            </div>
          </Dialog>
        )}
      </Show>
    </section>
  );
}
