import { Route, Router } from "@solidjs/router";
import { Home } from "./pages/Home.tsx";

export function App() {
  return (
    <Router>
      <Route path="/" component={Home} />
      <Route path="/login" component={Home} />
      <Route path="/register" component={Home} />
      <Route path="/chat" component={Home} />
      <Route path="/dashboard" component={Home} />
      <Route path="*" component={Home} />
    </Router>
  );
}
