import { createResource, createSignal, Show } from "solid-js";
import { api, call } from "../api/http.ts";
import { assertPasskey, cancelled, usePasskeyConfig } from "../api/passkeys.ts";
import { t } from "../i18n/index.ts";
import { errorText } from "../i18n/errors.ts";
import { answerReauth, reauthPending } from "../stores/reauth.ts";
import { me } from "../stores/session.ts";
import { Dialog } from "./Dialog.tsx";
import { createFormAction, FormError } from "./form-action.tsx";

/** "Confirm it is you": the password, or a passkey where passkeys work. Mounted once per page. */
export function ReauthDialog() {
  return (
    <Show when={reauthPending()}>
      <ReauthForm />
    </Show>
  );
}

function ReauthForm() {
  const [password, setPassword] = createSignal("");
  const { busy, error, setError, run } = createFormAction();
  const passkeys = usePasskeyConfig();
  // "Use a passkey" only for someone who has one (it was offered to all, and failed).
  const [hasPasskey] = createResource(() =>
    call(api.account.security.get())
      .then((security) => security.passkeys.length > 0)
      .catch(() => false),
  );
  const withPasskey = () =>
    run(async () => {
      try {
        const { options } = await call(api.account.reauth.passkey.options.post());
        const response = await assertPasskey(options);
        await call(api.account.reauth.passkey.post({ response: response as never }));
        answerReauth(true);
      } catch (err) {
        if (cancelled(err)) return;
        setError(errorText(err));
      }
    });
  return (
    <Dialog title={t("reauth.title")} onClose={() => answerReauth(false)}>
      <p>{t("reauth.text")}</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () => {
            await call(api.account.reauth.post({ password: password() }));
            answerReauth(true);
          });
        }}
      >
        <FormError error={error()} />
        <input type="text" class="visually-hidden" autocomplete="username" value={me()?.username ?? ""} readOnly tabIndex={-1} aria-hidden="true" />
        <div class="field">
          <label for="reauth-password">{t("field.password")}</label>
          <input id="reauth-password" class="input" type="password" autocomplete="current-password" value={password()} onInput={(e) => setPassword(e.currentTarget.value)} />
        </div>
        <div class="dialog-actions">
          <Show when={passkeys()?.blocker === null && hasPasskey() === true}>
            <button type="button" class="button" disabled={busy()} onClick={withPasskey}>{t("reauth.passkey")}</button>
          </Show>
          <button type="button" class="button" onClick={() => answerReauth(false)}>{t("common.cancel")}</button>
          <button type="submit" class="button primary" disabled={busy() || !password()}>{t("reauth.confirm")}</button>
        </div>
      </form>
    </Dialog>
  );
}
