import { Match, onCleanup, Switch, type JSX } from "solid-js";
import { Navigate, Route, Router, useLocation, useNavigate, useSearchParams, A } from "@solidjs/router";
import { safeNext } from "./auth-links.ts";
import { t } from "./i18n/index.ts";
import { enrolment, me, onSessionEnded } from "./stores/session.ts";
import { Home } from "./pages/Home.tsx";
import { Login } from "./pages/Login.tsx";
import { Register } from "./pages/Register.tsx";
import { Chat } from "./pages/Chat.tsx";
import { Dashboard } from "./pages/Dashboard.tsx";
import { ResetPassword } from "./pages/ResetPassword.tsx";
import { usePageTitle } from "./components/page-title.ts";
import { setNavigate } from "./stores/navigation.ts";

function Loading() {
  return (
    <div class="loading-page" role="status">
      <span class="spinner" aria-hidden="true" />
      {t("common.loading")}
    </div>
  );
}

/** Pages behind a login: wait for "who am I", send strangers to /login with a way back. */
function RequireLogin(props: { children: JSX.Element; allowPasswordChange?: boolean }) {
  const location = useLocation();
  return (
    <Switch>
      <Match when={me() === undefined}>
        <Loading />
      </Match>
      <Match when={me() === null}>
        <Navigate href={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} />
      </Match>
      <Match when={me()?.mustChangePassword && !props.allowPasswordChange}>
        <Navigate href="/dashboard?change-password=1" />
      </Match>
      <Match when={enrolment()?.graceLoginsLeft === 0 && !props.allowPasswordChange}>
        <Navigate href="/dashboard?enrol=1" />
      </Match>
      <Match when={me()}>{props.children}</Match>
    </Switch>
  );
}

/**
 * Login and Register are for strangers: a logged-in visitor (or one who just logged in) goes on to
 * the page they came for, or the chat.
 */
function GuestOnly(props: { children: JSX.Element }) {
  const [params] = useSearchParams();
  return (
    <Switch>
      <Match when={me() === undefined}>
        <Loading />
      </Match>
      <Match when={me()}>
        <Navigate href={safeNext(params.next)} />
      </Match>
      <Match when={me() === null}>{props.children}</Match>
    </Switch>
  );
}

function NotFound() {
  usePageTitle(() => t("notFound.title"));
  return (
    <main class="not-found" id="main">
      <h1>{t("notFound.title")}</h1>
      <p class="muted">{t("notFound.text")}</p>
      <A href="/" class="button">{t("notFound.home")}</A>
    </main>
  );
}

/** Logging out anywhere (another tab, another device, an admin) brings this tab back to /login. */
function SessionWatcher(props: { children?: JSX.Element }) {
  const navigate = useNavigate();
  // Notifications (desktop, and the service worker's) open messages through the router.
  setNavigate((path) => navigate(path));
  // The reason rides in the URL so the login page can say why (issue 19 §10: disabled by an admin).
  onCleanup(onSessionEnded((reason) => navigate(`/login?ended=${reason === "ended" ? "1" : reason}`, { replace: true })));
  return props.children;
}

export function App() {
  return (
    <Router root={(props) => <SessionWatcher>{props.children}</SessionWatcher>}>
      <Route path="/" component={Home} />
      <Route path="/login" component={() => <GuestOnly><Login /></GuestOnly>} />
      <Route path="/register" component={() => <GuestOnly><Register /></GuestOnly>} />
      <Route path="/reset-password" component={() => <GuestOnly><ResetPassword /></GuestOnly>} />
      <Route path="/chat/threads" component={() => <RequireLogin><Chat /></RequireLogin>} />
      <Route path="/chat/r/:roomId/m/:messageId" component={() => <RequireLogin><Chat /></RequireLogin>} />
      <Route path="/chat/:roomId?" component={() => <RequireLogin><Chat /></RequireLogin>} />
      <Route path="/dashboard" component={() => <RequireLogin allowPasswordChange><Dashboard /></RequireLogin>} />
      <Route path="*" component={NotFound} />
    </Router>
  );
}
