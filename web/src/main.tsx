import { render } from "solid-js/web";
import { App } from "./App.tsx";
import { loadMe } from "./stores/session.ts";
import { startChatWithSession } from "./stores/chat.ts";
import "./styles/tokens.css";
import "./styles/base.css";
import "./styles/pages.css";
import "./styles/chat.css";
import "./styles/conversations.css";
import "./styles/dashboard.css";

startChatWithSession();
void loadMe();
render(() => <App />, document.getElementById("root")!);
