// The accounts API (docs/API-accounts.md): one function per call, typed with the server's shapes.
import { http } from "./http.ts";
import type {
  AdminServerStats,
  AdminUsersResponse,
  CreatedInviteResponse,
  InvitesResponse,
  RegistrationInfo,
  RegistrationMode,
  ResetPasswordResponse,
  SessionsResponse,
  SettingsResponse,
  User,
  UserResponse,
} from "./types.ts";

export const accounts = {
  login: (username: string, password: string) =>
    http.post<UserResponse>("/api/auth/login", { username, password }, { expectUnauthorized: true }),
  register: (body: { username: string; password: string; displayName?: string; invite?: string }) =>
    http.post<UserResponse>("/api/auth/register", body, { expectUnauthorized: true }),
  logout: () => http.post<void>("/api/auth/logout", {}, { expectUnauthorized: true }),
  registration: () => http.get<RegistrationInfo>("/api/auth/registration", { expectUnauthorized: true }),

  updateProfile: (displayName: string | null) => http.patch<UserResponse>("/api/account", { displayName }),
  changePassword: (currentPassword: string, newPassword: string) =>
    http.post<UserResponse>("/api/account/password", { currentPassword, newPassword }),
  deleteAccount: (password: string) => http.delete<void>("/api/account", { password }),

  sessions: () => http.get<SessionsResponse>("/api/sessions"),
  endSession: (id: string) => http.delete<void>(`/api/sessions/${encodeURIComponent(id)}`),
  endOtherSessions: () => http.post<{ revoked: number }>("/api/sessions/revoke-others", {}),
};

export const admin = {
  users: () => http.get<AdminUsersResponse>("/api/admin/users"),
  updateUser: (id: number, patch: { isAdmin?: boolean; disabled?: boolean }) =>
    http.patch<UserResponse>(`/api/admin/users/${id}`, patch),
  resetPassword: (id: number) => http.post<ResetPasswordResponse>(`/api/admin/users/${id}/reset-password`, {}),
  stats: () => http.get<AdminServerStats>("/api/admin/stats"),
  settings: () => http.get<SettingsResponse>("/api/admin/settings"),
  setRegistrationMode: (registrationMode: RegistrationMode) =>
    http.patch<SettingsResponse>("/api/admin/settings", { registrationMode }),
  invites: () => http.get<InvitesResponse>("/api/admin/invites"),
  createInvite: (body: { expiresInHours?: number; maxUses?: number }) =>
    http.post<CreatedInviteResponse>("/api/admin/invites", body),
  revokeInvite: (id: string) => http.delete<void>(`/api/admin/invites/${encodeURIComponent(id)}`),
};

export type { User };
