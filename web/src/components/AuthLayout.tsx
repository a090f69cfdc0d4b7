import { Show, type JSX } from "solid-js";
import { A } from "@solidjs/router";
import { Logo } from "./Logo.tsx";
import { LanguageSwitch } from "./LanguageSwitch.tsx";
import { serverName } from "../stores/session.ts";

/** The centred card that frames Login and Register; `namesServer`: the title already says the server's name. */
export function AuthLayout(props: { title: string; namesServer?: boolean; children: JSX.Element }) {
  return (
    <div class="auth-page">
      <main class="auth-card" id="main">
        <A href="/" class="auth-logo">
          <Logo />
        </A>
        {/* Which server this is (its first-run setup named it, issue 19). */}
        <Show when={!props.namesServer && serverName()}>{(name) => <p class="auth-server" data-testid="server-name">{name()}</p>}</Show>
        <h1>{props.title}</h1>
        {props.children}
      </main>
      <footer class="auth-footer">
        <LanguageSwitch />
      </footer>
    </div>
  );
}
