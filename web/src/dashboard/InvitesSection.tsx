import { createResource, createSignal, For, Show } from "solid-js";
import { api, call } from "../api/http.ts";
import { formatDateTime, t } from "../i18n/index.ts";
import { errorText } from "../i18n/errors.ts";
import { showToast } from "../stores/toast.ts";
import { CopyButton } from "../components/CopyButton.tsx";
import type { Invite } from "../api/types.ts";

const EXPIRIES = [24, 168, 720];

export function InvitesSection() {
  const [invites, { refetch }] = createResource(async () => (await call(api.admin.invites.get())).invites);
  const [hours, setHours] = createSignal(168);
  const [uses, setUses] = createSignal(1);
  const [created, setCreated] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);

  const create = async (event: SubmitEvent) => {
    event.preventDefault();
    setBusy(true);
    try {
      const reply = await call(api.admin.invites.post({ expiresInHours: hours(), maxUses: uses() }));
      // The link is relative; the token is in its fragment and is shown only this once.
      setCreated(new URL(reply.link, location.origin).href);
      void refetch();
    } catch (error) {
      showToast(errorText(error), "error");
    } finally {
      setBusy(false);
    }
  };
  const revoke = async (invite: Invite) => {
    try {
      await call(api.admin.invites({ id: encodeURIComponent(invite.id) }).delete());
      void refetch();
    } catch (error) {
      showToast(errorText(error), "error");
    }
  };

  return (
    <section class="card" aria-labelledby="invites-title">
      <h2 id="invites-title">{t("invites.title")}</h2>
      <form class="invite-form" onSubmit={create}>
        <div class="field">
          <label for="invite-expiry">{t("invites.expiresIn")}</label>
          <select id="invite-expiry" class="select" value={hours()} onChange={(e) => setHours(Number(e.currentTarget.value))}>
            <For each={EXPIRIES}>{(h) => <option value={h}>{t(`invites.hours.${h as 24 | 168 | 720}`)}</option>}</For>
          </select>
        </div>
        <div class="field">
          <label for="invite-uses">{t("invites.maxUses")}</label>
          <input id="invite-uses" class="input" type="number" min="1" max="1000" value={uses()} onInput={(e) => setUses(Math.max(1, Math.min(1000, Number(e.currentTarget.value) || 1)))} />
        </div>
        <button type="submit" class="button primary" disabled={busy()}>{t("invites.create")}</button>
      </form>
      <Show when={created()}>
        {(link) => (
          <div class="created-secret" role="status">
            <p>{t("invites.createdOnce")}</p>
            <div class="secret-row">
              <code class="secret" data-testid="invite-link">{link()}</code>
              <CopyButton value={link()} label={t("invites.copyLink")} focus />
            </div>
          </div>
        )}
      </Show>
      <Show when={invites.error}>
        <p class="form-error" role="alert">{errorText(invites.error)}</p>
      </Show>
      <ul class="invite-list">
        <For each={invites()}>
          {(invite) => (
            <li class="invite-item">
              <div>
                <span class={`tag ${invite.status === "active" ? "accent" : ""}`}>{t(`invites.status.${invite.status}`)}</span>{" "}
                <span class="small-text">{t("invites.usage", { uses: invite.uses, max: invite.maxUses })}</span>
                <div class="muted small-text">{t("invites.expires", { date: formatDateTime(invite.expiresAt) })}</div>
              </div>
              <Show when={invite.status === "active"}>
                <button type="button" class="button small danger" onClick={() => revoke(invite)}>{t("invites.revoke")}</button>
              </Show>
            </li>
          )}
        </For>
      </ul>
    </section>
  );
}
