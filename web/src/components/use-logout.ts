// Logging out from this tab, wherever the button is: the session ends here even if the server
// cannot be reached, and the login page follows.
import { useNavigate } from "@solidjs/router";
import { api, call } from "../api/http.ts";
import { signedOut } from "../stores/session.ts";

export function useLogout(): () => Promise<void> {
  const navigate = useNavigate();
  return async () => {
    try {
      await call(api.auth.logout.post(), { expectUnauthorized: true });
    } finally {
      signedOut();
      navigate("/login", { replace: true });
    }
  };
}
