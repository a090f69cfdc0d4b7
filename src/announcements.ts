// What a committed write tells the connected world. Domain commands announce inside their
// transaction (tx.announce); the write queue delivers the announcements only after the commit, in
// commit order, and — in a cluster — stores them with the commit (an outbox) so that every node
// delivers the same facts in the same order, even one that missed the live publish. The socket
// layer implements delivery (ws/hub.ts); domain code never sees a socket.
import type { LogFields } from "./log.ts";
import type { ServerEvent } from "./protocol.ts";

/** Who receives an event: a room's members, one user's devices, several users, or everyone connected. */
export type Audience = { room: number } | { user: number } | { users: number[] } | { everyone: true };

export type Announcement =
  /** A frame for an audience. */
  | { kind: "event"; to: Audience; event: ServerEvent }
  /** The user became a member: their open sockets start receiving the room. */
  | { kind: "joined"; userId: number; roomId: number }
  /** The membership ended: nothing more from the room reaches any of the user's sockets. */
  | { kind: "left"; userId: number; roomId: number }
  /** Sessions ended (logout, revocation, disabling, reset, expiry): their sockets close now. */
  | { kind: "sessions.ended"; sessionIds: string[]; reason: string }
  /** The account changed (admin flag, names): open sockets re-read it before acting again. */
  | { kind: "user.changed"; userId: number }
  /** A line for the operator's JSON log (audit events), written once the fact is durable, by the node that did it. */
  | { kind: "log"; level: "info" | "warn"; event: string; fields: LogFields };

export const toRoom = (roomId: number, event: ServerEvent): Announcement => ({ kind: "event", to: { room: roomId }, event });
export const toUser = (userId: number, event: ServerEvent): Announcement => ({ kind: "event", to: { user: userId }, event });
export const toUsers = (userIds: number[], event: ServerEvent): Announcement => ({ kind: "event", to: { users: userIds }, event });

/**
 * Where committed announcements go: the local hub, and in a cluster the other nodes too. Called once
 * per committed batch, before any submitter hears back, with each command's announcements in commit
 * order; `seq` is the batch's place in the cluster's outbox (null on the embedded engine), and `json`
 * the batch as the outbox stored it (JSON.stringify(batch)), so that it is serialised only once.
 */
export interface Announcer {
  deliver(batch: readonly (readonly Announcement[])[], seq: number | null, json?: string): void;
}
