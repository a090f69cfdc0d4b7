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
  /** Has TOTP on or a passkey. */
  secondFactor: boolean;
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
  /** The room a new account made with it joins (an invite from that room's "Add people"), or null. */
  roomId: number | null;
}

/** POST /api/auth/invite: what an invite link's landing page says, for the holder of a valid link. */
export interface InviteInfo {
  serverName: string | null;
  /** Who made the link (their names only), null when that account is gone. */
  invitedBy: { username: string; displayName: string | null } | null;
  /** The room the new account will join, null for none (or one archived since). */
  room: { name: string; kind: "public" | "private" } | null;
  expiresAt: number;
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
  /** The target when it is a reference ("user:12", "room:5", "message:340"), resolved now (audit-about.ts). */
  about?: AuditAbout;
}

export interface AuditAbout {
  kind: "user" | "room" | "message";
  id: number;
  /** The username or room name; null when gone (or a DM, which has none). */
  name: string | null;
  /** A DM, for rooms and a message's room. */
  dm?: true;
  /** A message's room, while the message exists. */
  roomId?: number;
  roomName?: string | null;
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
  serverName: string | null;
  /** No administrator yet: the next account made becomes it, with or without an invite. */
  firstAccount: boolean;
}
/** GET /api/auth/session: always 200, so a logged-out visitor's probe is not a failed request. */
export interface SessionProbe {
  user: User | null;
  registrationMode: RegistrationMode;
  /** The server's name, shown on the login page and in titles; null: "VaultRoom". */
  serverName: string | null;
  /** True for an administrator while the first-run setup (issue 19) has not been done or skipped. */
  setupNeeded: boolean;
  /**
   * The admin's policy asks this account for a second factor it does not have: logins left before
   * enrolment is forced (0: this session can only enrol). null when nothing is asked.
   */
  enrolment?: { graceLoginsLeft: number } | null;
}
export interface AdminUsersResponse {
  users: AdminUser[];
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
  serverName: string | null;
}

/** POST /api/admin/setup: the first administrator's welcome (issue 19). */
export interface SetupBody {
  /** Empty or absent: no name (the interface says "VaultRoom"). */
  serverName?: string | null;
  registrationMode: RegistrationMode;
  /** Create a public #general room (or join the one there is) for everyone. */
  createGeneral: boolean;
  /** Its topic, in the administrator's language. */
  generalTopic?: string;
}

export interface SetupResponse {
  serverName: string | null;
  registrationMode: RegistrationMode;
  /** #general, when asked for. */
  roomId: number | null;
  /** A link for the first colleagues (into #general), unless registration is closed. */
  invite: CreatedInviteResponse | null;
}
export interface AuditResponse {
  entries: AuditEntry[];
}

// Two-factor sign-in, passkeys, re-authentication, reset links and exports (issue 14).
export type SecondFactorMethod = "totp" | "recovery" | "passkey";
export type FactorPolicy = "off" | "admins" | "everyone";

/** A correct password for an account with a second factor: no session yet, only a half-session cookie. */
export interface SecondFactorRequired {
  secondFactor: "required";
  methods: SecondFactorMethod[];
}
export type LoginResponse = UserResponse | SecondFactorRequired;

export interface PasskeyInfo {
  id: string;
  name: string;
  createdAt: number;
  lastUsedAt: number | null;
}

export interface SecurityOverview {
  totp: { enabled: boolean; enabledAt: number | null };
  passkeys: PasskeyInfo[];
  /** Unused recovery codes. */
  recoveryCodesLeft: number;
  /** Until when this session counts as re-authenticated; null when it does not. */
  reauthUntil: number | null;
  policy: {
    /** The admin's policy asks this account for a second factor. */
    required: boolean;
    /** Logins left before enrolment is forced (null when nothing is asked, or a factor is there). */
    graceLoginsLeft: number | null;
    /** The grace is used up: this session can only enrol. */
    mustEnrol: boolean;
  };
}

export interface TotpSetupResponse {
  /** Base32, to type into an authenticator app by hand. */
  secret: string;
  /** otpauth:// URI, what the QR code holds. */
  uri: string;
}
export interface RecoveryCodesResponse {
  /** Shown once; only hashes are stored. */
  recoveryCodes: string[];
}
export interface ReauthResponse {
  reauthUntil: number;
}
/** Where the browser may use passkeys: the relying party the server was configured for. */
export interface PasskeyConfig {
  rpId: string;
  /** The certificate is self-signed: browsers refuse passkeys unless the host is localhost. */
  selfSigned: boolean;
}
export interface FactorPolicyResponse {
  policy: FactorPolicy;
  graceLogins: number;
}
export interface ResetLinkResponse {
  user: User;
  /** Relative link with the token in the fragment; shown once, only its hash is stored. */
  link: string;
  expiresAt: number;
}

export type ExportStatus = "running" | "ready" | "failed";
export interface ExportInfo {
  id: string;
  /** null: my own data; a room id: an admin's export of that room. */
  roomId: number | null;
  status: ExportStatus;
  progress: number;
  createdAt: number;
  expiresAt: number;
  size: number | null;
}
export interface ExportsResponse {
  exports: ExportInfo[];
  /** When the next export of my data may start (one an hour); null: now. */
  nextAllowedAt: number | null;
}
