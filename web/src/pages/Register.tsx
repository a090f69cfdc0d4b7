import { createEffect, createResource, createSignal, Match, on, Show, Switch } from "solid-js";
import { A, useLocation } from "@solidjs/router";
import { DISPLAY_NAME_MAX, PASSWORD_MIN, USERNAME_MAX, USERNAME_MIN } from "../api/account-limits.ts";
import { api, ApiError, call } from "../api/http.ts";
import { t, tn } from "../i18n/index.ts";
import { signedIn } from "../stores/session.ts";
import { AuthLayout } from "../components/AuthLayout.tsx";
import { createFormAction, FormError } from "../components/form-action.tsx";
import { inviteToken } from "../auth-links.ts";
import { usePageTitle } from "../components/page-title.ts";
import { focusWhenIdle } from "../components/focus-when-idle.ts";
import { roomRef } from "../chat/rooms.ts";

export function Register() {
  usePageTitle(() => t("register.submit"));
  const location = useLocation();
  // The link carries the token in the fragment so it never reaches a server log.
  const fromLink = /invite=/.test(location.hash + location.search) ? inviteToken(location.hash + location.search) : "";
  const [info] = createResource(() => call(api.auth.registration.get()).catch(() => ({ mode: "open" as const, firstAccount: false })));
  const [username, setUsername] = createSignal("");
  const [displayName, setDisplayName] = createSignal("");
  const [password, setPassword] = createSignal("");
  const [invite, setInvite] = createSignal(fromLink);
  // A link opened while this page is already shown only changes the fragment.
  createEffect(
    on(
      () => location.hash,
      (hash) => {
        if (/invite=/.test(hash)) setInvite(inviteToken(hash));
      },
      { defer: true },
    ),
  );
  const { busy, error, setError, run } = createFormAction();
  // A link's landing page says who invites whom to which server and room (issue 19 item 7); a link
  // that does not work gets nothing here (registering says why).
  const [landing] = createResource(
    () => {
      // Not asked where registration is closed: the page says so, and the server would refuse.
      const registration = info();
      if (!registration || (registration.mode === "closed" && !registration.firstAccount)) return null;
      return inviteToken(invite()) || null;
    },
    async (token) => {
      try {
        return await call(api.auth.invite.post({ token }));
      } catch {
        return null;
      }
    },
  );
  // The password rule the server refused, until the password changes (issue 19 bug 5): the field is
  // marked invalid, keeps focus, and the rule is shown failed (in words too, not by colour alone).
  const [refused, setRefused] = createSignal<"common" | "username" | "length" | null>(null);
  let passwordInput: HTMLInputElement | undefined;
  const PASSWORD_RULES: Record<string, "common" | "username" | "length"> = {
    password_too_common: "common",
    password_is_username: "username",
    password_too_short: "length",
    password_too_long: "length",
  };
  const ruleState = (rule: "common" | "username" | "length", met: boolean) => (refused() === rule ? "failed" : met ? "met" : "unknown");

  const passwordLongEnough = () => [...password()].length >= PASSWORD_MIN;
  // The server's rule (password-rules.ts): not the username, compared case-insensitively.
  const passwordNotUsername = () => password() !== "" && username().trim() !== "" && password().normalize("NFKC").toLowerCase() !== username().trim().normalize("NFKC").toLowerCase();
  const usernameOk = () => {
    const length = [...username().trim()].length;
    return length >= USERNAME_MIN && length <= USERNAME_MAX && /^[\p{L}\p{N}._-]+$/u.test(username().trim());
  };

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    void run(async () => {
      const token = inviteToken(invite());
      try {
        const { user } = await call(
          api.auth.register.post({
            username: username().trim(),
            password: password(),
            displayName: displayName().trim() || undefined,
            invite: token || undefined,
          }),
          { expectUnauthorized: true },
        );
        signedIn(user);
      } catch (err) {
        const rule = err instanceof ApiError ? PASSWORD_RULES[err.code] : undefined;
        if (rule) {
          setRefused(rule);
          queueMicrotask(() => passwordInput?.focus());
        }
        throw err;
      }
    });
  };

  return (
    <AuthLayout title={t("register.title")}>
      <Show when={info()} fallback={<p class="muted">{t("common.loading")}</p>}>
        {(registration) => (
          <Switch>
            {/* The first account is made whatever the mode (it becomes the administrator); otherwise
                closed means closed, an invite link included (the server refuses it too). */}
            <Match when={registration().mode === "closed" && !registration().firstAccount}>
              <p class="form-error" role="status">{t("register.closed")}</p>
            </Match>
            <Match when={true}>
              <Show
                when={landing()}
                fallback={
                  <p class="muted small-text">
                    {registration().firstAccount
                      ? t("register.firstAccount")
                      : registration().mode === "invite"
                        ? t("register.modeInvite")
                        : t("register.modeOpen")}
                  </p>
                }
              >
                {(info) => (
                  <p class="invite-landing" data-testid="invite-landing">
                    {info().invitedBy
                      ? t("register.invitedBy", { name: info().invitedBy!.displayName ?? info().invitedBy!.username, server: info().serverName ?? t("app.name") })
                      : t("register.invitedTo", { server: info().serverName ?? t("app.name") })}
                    <Show when={info().room}>{(room) => <> {t("register.invitedRoom", { room: roomRef(room()) })}</>}</Show>
                  </p>
                )}
              </Show>
              <form onSubmit={submit} novalidate>
                <FormError error={error()} />
                <Show when={(registration().mode !== "open" && !registration().firstAccount) || invite()}>
                  <div class="field">
                    <label for="register-invite">{t("field.invite")}</label>
                    <input
                      id="register-invite"
                      class="input"
                      name="invite"
                      autocomplete="off"
                      spellcheck={false}
                      value={invite()}
                      onInput={(e) => setInvite(e.currentTarget.value)}
                      aria-describedby="register-invite-hint"
                    />
                    <p class="hint" id="register-invite-hint">{t("register.inviteHint")}</p>
                  </div>
                </Show>
                <div class="field">
                  <label for="register-username">{t("field.username")}</label>
                  <input
                    id="register-username"
                    ref={focusWhenIdle}
                    class="input"
                    name="username"
                    autocomplete="username"
                    autocapitalize="none"
                    spellcheck={false}
                    required
                    maxLength={USERNAME_MAX * 2}
                    value={username()}
                    onInput={(e) => setUsername(e.currentTarget.value)}
                    aria-describedby="register-username-hint"
                  />
                  <p class="hint" id="register-username-hint">{t("register.usernameRule", { min: USERNAME_MIN, max: USERNAME_MAX })}</p>
                </div>
                <div class="field">
                  <label for="register-display">{t("field.displayNameOptional")}</label>
                  <input
                    id="register-display"
                    class="input"
                    name="displayName"
                    autocomplete="nickname"
                    maxLength={DISPLAY_NAME_MAX}
                    value={displayName()}
                    onInput={(e) => setDisplayName(e.currentTarget.value)}
                  />
                </div>
                <div class="field">
                  <label for="register-password">{t("field.password")}</label>
                  <input
                    id="register-password"
                    class="input"
                    type="password"
                    name="password"
                    autocomplete="new-password"
                    required
                    value={password()}
                    ref={passwordInput}
                    onInput={(e) => {
                      setPassword(e.currentTarget.value);
                      // A refusal of the password is about the one typed before: it goes with it.
                      if (refused() !== null) setError(null);
                      setRefused(null);
                    }}
                    aria-invalid={refused() !== null ? "true" : undefined}
                    aria-describedby="register-password-rules"
                  />
                </div>
                <ul class="rules" id="register-password-rules" aria-label={t("register.rulesTitle")}>
                  <PasswordRule state={ruleState("length", passwordLongEnough())} text={tn("register.ruleLength", PASSWORD_MIN)} />
                  <PasswordRule state={ruleState("common", false)} text={t("register.ruleCommon")} />
                  <PasswordRule state={ruleState("username", passwordNotUsername())} text={t("register.ruleUsername")} />
                </ul>
                <button type="submit" class="button primary block" disabled={busy() || !usernameOk() || !passwordLongEnough()}>
                  {busy() ? t("register.busy") : t("register.submit")}
                </button>
              </form>
            </Match>
          </Switch>
        )}
      </Show>
      <p class="auth-switch">
        {t("register.haveAccount")} <A href="/login">{t("register.loginLink")}</A>
      </p>
    </AuthLayout>
  );
}

/** One password rule: met, failed (the server refused the password for it) or not known yet, said in words too. */
function PasswordRule(props: { state: "met" | "failed" | "unknown"; text: string }) {
  return (
    <li data-state={props.state} classList={{ "rule-ok": props.state === "met", "rule-failed": props.state === "failed" }}>
      {props.text}
      <Show when={props.state !== "unknown"}>
        <span class="visually-hidden">{props.state === "met" ? t("register.ruleMet") : t("register.ruleNotMet")}</span>
      </Show>
    </li>
  );
}
