// Logging out from this tab, wherever the button is: the session ends here even if the server
// cannot be reached, and the login page follows.
import { useNavigate } from "@solidjs/router";
import { accounts } from "../api/accounts.ts";
import { signedOut } from "../stores/session.ts";

export function useLogout(): () => Promise<void> {
  const navigate = useNavigate();
  return async () => {
    try {
      await accounts.logout();
    } finally {
      signedOut();
      navigate("/login", { replace: true });
    }
  };
}
