// The JSON shapes of the accounts, sessions and admin API. The web client imports these as types
// (`import type`), so this file holds types only and imports nothing at run time.

export type RegistrationMode = "open" | "invite" | "closed";

/** An account as the API shows it. Times are milliseconds since the epoch. */
export interface User {
  id: number;
  username: string;
  displayName: string | null;
  isAdmin: boolean;
  disabled: boolean;
  createdAt: number;
  lastSeenAt: number | null;
  /** Set after an admin or operator reset: the client should ask for a new password first. */
  mustChangePassword: boolean;
}

/** A user in the admin's list: status and last seen at a glance. */
export interface AdminUser extends User {
  /** Live sessions (logged-in devices). */
  sessions: number;
  /** Present when the server tracks presence. */
  online?: boolean;
}

export interface SessionInfo {
  id: string;
  userAgent: string;
  ip: string;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
  /** The session making this request. */
  current: boolean;
}

export type InviteStatus = "active" | "expired" | "used_up" | "revoked";

export interface Invite {
  id: string;
  createdBy: number | null;
  createdAt: number;
  expiresAt: number;
  maxUses: number;
  uses: number;
  revokedAt: number | null;
  status: InviteStatus;
}

export interface AuditEntry {
  id: number;
  at: number;
  event: string;
  actorId: number | null;
  actorName: string | null;
  target: string | null;
  ip: string | null;
  detail: Record<string, string | number | boolean | null> | null;
}

export interface ServerStats {
  users: number;
  admins: number;
  disabledUsers: number;
  sessions: number;
  rooms: number;
  messages: number;
  /** Sum of stored file sizes when files are tracked, else the database's size. */
  storageBytes: number;
  /** Size of the database file (including its write-ahead log). */
  databaseBytes: number;
  registrationMode: RegistrationMode;
  /** Ids of users with an open socket, when the server tracks presence. */
  online?: number[];
}

// Request bodies.
export interface RegisterBody {
  username: string;
  password: string;
  displayName?: string;
  invite?: string;
}
export interface LoginBody {
  username: string;
  password: string;
}
export interface ChangePasswordBody {
  currentPassword: string;
  newPassword: string;
}
export interface UpdateProfileBody {
  /** null or "" clears it. */
  displayName: string | null;
}
export interface DeleteAccountBody {
  password: string;
}
export interface AdminUpdateUserBody {
  isAdmin?: boolean;
  disabled?: boolean;
}
export interface CreateInviteBody {
  /** Default 168 (7 days); 1 to 720. */
  expiresInHours?: number;
  /** Default 1; 1 to 1000. */
  maxUses?: number;
}
export interface SettingsBody {
  registrationMode: RegistrationMode;
}

// Responses.
export interface UserResponse {
  user: User;
}
export interface SessionsResponse {
  sessions: SessionInfo[];
}
export interface RevokedResponse {
  revoked: number;
}
export interface RegistrationInfo {
  mode: RegistrationMode;
}
/** GET /api/auth/session: always 200, so a logged-out visitor's probe is not a failed request. */
export interface SessionProbe {
  user: User | null;
  registrationMode: RegistrationMode;
}
export interface AdminUsersResponse {
  users: AdminUser[];
}
export interface ResetPasswordResponse {
  user: User;
  /** Shown once; the user must change it at the next login. */
  password: string;
}
export interface InvitesResponse {
  invites: Invite[];
}
export interface CreatedInviteResponse {
  invite: Invite;
  /** Shown once; only its SHA-256 is stored. */
  token: string;
  /** Relative link to hand out; the token rides in the fragment so it never reaches a server log. */
  link: string;
}
export interface SettingsResponse {
  registrationMode: RegistrationMode;
}
export interface AuditResponse {
  entries: AuditEntry[];
}
