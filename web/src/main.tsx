import { render } from "solid-js/web";
import { App } from "./App.tsx";
import { loadMe } from "./stores/session.ts";
import { startChatWithSession } from "./stores/chat.ts";
import { registerServiceWorker } from "./notifications/push-subscription.ts";
import { navigateTo } from "./stores/navigation.ts";
import { startFocusRescue } from "./components/focus-rescue.ts";
import "./styles/tokens.css";
import "./styles/base.css";
import "./styles/pages.css";
import "./styles/chat.css";
import "./styles/conversations.css";
import "./styles/search.css";
import "./styles/dashboard.css";
import "./styles/notifications.css";

startChatWithSession();
registerServiceWorker();
startFocusRescue();
// A notification clicked while this tab was open: the service worker asks it to open the message.
navigator.serviceWorker?.addEventListener("message", (event: MessageEvent<{ type?: string; url?: string }>) => {
  if (event.data?.type === "open" && typeof event.data.url === "string" && event.data.url.startsWith("/chat/")) navigateTo(event.data.url);
});
void loadMe();
render(() => <App />, document.getElementById("root")!);
