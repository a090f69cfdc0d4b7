// Rooms: create, list, join, leave, invite, remove, rename, archive. Each change is one transaction;
// after it commits, the affected sockets are (un)subscribed and the fact is announced.
import type { Database } from "bun:sqlite";
import type { Actor } from "../accounts/sessions.ts";
import {
  MAX_ROOM_NAME_LENGTH,
  MAX_ROOM_TOPIC_LENGTH,
  type Member,
  type PublicRoomPage,
  type Room,
  type RoomInfo,
} from "../protocol.ts";
import { hasVisibleText } from "../text/visible-text.ts";
import type { Hub } from "../ws/broadcast.ts";
import { chatErrors } from "./chat-errors.ts";
import type { Access, RoomQueries } from "./room-queries.ts";

export interface RoomDeps {
  db: Database;
  queries: RoomQueries;
  hub: Hub;
  isOnline(userId: number): boolean;
}

export interface NewRoom {
  kind: "public" | "private";
  name: string;
  topic?: string;
  /** Users to add at once (private rooms are invitation-only). */
  members?: number[];
}

export interface RoomPatch {
  name?: string;
  topic?: string;
  archived?: boolean;
}

// Control characters (newlines included) have no place in a name or topic line.
const CONTROL = /[\p{Cc}\u2028\u2029]/u;
const DISGUISING = /[\u200B\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/u;

export function cleanName(raw: string): string {
  const name = raw.trim();
  if (!hasVisibleText(name) || name.length > MAX_ROOM_NAME_LENGTH || CONTROL.test(name)) {
    throw chatErrors.invalid(`A room name is 1 to ${MAX_ROOM_NAME_LENGTH} characters on one line.`);
  }
  // A lone surrogate would be stored as U+FFFD: refuse it rather than keep something else than was sent.
  if (!name.isWellFormed()) throw chatErrors.invalid("A room name must be valid Unicode text.");
  // Names are shown everywhere (sidebar, switcher, notifications): like usernames and display names
  // they may not carry invisible or direction-reversing characters that disguise what they say.
  if (DISGUISING.test(name)) throw chatErrors.invalid("A room name may not contain invisible or direction-changing characters.");
  return name;
}

export function cleanTopic(raw: string): string {
  const topic = raw.trim();
  if (topic.length > MAX_ROOM_TOPIC_LENGTH || CONTROL.test(topic)) {
    throw chatErrors.invalid(`A topic is at most ${MAX_ROOM_TOPIC_LENGTH} characters on one line.`);
  }
  if (!topic.isWellFormed()) throw chatErrors.invalid("A topic must be valid Unicode text.");
  return topic;
}

export function createRooms({ db, queries: q, hub, isOnline }: RoomDeps) {
  /** Members see a room; so may an admin see a public one (to moderate it). Everyone else: not found. */
  function visible(actor: Actor, roomId: number): Access {
    const access = q.access(actor.userId, roomId);
    if (!access || (access.role === null && !(actor.isAdmin && access.kind === "public"))) throw chatErrors.roomNotFound();
    return access;
  }

  function member(actor: Actor, roomId: number): Access {
    return q.memberAccess(actor.userId, roomId);
  }

  /** The room owner or a server admin may manage a room; DMs have fixed participants. */
  function manageable(actor: Actor, roomId: number): Access {
    const access = visible(actor, roomId);
    if (access.kind === "dm") throw chatErrors.cannotLeaveDm();
    if (access.role !== "owner" && !actor.isAdmin) throw chatErrors.notAllowed("Only the room's owner or an admin can do this.");
    return access;
  }

  function memberView(userId: number, roomId: number): Member {
    const row = q.member.get(roomId, userId);
    if (!row) throw chatErrors.notMember();
    return { ...row, online: isOnline(userId) };
  }

  /** After a membership commits: subscribe the user's sockets, tell them and the room. */
  function announceJoined(userId: number, roomId: number): void {
    hub.subscribe(userId, roomId);
    const room = q.roomFor(userId, roomId);
    if (room) hub.toUser(userId, { type: "room.added", room });
    hub.toRoom(roomId, { type: "member.joined", roomId, member: memberView(userId, roomId) });
  }

  function announceLeft(userId: number, roomId: number, reason: "left" | "removed"): void {
    hub.unsubscribe(userId, roomId);
    hub.toUser(userId, { type: "room.removed", roomId, reason });
    hub.toRoom(roomId, { type: "member.left", roomId, userId, reason });
  }

  function activeUsers(ids: Iterable<number>): number[] {
    const found: number[] = [];
    for (const id of new Set(ids)) {
      if (!q.activeUser.get(id)) throw chatErrors.userNotFound();
      found.push(id);
    }
    return found;
  }

  const removeMember = db.transaction((roomId: number, userId: number) => {
    const removed = q.deleteMember.get(roomId, userId);
    if (!removed) return false;
    // A room keeps an owner while it has members: the longest-standing member takes over.
    if (removed.role === "owner" && q.ownerCount.get(roomId)!.n === 0) q.promoteEldest.get(roomId, roomId);
    return true;
  });

  return {
    visible,
    member,

    list(actor: Actor): Room[] {
      return q.roomsFor(actor.userId);
    },

    get(actor: Actor, roomId: number): Room {
      member(actor, roomId);
      return q.roomFor(actor.userId, roomId)!;
    },

    /**
     * One page of unarchived public rooms by name, after the public room `after` (by its current
     * name, so a rename between pages may move it), whose names contain `query` (ASCII
     * case-insensitive). Rooms are never deleted, so an unknown cursor is a client's mistake.
     */
    browse(actor: Actor, page: { after?: number; limit: number; query?: string }): PublicRoomPage {
      let cursor: string | null = null;
      if (page.after !== undefined) {
        cursor = q.publicRoomName.get(page.after)?.name ?? null;
        if (cursor === null) throw chatErrors.invalid("`after` must be the id of a public room from an earlier page.");
      }
      const needle = (page.query ?? "").trim().replace(/[\\%_]/g, (c) => `\\${c}`);
      const rows = q.publicRooms.all(actor.userId, cursor, page.after ?? 0, `%${needle}%`, page.limit + 1);
      const rooms = rows.slice(0, page.limit).map((row) => ({ ...row, joined: row.joined === 1 }));
      return { rooms, nextAfter: rows.length > page.limit ? rooms[rooms.length - 1]!.id : null };
    },

    create(actor: Actor, input: NewRoom): Room {
      const name = cleanName(input.name);
      const topic = cleanTopic(input.topic ?? "");
      const invited = activeUsers((input.members ?? []).filter((id) => id !== actor.userId));
      const now = Date.now();
      const roomId = db.transaction(() => {
        q.assertRoomFor(actor.userId, true);
        for (const userId of invited) q.assertRoomFor(userId, false);
        const { id } = q.insertRoom.get(input.kind, name, topic, actor.userId, now, null)!;
        q.insertMember.get(id, actor.userId, "owner", now);
        for (const userId of invited) q.insertMember.get(id, userId, "member", now);
        return id;
      })();
      hub.subscribe(actor.userId, roomId);
      const room = q.roomFor(actor.userId, roomId)!;
      hub.toUser(actor.userId, { type: "room.added", room });
      for (const userId of invited) announceJoined(userId, roomId);
      return room;
    },

    update(actor: Actor, roomId: number, patch: RoomPatch): RoomInfo {
      manageable(actor, roomId);
      const current = q.roomInfo.get(roomId)!;
      const name = patch.name === undefined ? current.name : cleanName(patch.name);
      const topic = patch.topic === undefined ? current.topic : cleanTopic(patch.topic);
      const archivedAt = patch.archived === undefined ? current.archivedAt : patch.archived ? (current.archivedAt ?? Date.now()) : null;
      if (current.archivedAt !== null && archivedAt !== null && (name !== current.name || topic !== current.topic)) {
        throw chatErrors.roomArchived();
      }
      q.updateRoom.run(name, topic, archivedAt, roomId);
      const info = q.roomInfo.get(roomId)!;
      hub.toRoom(roomId, { type: "room.updated", room: info });
      return info;
    },

    /** Joining a public room; joining twice is fine. Private rooms and DMs are not found. */
    join(actor: Actor, roomId: number): Room {
      const access = q.access(actor.userId, roomId);
      if (!access || (access.role === null && access.kind !== "public")) throw chatErrors.roomNotFound();
      if (access.role !== null) return q.roomFor(actor.userId, roomId)!;
      if (access.archivedAt !== null) throw chatErrors.roomArchived();
      q.assertRoomFor(actor.userId, true);
      q.insertMember.get(roomId, actor.userId, "member", Date.now());
      announceJoined(actor.userId, roomId);
      return q.roomFor(actor.userId, roomId)!;
    },

    leave(actor: Actor, roomId: number): { roomId: number } {
      const access = member(actor, roomId);
      if (access.kind === "dm") throw chatErrors.cannotLeaveDm();
      if (removeMember(roomId, actor.userId)) announceLeft(actor.userId, roomId, "left");
      return { roomId };
    },

    /** Adds a user: any member may add to a public room; the owner or an admin to a private one. */
    invite(actor: Actor, roomId: number, userId: number): Member {
      // visible(): an admin may also add people to a public room they are not in.
      const access = visible(actor, roomId);
      if (access.kind === "dm") throw chatErrors.cannotLeaveDm();
      if (access.kind === "private" && access.role !== "owner" && !actor.isAdmin) {
        throw chatErrors.notAllowed("Only the room's owner or an admin can invite to a private room.");
      }
      if (access.archivedAt !== null) throw chatErrors.roomArchived();
      activeUsers([userId]);
      if (!q.access(userId, roomId)?.role) q.assertRoomFor(userId, userId === actor.userId);
      if (q.insertMember.get(roomId, userId, "member", Date.now())) announceJoined(userId, roomId);
      return memberView(userId, roomId);
    },

    remove(actor: Actor, roomId: number, userId: number): { roomId: number; userId: number } {
      manageable(actor, roomId);
      if (!removeMember(roomId, userId)) throw chatErrors.notMember();
      announceLeft(userId, roomId, userId === actor.userId ? "left" : "removed");
      return { roomId, userId };
    },

    members(actor: Actor, roomId: number): Member[] {
      member(actor, roomId);
      return q.members.all(roomId).map((row) => ({ ...row, online: isOnline(row.id) }));
    },
  };
}

export type Rooms = ReturnType<typeof createRooms>;
