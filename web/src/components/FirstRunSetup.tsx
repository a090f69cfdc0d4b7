// The first administrator's welcome (issue 19 item 6): right after the server's first account is
// made, a short setup — the server's name, who may create accounts (invite-only recommended, and said
// so), a #general room for everyone, then an invite link ready to copy with its expiry and uses.
// Skippable (which keeps invite-only), and never shown again: the server remembers either answer.
import { createResource, createSignal, For, onCleanup, Show } from "solid-js";
import { useNavigate } from "@solidjs/router";
import { api, call } from "../api/http.ts";
import type { RegistrationMode } from "../api/types.ts";
import { formatDateTime, t } from "../i18n/index.ts";
import { errorText } from "../i18n/errors.ts";
import { me, setServerName } from "../stores/session.ts";
import { CopyButton } from "./CopyButton.tsx";
import { Dialog } from "./Dialog.tsx";

interface Created {
  link: string;
  expiresAt: number;
  maxUses: number;
  roomId: number | null;
}

const MODES: RegistrationMode[] = ["invite", "open", "closed"];

function SetupDialog(props: { onDone: () => void }) {
  const navigate = useNavigate();
  const [name, setName] = createSignal("");
  const [mode, setMode] = createSignal<RegistrationMode>("invite");
  const [general, setGeneral] = createSignal(true);
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const [created, setCreated] = createSignal<Created | null>(null);

  const finish = async (event: SubmitEvent) => {
    event.preventDefault();
    if (busy()) return;
    setBusy(true);
    setError(null);
    try {
      const reply = await call(
        api.admin.setup.post({ serverName: name().trim() || null, registrationMode: mode(), createGeneral: general(), generalTopic: t("setup.generalTopic") }),
      );
      setServerName(reply.serverName);
      if (reply.invite) {
        setCreated({ link: location.origin + reply.invite.link, expiresAt: reply.invite.invite.expiresAt, maxUses: reply.invite.invite.maxUses, roomId: reply.roomId });
      } else {
        props.onDone();
        if (reply.roomId !== null) navigate(`/chat/${reply.roomId}`);
      }
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  const skip = async () => {
    try {
      await call(api.admin.setup.skip.post());
    } catch {
      // Already done elsewhere: nothing to ask any more.
    }
    props.onDone();
  };
  const done = () => {
    const roomId = created()?.roomId ?? null;
    props.onDone();
    if (roomId !== null) navigate(`/chat/${roomId}`);
  };

  return (
    <Dialog title={t("setup.title")} onClose={() => (created() ? done() : void skip())} class="wide">
      <Show
        when={created()}
        fallback={
          <form class="dialog-form" onSubmit={finish}>
            <div class="dialog-scroll">
              <p>{t("setup.intro")}</p>
              <Show when={error()}>
                <p class="form-error" role="alert">{error()}</p>
              </Show>
              <div class="field">
                <label class="label" for="setup-name">{t("setup.name")}</label>
                <input id="setup-name" class="input" autofocus maxLength={60} value={name()} onInput={(e) => setName(e.currentTarget.value)} aria-describedby="setup-name-hint" />
                <span id="setup-name-hint" class="muted small-text">{t("setup.nameHint")}</span>
              </div>
              <fieldset class="field choice-group">
                <legend class="label">{t("setup.mode")}</legend>
                <For each={MODES}>
                  {(value) => (
                    <label class="choice">
                      <input type="radio" name="setup-mode" value={value} checked={mode() === value} onChange={() => setMode(value)} />
                      <span>
                        <strong>{t(`setup.mode.${value}`)}</strong>
                        <span class="muted small-text">{t(`setup.mode.${value}Hint`)}</span>
                      </span>
                    </label>
                  )}
                </For>
              </fieldset>
              <label class="choice">
                <input type="checkbox" checked={general()} onChange={(e) => setGeneral(e.currentTarget.checked)} />
                <span>
                  <strong>{t("setup.general")}</strong>
                  <span class="muted small-text">{t("setup.generalHint")}</span>
                </span>
              </label>
            </div>
            <div class="dialog-actions">
              <button type="button" class="button" onClick={() => void skip()}>{t("setup.skip")}</button>
              <button type="submit" class="button primary" disabled={busy()}>{t("setup.finish")}</button>
            </div>
          </form>
        }
      >
        {(invite) => (
          <div class="dialog-form">
            <div class="dialog-scroll">
              <p>{t("setup.ready")}</p>
              <div class="field">
                <label class="label" for="setup-link">{t("setup.link")}</label>
                <input id="setup-link" class="input" readOnly value={invite().link} data-testid="setup-invite-link" />
                <span class="muted small-text">{t("setup.linkLimits", { uses: invite().maxUses, date: formatDateTime(invite().expiresAt) })}</span>
              </div>
              <CopyButton value={invite().link} label={t("setup.copyLink")} focus />
            </div>
            <div class="dialog-actions">
              <button type="button" class="button primary" onClick={done}>{t("setup.done")}</button>
            </div>
          </div>
        )}
      </Show>
    </Dialog>
  );
}

/** Shows the setup to an administrator of a server not set up yet; nothing otherwise. */
export function FirstRunSetup() {
  const [dismissed, setDismissed] = createSignal(false);
  const [needed, { refetch }] = createResource(
    () => me()?.isAdmin === true,
    async (isAdmin) => {
      if (!isAdmin) return false;
      try {
        return (await call(api.auth.session.get())).setupNeeded === true;
      } catch {
        // Offline (the app shell opened from the service worker's cache): asked again once online.
        // A failed resource would throw where it is read, and take the page with it.
        return false;
      }
    },
  );
  const online = () => void refetch();
  window.addEventListener("online", online);
  onCleanup(() => window.removeEventListener("online", online));
  return (
    <Show when={needed() && !dismissed()}>
      <SetupDialog onDone={() => setDismissed(true)} />
    </Show>
  );
}
