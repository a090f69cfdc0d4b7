// The login's second step: a code from the authenticator app, a recovery code, or a passkey,
// whichever the account has. Only the half-session cookie rides along; it expires in 5 minutes.
import { createSignal, Show } from "solid-js";
import { api, ApiError, call } from "../api/http.ts";
import { assertPasskey, cancelCeremony, cancelled } from "../api/passkeys.ts";
import type { Me, SecondFactorMethod } from "../api/types.ts";
import { t } from "../i18n/index.ts";
import { errorText } from "../i18n/errors.ts";
import { createFormAction, FormError } from "./form-action.tsx";

export function SecondFactorForm(props: {
  methods: SecondFactorMethod[];
  passkeysWork: boolean;
  onDone: (user: Me) => void;
  /** The half-session ended (expired, too many wrong codes): back to the password. */
  onExpired: (message: string) => void;
  onCancel: () => void;
}) {
  const hasTotp = () => props.methods.includes("totp");
  const [recovery, setRecovery] = createSignal(!hasTotp() && !props.methods.includes("passkey"));
  const [code, setCode] = createSignal("");
  const { busy, error, setError, run } = createFormAction();

  const finish = async (work: () => Promise<{ user: Me }>) => {
    try {
      const { user } = await work();
      props.onDone(user);
    } catch (err) {
      if (err instanceof ApiError && err.code === "second_factor_expired") return props.onExpired(errorText(err));
      if (cancelled(err)) return;
      setError(err instanceof ApiError && err.code === "invalid_code" ? t("login.wrongCode") : errorText(err));
    }
  };

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    void run(() => finish(() => call(api.auth["second-factor"].post({ code: code().trim() }), { expectUnauthorized: true })));
  };
  const passkey = () =>
    run(() =>
      finish(async () => {
        cancelCeremony();
        const { options } = await call(api.auth["second-factor"].passkey.options.post(), { expectUnauthorized: true });
        const response = await assertPasskey(options);
        return call(api.auth["second-factor"].passkey.post({ response: response as never }), { expectUnauthorized: true });
      }),
    );

  return (
    <>
      <p class="muted">{t("login.secondFactorText")}</p>
      <form onSubmit={submit} novalidate>
        <FormError error={error()} />
        <Show
          when={recovery()}
          fallback={
            <Show when={hasTotp()}>
            <div class="field">
              <label for="login-code">{t("login.code")}</label>
              <input
                id="login-code"
                class="input"
                name="one-time-code"
                autocomplete="one-time-code"
                inputMode="numeric"
                maxLength={8}
                value={code()}
                onInput={(e) => setCode(e.currentTarget.value)}
                aria-describedby="login-code-hint"
              />
              <p class="hint" id="login-code-hint">{t("login.codeHint")}</p>
            </div>
            </Show>
          }
        >
          <div class="field">
            <label for="login-recovery">{t("login.recoveryCode")}</label>
            <input
              id="login-recovery"
              class="input"
              autocomplete="off"
              autocapitalize="none"
              spellcheck={false}
              maxLength={20}
              value={code()}
              onInput={(e) => setCode(e.currentTarget.value)}
              aria-describedby="login-recovery-hint"
            />
            <p class="hint" id="login-recovery-hint">{t("login.recoveryHint")}</p>
          </div>
        </Show>
        <Show when={hasTotp() || recovery()}>
          <button type="submit" class="button primary block" disabled={busy() || !code().trim()}>
            {busy() ? t("login.busy") : t("login.verify")}
          </button>
        </Show>
      </form>
      <div class="second-factor-options">
        <Show when={props.methods.includes("passkey") && props.passkeysWork}>
          <button type="button" class="button block" disabled={busy()} onClick={passkey}>{t("login.usePasskey")}</button>
        </Show>
        <Show when={props.methods.includes("recovery")}>
          <button
            type="button"
            class="button ghost block"
            onClick={() => {
              setRecovery(!recovery());
              setCode("");
              setError(null);
            }}
          >
            {recovery() ? t("login.useApp") : t("login.useRecovery")}
          </button>
        </Show>
        <button type="button" class="button ghost block" onClick={props.onCancel}>{t("login.back")}</button>
      </div>
    </>
  );
}
