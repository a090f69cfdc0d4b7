// The server's JSON shapes the interface names, imported as types only: nothing from src/ is bundled
// into the web app. (Answers of the API calls are typed by the client itself: api/http.ts.)
export type {
  AdminUser,
  AuditAbout,
  AuditEntry,
  ExportInfo,
  FactorPolicy,
  Invite,
  PasskeyConfig,
  PasskeyInfo,
  RegistrationMode,
  SecondFactorMethod,
  SecurityOverview,
  SessionInfo,
  SessionProbe,
} from "../../../src/accounts/types.ts";

import type { User } from "../../../src/accounts/types.ts";
/** The logged-in user. */
export type Me = User;

export type { CertificateStatus } from "../../../src/tls/certificate-status.ts";
export type { AdminServerStats } from "../../../src/http/admin-routes.ts";
