import { createResource, createSignal, Show } from "solid-js";
import { useNavigate } from "@solidjs/router";
import { DISPLAY_NAME_MAX, PASSWORD_MIN } from "../api/account-limits.ts";
import { api, call } from "../api/http.ts";
import { t } from "../i18n/index.ts";
import { errorText } from "../i18n/errors.ts";
import { enrolment, me, signedOut, updateMe } from "../stores/session.ts";
import { showToast } from "../stores/toast.ts";
import { LanguageSwitch } from "../components/LanguageSwitch.tsx";
import { ConfirmDialog } from "../components/ConfirmDialog.tsx";
import { createFormAction, FormError } from "../components/form-action.tsx";
import { useLogout } from "../components/use-logout.ts";
import { SessionsSection } from "./SessionsSection.tsx";
import { NotificationsSection } from "./NotificationsSection.tsx";
import { TwoFactorSection } from "./TwoFactorSection.tsx";
import { PasskeysSection } from "./PasskeysSection.tsx";
import { ExportSection } from "./ExportSection.tsx";
import { ReauthDialog } from "../components/ReauthDialog.tsx";
import { tn } from "../i18n/index.ts";

function ProfileSection() {
  const [name, setName] = createSignal(me()?.displayName ?? "");
  const { busy, error, run } = createFormAction();
  return (
    <section class="card" aria-labelledby="profile-title">
      <h2 id="profile-title">{t("account.profile")}</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () => {
            const { user } = await call(api.account.patch({ displayName: name().trim() || null }));
            updateMe(user);
            showToast(t("account.profileSaved"));
          });
        }}
      >
        <FormError error={error()} />
        <div class="field">
          <span class="label">{t("field.username")}</span>
          <span class="static-value">@{me()?.username}</span>
        </div>
        <div class="field">
          <label for="profile-display">{t("field.displayName")}</label>
          <input id="profile-display" class="input" maxLength={DISPLAY_NAME_MAX} value={name()} onInput={(e) => setName(e.currentTarget.value)} aria-describedby="profile-display-hint" />
          <p class="hint" id="profile-display-hint">{t("account.displayNameHint")}</p>
        </div>
        <button type="submit" class="button primary" disabled={busy()}>{t("common.save")}</button>
      </form>
    </section>
  );
}

function PasswordSection(props: { required: boolean; onChanged: () => void }) {
  const [current, setCurrent] = createSignal("");
  const [next, setNext] = createSignal("");
  const { busy, error, run } = createFormAction();
  return (
    <section class="card" aria-labelledby="password-title" id="password">
      <h2 id="password-title">{t("account.password")}</h2>
      <Show when={props.required}>
        <p class="form-error" role="alert">{t("account.mustChange")}</p>
      </Show>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () => {
            const { user } = await call(api.account.password.post({ currentPassword: current(), newPassword: next() }));
            updateMe(user);
            setCurrent("");
            setNext("");
            showToast(t("account.passwordChanged"));
            // The other sessions were ended: the list below says so without a reload.
            props.onChanged();
          });
        }}
      >
        <FormError error={error()} />
        <input type="text" class="visually-hidden" autocomplete="username" value={me()?.username ?? ""} readOnly tabIndex={-1} aria-hidden="true" />
        <div class="field">
          <label for="password-current">{t("account.currentPassword")}</label>
          <input id="password-current" class="input" type="password" autocomplete="current-password" value={current()} onInput={(e) => setCurrent(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="password-new">{t("account.newPassword")}</label>
          <input id="password-new" class="input" type="password" autocomplete="new-password" value={next()} onInput={(e) => setNext(e.currentTarget.value)} aria-describedby="password-new-hint" />
          <p class="hint" id="password-new-hint">{t("account.newPasswordHint", { passwordMin: PASSWORD_MIN })}</p>
        </div>
        <button type="submit" class="button primary" disabled={busy() || !current() || [...next()].length < 10}>{t("account.changePassword")}</button>
      </form>
    </section>
  );
}

