// Everything under accounts, sessions and admin, mounted by createApp in one line.
import { Elysia } from "elysia";
import type { Services } from "../services.ts";
import { accountRoutes } from "./account-routes.ts";
import { adminRoutes } from "./admin-routes.ts";
import { authRoutes } from "./auth-routes.ts";
import { exportRoutes } from "./export-routes.ts";
import { passkeyRoutes } from "./passkey-routes.ts";
import { securityRoutes } from "./security-routes.ts";
import { sessionRoutes } from "./session-routes.ts";

export function accountApi(services: Services) {
  // `accounts` is also exposed on the app (app.decorator.accounts) so tests can watch session events
  // and read the audit log of the very app they drive.
  return new Elysia()
    .decorate("accounts", services.accounts)
    .use(authRoutes(services))
    .use(sessionRoutes(services))
    .use(accountRoutes(services))
    .use(securityRoutes(services))
    .use(passkeyRoutes(services))
    .use(exportRoutes(services))
    .use(adminRoutes(services));
}
