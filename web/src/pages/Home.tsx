import { For, Match, Show, Switch } from "solid-js";
import { A } from "@solidjs/router";
import { t } from "../i18n/index.ts";
import { me, registrationMode } from "../stores/session.ts";
import { Logo } from "../components/Logo.tsx";
import { Icon, type IconName } from "../components/Icon.tsx";
import { LanguageSwitch } from "../components/LanguageSwitch.tsx";
import { usePageTitle } from "../components/page-title.ts";
import type { MessageKey } from "../i18n/en.ts";

const FEATURES: { icon: IconName; title: MessageKey; text: MessageKey }[] = [
  { icon: "message", title: "home.feature.chat.title", text: "home.feature.chat.text" },
  { icon: "users", title: "home.feature.presence.title", text: "home.feature.presence.text" },
  { icon: "paperclip", title: "home.feature.files.title", text: "home.feature.files.text" },
  { icon: "shield", title: "home.feature.private.title", text: "home.feature.private.text" },
  { icon: "lock", title: "home.feature.yours.title", text: "home.feature.yours.text" },
  { icon: "check", title: "home.feature.everyone.title", text: "home.feature.everyone.text" },
];

const PROMISES: MessageKey[] = [
  "home.promise.stays",
  "home.promise.noTracking",
  "home.promise.encrypted",
  "home.promise.passwords",
  "home.promise.leave",
];

/** A still picture of the chat, drawn with plain elements (no image to load, nothing for the CSP to allow). */
function ChatPreview() {
  const lines: { initials: string; color: string; name: string; time: string; text: MessageKey }[] = [
    { initials: "CL", color: "c1", name: "Claire", time: "09:41", text: "home.preview.first" },
    { initials: "SA", color: "c3", name: "Sam", time: "09:43", text: "home.preview.second" },
    { initials: "MO", color: "c0", name: "Moussa", time: "09:44", text: "home.preview.third" },
  ];
  return (
    <div class="home-preview" aria-hidden="true">
      <div class="home-preview-bar">
        <Icon name="hash" class="icon home-preview-hash" />
        <span>{t("home.preview.room")}</span>
        <span class="home-preview-people">
          <span class="presence-dot" />3
        </span>
      </div>
      <div class="home-preview-body">
        <For each={lines}>
          {(line) => (
            <div class="home-preview-message">
              <span class={`avatar ${line.color}`}>{line.initials}</span>
              <div>
                <div class="message-meta">
                  <span class="message-author">{line.name}</span>
                  <span class="message-time">{line.time}</span>
                </div>
                <p>{t(line.text)}</p>
              </div>
            </div>
          )}
        </For>
        <p class="home-preview-typing">
          <span class="typing-dots"><span /><span /><span /></span>
          {t("home.preview.typing")}
        </p>
      </div>
      <div class="home-preview-composer">
        <span>{t("home.preview.composer")}</span>
        <span class="home-preview-send"><Icon name="send" /></span>
      </div>
    </div>
  );
}

/** Log in / Create an account, as the server's registration mode allows; Open for someone logged in. */
function Actions(props: { where: "header" | "hero" }) {
  const canRegister = () => registrationMode() !== "closed";
  return (
    <Show
      when={me()}
      fallback={
        <Show
          when={props.where === "hero"}
          fallback={
            <>
              <A href="/login" class="button ghost">{t("home.login")}</A>
              <Show when={canRegister()}>
                <A href="/register" class="button primary home-header-register">{t("home.register")}</A>
              </Show>
            </>
          }
        >
          <Show when={canRegister()}>
            <A href="/register" class="button primary">{t("home.register")}</A>
          </Show>
          <A href="/login" class="button" classList={{ primary: !canRegister() }}>{t("home.login")}</A>
        </Show>
      }
    >
      <A href="/chat" class="button primary">{t("home.open")}</A>
      <Show when={props.where === "hero"}>
        <A href="/dashboard" class="button">{t("home.dashboard")}</A>
      </Show>
    </Show>
  );
}

export function Home() {
  usePageTitle(() => t("home.eyebrow"));
  return (
    <div class="home-page">
      <header class="home-header">
        <Logo />
        <nav class="row home-nav" aria-label={t("home.nav")}>
          <Actions where="header" />
        </nav>
      </header>
      <main class="home-main" id="main">
        <section class="home-hero">
          <div class="home-hero-text">
            <p class="home-eyebrow">{t("home.eyebrow")}</p>
            <h1>{t("home.title")}</h1>
            <p class="home-lead">{t("home.lead")}</p>
            <div class="row home-actions">
              <Actions where="hero" />
            </div>
            <Show when={!me()}>
              <Switch>
                <Match when={registrationMode() === "invite"}>
                  <p class="home-mode muted">{t("home.modeInvite")}</p>
                </Match>
                <Match when={registrationMode() === "closed"}>
                  <p class="home-mode muted">{t("home.modeClosed")}</p>
                </Match>
              </Switch>
            </Show>
          </div>
          <ChatPreview />
        </section>

        <section class="home-section" aria-labelledby="home-features-title">
          <h2 id="home-features-title">{t("home.featuresTitle")}</h2>
          <ul class="home-features">
            <For each={FEATURES}>
              {(feature) => (
                <li class="home-feature">
                  <span class="home-feature-icon"><Icon name={feature.icon} /></span>
                  <h3>{t(feature.title)}</h3>
                  <p>{t(feature.text)}</p>
                </li>
              )}
            </For>
          </ul>
        </section>

        <section class="home-section home-promise" aria-labelledby="home-promise-title">
          <div class="home-promise-intro">
            <span class="home-feature-icon large"><Icon name="shield" /></span>
            <h2 id="home-promise-title">{t("home.promiseTitle")}</h2>
            <p class="muted">{t("home.promiseLead")}</p>
          </div>
          <ul class="home-promise-list">
            <For each={PROMISES}>
              {(promise) => (
                <li>
                  <Icon name="check" class="icon home-promise-check" />
                  <span>{t(promise)}</span>
                </li>
              )}
            </For>
          </ul>
        </section>
      </main>
      <footer class="home-footer">
        <p class="muted small-text">{t("home.footer")}</p>
        <LanguageSwitch />
      </footer>
    </div>
  );
}
