// My passkeys: add one (named), see each with its last use, remove one. Hidden, with the reason,
// where the browser cannot use passkeys on this address.
import { createSignal, For, Show } from "solid-js";
import { api, call } from "../api/http.ts";
import { cancelled, createPasskey, usePasskeyConfig } from "../api/passkeys.ts";
import type { PasskeyInfo, SecurityOverview } from "../api/types.ts";
import { formatDateTime, t } from "../i18n/index.ts";
import { errorText } from "../i18n/errors.ts";
import { withReauth } from "../stores/reauth.ts";
import { enrolled } from "../stores/session.ts";
import { showToast } from "../stores/toast.ts";
import { ConfirmDialog } from "../components/ConfirmDialog.tsx";
import { PasskeyNote } from "../components/PasskeyNote.tsx";
import { createFormAction, FormError } from "../components/form-action.tsx";
import { RecoveryCodes } from "./TwoFactorSection.tsx";

export function PasskeysSection(props: { security: SecurityOverview | undefined; onChanged: () => void }) {
  const passkeys = usePasskeyConfig();
  const [name, setName] = createSignal("");
  const [removing, setRemoving] = createSignal<PasskeyInfo | null>(null);
  const [codes, setCodes] = createSignal<string[] | null>(null);
  const { busy, error, setError, run } = createFormAction();

  const add = (event: SubmitEvent) => {
    event.preventDefault();
    void run(async () => {
      try {
        const added = await withReauth(() => createPasskey(name().trim()));
        if (!added) return;
        setName("");
        if (added.recoveryCodes) setCodes(added.recoveryCodes);
        enrolled();
        showToast(t("passkeys.added"));
      } catch (err) {
        if (!cancelled(err)) throw err;
      } finally {
        props.onChanged();
      }
    });
  };
  const remove = async (passkey: PasskeyInfo) => {
    setRemoving(null);
    try {
      const done = await withReauth(() => call(api.account.passkeys({ id: passkey.id }).delete()).then(() => true));
      if (done) showToast(t("passkeys.removed"));
    } catch (err) {
      setError(errorText(err));
    }
    props.onChanged();
  };

  return (
    <section class="card wide" aria-labelledby="passkeys-title" id="passkeys">
      <h2 id="passkeys-title">{t("passkeys.title")}</h2>
      <p class="muted">{t("passkeys.text")}</p>
      <Show when={passkeys()?.blocker === null} fallback={<PasskeyNote blocker={passkeys()?.blocker ?? null} />}>
        <FormError error={error()} />
        <Show when={codes()}>{(list) => <RecoveryCodes codes={list()} onDone={() => setCodes(null)} />}</Show>
        <ul class="session-list" data-testid="passkey-list">
          <For each={props.security?.passkeys ?? []} fallback={<li class="muted small-text">{t("passkeys.none")}</li>}>
            {(passkey) => (
              <li class="session-item">
                <div class="session-text">
                  <span class="session-device">{passkey.name}</span>
                  <span class="muted small-text">
                    {t("passkeys.details", {
                      created: formatDateTime(passkey.createdAt),
                      used: passkey.lastUsedAt ? formatDateTime(passkey.lastUsedAt) : t("passkeys.neverUsed"),
                    })}
                  </span>
                </div>
                <button type="button" class="button small danger" onClick={() => setRemoving(passkey)} aria-label={t("passkeys.removeOne", { name: passkey.name })}>
                  {t("passkeys.remove")}
                </button>
              </li>
            )}
          </For>
        </ul>
        <form class="inline-form" onSubmit={add}>
          <div class="field">
            <label for="passkey-name">{t("passkeys.name")}</label>
            <input id="passkey-name" class="input" maxLength={64} value={name()} onInput={(e) => setName(e.currentTarget.value)} placeholder={t("passkeys.namePlaceholder")} />
          </div>
          <button type="submit" class="button primary" disabled={busy()}>{t("passkeys.add")}</button>
        </form>
      </Show>
      <Show when={removing()}>
        {(passkey) => (
          <ConfirmDialog
            title={t("passkeys.removeTitle", { name: passkey().name })}
            text={t("passkeys.removeText")}
            confirm={t("passkeys.remove")}
            danger
            onConfirm={() => remove(passkey())}
            onCancel={() => setRemoving(null)}
          />
        )}
      </Show>
    </section>
  );
}
