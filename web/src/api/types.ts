// The server's JSON shapes, imported as types only: nothing from src/ is bundled into the web app.
export type {
  AdminUser,
  AdminUsersResponse,
  CreatedInviteResponse,
  Invite,
  InvitesResponse,
  RegistrationInfo,
  RegistrationMode,
  ResetPasswordResponse,
  ServerStats,
  SessionInfo,
  SessionProbe,
  SessionsResponse,
  SettingsResponse,
  User,
  UserResponse,
} from "../../../src/accounts/types.ts";

import type { User } from "../../../src/accounts/types.ts";
/** The logged-in user. */
export type Me = User;

export type { CertificateStatus } from "../../../src/tls/certificate-status.ts";
export type { AdminServerStats } from "../../../src/http/admin-routes.ts";