function DeleteSection() {
  const navigate = useNavigate();
  const [password, setPassword] = createSignal("");
  const [confirming, setConfirming] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const remove = async () => {
    try {
      await call(api.account.delete({ password: password() }));
      signedOut();
      navigate("/", { replace: true });
    } catch (err) {
      setError(errorText(err));
      setConfirming(false);
    }
  };
  return (
    <section class="card danger-zone" aria-labelledby="delete-title">
      <h2 id="delete-title">{t("account.delete")}</h2>
      <p class="muted">{t("account.deleteText")}</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (password()) setConfirming(true);
        }}
      >
        <FormError error={error()} />
        <div class="field">
          <label for="delete-password">{t("account.deletePassword")}</label>
          <input id="delete-password" class="input" type="password" autocomplete="current-password" value={password()} onInput={(e) => setPassword(e.currentTarget.value)} />
        </div>
        <button type="submit" class="button danger" disabled={!password()}>{t("account.deleteButton")}</button>
      </form>
      <Show when={confirming()}>
        <ConfirmDialog title={t("account.deleteConfirmTitle")} text={t("account.deleteConfirmText")} confirm={t("account.deleteButton")} danger onConfirm={remove} onCancel={() => setConfirming(false)} />
      </Show>
    </section>
  );
}

/** What the admin's policy or the account's role asks of its sign-in, above everything else. */
function SignInNotices(props: { hasSecondFactor: boolean | undefined }) {
  return (
    <>
      <Show when={enrolment()}>
        {(asked) => (
          <p class="notice card wide" role="alert">
            {asked().graceLoginsLeft === 0 ? t("enrol.now") : tn("enrol.soon", asked().graceLoginsLeft)}
          </p>
        )}
      </Show>
      <Show when={!enrolment() && me()?.isAdmin && props.hasSecondFactor === false}>
        <p class="notice card wide" role="status">{t("enrol.adminWarning")}</p>
      </Show>
    </>
  );
}

export function AccountPanel() {
  const mustChange = () => me()?.mustChangePassword === true;
  const logout = useLogout();
  const [security, { refetch }] = createResource(() => call(api.account.security.get()));
  const [sessionsVersion, setSessionsVersion] = createSignal(0);
  const sessionsChanged = () => setSessionsVersion((n) => n + 1);
  const hasSecondFactor = () => {
    const s = security();
    return s ? s.totp.enabled || s.passkeys.length > 0 : undefined;
  };
  return (
    <div class="dashboard-grid">
      <ReauthDialog />
      <SignInNotices hasSecondFactor={hasSecondFactor()} />
      {/* After a reset the new password comes first; otherwise sign-in security does (enrolment, when asked). */}
      <Show when={mustChange()}>
        <PasswordSection required onChanged={sessionsChanged} />
      </Show>
      <TwoFactorSection security={security()} onChanged={refetch} />
      <PasskeysSection security={security()} onChanged={refetch} />
      <ProfileSection />
      <Show when={!mustChange()}>
        <PasswordSection required={false} onChanged={sessionsChanged} />
      </Show>
      {/* Held for enrolment, notification settings and push devices are refused too: shown once enrolled. */}
      <Show when={!mustChange() && enrolment()?.graceLoginsLeft !== 0}>
        <NotificationsSection />
      </Show>
      <SessionsSection version={sessionsVersion()} />
      {/* Held for enrolment, the account may do nothing else yet (the server would refuse). */}
      <Show when={enrolment()?.graceLoginsLeft !== 0}>
        <ExportSection />
      </Show>
      <section class="card" aria-labelledby="language-title">
        <h2 id="language-title">{t("language.label")}</h2>
        <LanguageSwitch hideLabel />
      </section>
      <section class="card" aria-labelledby="logout-title">
        <h2 id="logout-title">{t("nav.logout")}</h2>
        <p class="muted">{t("account.logoutText")}</p>
        <button type="button" class="button" onClick={logout}>{t("nav.logout")}</button>
      </section>
      <DeleteSection />
    </div>
  );
}

