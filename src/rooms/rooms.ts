// Rooms: create, list, join, leave, invite, remove, rename, archive. Each change is one command; it
// announces what it did from inside its transaction (announce.ts), delivered once it has committed.
import type { Actor } from "../accounts/sessions.ts";
import { command, type Conn, type Store } from "../db/store.ts";
import {
  MAX_ROOM_NAME_LENGTH,
  MAX_ROOM_TOPIC_LENGTH,
  type Member,
  type PinPolicy,
  type PublicRoomPage,
  type Room,
  type RoomInfo,
  type RoomMember,
  type UserRef,
} from "../protocol.ts";
import { users } from "../accounts/users.ts";
import { announceJoined, announceLeft } from "./announce.ts";
import { consent, type Admission } from "./consent.ts";
import { hasVisibleText } from "../text/visible-text.ts";
import { chatErrors } from "./chat-errors.ts";
import { roomQueries as q, type Access } from "./room-queries.ts";
import { systemLine } from "./system-lines.ts";
import { bans } from "../moderation/bans.ts";
import { moderationErrors } from "../moderation/errors.ts";

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
  /** Public rooms only: who may pin. */
  pinPolicy?: PinPolicy;
}

/** A new room, and the invitees who were sent a request instead of being added (consent.ts). */
export interface CreatedRoom {
  room: Room;
  requested: number[];
}

/** What adding someone did: added them (member), or sent them a request (requested). */
export interface Invited {
  member: RoomMember | null;
  requested: UserRef | null;
}

/** Who acts, as commands need it: plain data. */
export interface ActorRef {
  userId: number;
  isAdmin: boolean;
}

const ref = (actor: Actor): ActorRef => ({ userId: actor.userId, isAdmin: actor.isAdmin });

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

/** Members see a room; so may an admin see a public one (to moderate it). Everyone else: not found. */
export async function visible(db: Conn, claimed: ActorRef, roomId: number): Promise<Access> {
  const access = await q.access(db, claimed.userId, roomId);
  // Admin rights are confirmed in the database only when they are what decides (users.confirmed).
  const actor = access && access.role === null ? await users.confirmed(db, claimed) : claimed;
  if (!access || (access.role === null && !(actor.isAdmin && access.kind === "public"))) throw chatErrors.roomNotFound();
  return access;
}

/** The room owner or a server admin may manage a room; DMs have fixed participants. */
async function manageable(db: Conn, claimed: ActorRef, roomId: number): Promise<Access> {
  const access = await visible(db, claimed, roomId);
  if (access.kind === "dm") throw chatErrors.cannotLeaveDm();
  const actor = access.role !== "owner" ? await users.confirmed(db, claimed) : claimed;
  if (access.role !== "owner" && !actor.isAdmin) throw chatErrors.notAllowed("Only the room's owner or an admin can do this.");
  return access;
}

async function assertActiveUsers(db: Conn, ids: Iterable<number>): Promise<number[]> {
  const found: number[] = [];
  for (const id of new Set(ids)) {
    if (!(await q.activeUser(db, id))) throw chatErrors.userNotFound();
    found.push(id);
  }
  return found;
}

export const createRoom = command(
  "rooms.create",
  async (tx, input: { actor: ActorRef; kind: "public" | "private"; name: string; topic: string; invited: number[]; now: number }): Promise<CreatedRoom> => {
    const { actor, invited, now } = input;
    await assertActiveUsers(tx, invited);
    await q.assertRoomFor(tx, actor.userId);
    // Every invitee's admission is decided (and may refuse) before anything is written.
    const admissions: [number, Admission][] = [];
    for (const userId of invited) admissions.push([userId, await consent.decide(tx, actor.userId, userId, null)]);
    const roomId = await q.insertRoom(tx, input.kind, input.name, input.topic, actor.userId, now, null);
    await q.insertMember(tx, roomId, actor.userId, "owner", now);
    tx.announce({ kind: "joined", userId: actor.userId, roomId });
    const requested: number[] = [];
    for (const [userId, admission] of admissions) {
      await consent.apply(tx, admission, actor.userId, userId, roomId, now);
      if (admission === "request") requested.push(userId);
    }
    // After the members: the count it carries is final, and the member.joined events before it are
    // for a room this client does not hold yet (ignored), so nobody is counted twice.
    const room = (await q.roomFor(tx, actor.userId, roomId))!;
    tx.announce({ kind: "event", to: { user: actor.userId }, event: { type: "room.added", room } });
    return { room, requested };
  },
);

const updateRoom = command("rooms.update", async (tx, input: { actor: ActorRef; roomId: number; patch: RoomPatch; now: number }): Promise<RoomInfo> => {
  const { roomId, patch } = input;
  await manageable(tx, input.actor, roomId);
  const current = (await q.roomInfo(tx, roomId))!;
  const name = patch.name === undefined ? current.name : cleanName(patch.name);
  const topic = patch.topic === undefined ? current.topic : cleanTopic(patch.topic);
  const archivedAt = patch.archived === undefined ? current.archivedAt : patch.archived ? (current.archivedAt ?? input.now) : null;
  if (patch.pinPolicy !== undefined && patch.pinPolicy !== current.pinPolicy && current.kind !== "public") {
    throw chatErrors.invalid("Only public rooms choose who may pin: in private rooms every member may.");
  }
  const pinPolicy = patch.pinPolicy ?? current.pinPolicy;
  const changed = name !== current.name || topic !== current.topic || pinPolicy !== current.pinPolicy;
  if (current.archivedAt !== null && archivedAt !== null && changed) throw chatErrors.roomArchived();
  await q.updateRoom(tx, roomId, name, topic, archivedAt, pinPolicy);
  const info = (await q.roomInfo(tx, roomId))!;
  tx.announce({ kind: "event", to: { room: roomId }, event: { type: "room.updated", room: info } });
  if (name !== current.name) await systemLine(tx, roomId, input.actor.userId, { kind: "renamed", name }, input.now);
  if (topic !== current.topic) await systemLine(tx, roomId, input.actor.userId, { kind: "topic", topic }, input.now);
  return info;
});

/**
 * Joining a public room, or accepting an invitation to any room or DM (a request, consent.ts);
 * joining twice is fine. Private rooms and DMs one was not invited to are not found.
 */
export const joinRoom = command("rooms.join", async (tx, input: { userId: number; roomId: number; now: number }): Promise<Room> => {
  const { userId, roomId } = input;
  const access = await q.access(tx, userId, roomId);
  const invited = access !== null && access.role === null && (await consent.request(tx, userId, roomId)) !== null;
  if (!access || (access.role === null && access.kind !== "public" && !invited)) throw chatErrors.roomNotFound();
  if (access.role !== null) return (await q.roomFor(tx, userId, roomId))!;
  if (access.archivedAt !== null && !invited) throw chatErrors.roomArchived();
  if (await bans.isBanned(tx, roomId, userId)) throw moderationErrors.banned();
  await q.assertRoomFor(tx, userId);
  await q.insertMember(tx, roomId, userId, "member", input.now);
  if (invited) await consent.removeRequest(tx, userId, roomId, "accepted");
  await announceJoined(tx, userId, roomId);
  await systemLine(tx, roomId, userId, { kind: "joined" }, input.now);
  return (await q.roomFor(tx, userId, roomId))!;
});

/** Leaving a room or a group DM; a DM between two people can only be hidden. */
const leaveRoom = command("rooms.leave", async (tx, input: { userId: number; roomId: number; now: number }) => {
  const access = await q.memberAccess(tx, input.userId, input.roomId);
  if (access.kind === "dm" && (await q.participants(tx, input.roomId)).length <= 2) throw chatErrors.cannotLeaveOneToOne();
  if (await q.removeMember(tx, input.roomId, input.userId)) {
    await announceLeft(tx, input.userId, input.roomId, "left");
    await systemLine(tx, input.roomId, input.userId, { kind: "left" }, input.now);
  }
  return { roomId: input.roomId };
});

/** Puts a DM away until its next message (room.added brings it back then). */
const hideRoom = command("rooms.hide", async (tx, input: { userId: number; roomId: number }) => {
  const access = await q.memberAccess(tx, input.userId, input.roomId);
  if (access.kind !== "dm") throw chatErrors.invalid("Only direct conversations can be hidden; leave a room instead.");
  if (await q.hide(tx, input.roomId, input.userId)) {
    tx.announce({ kind: "event", to: { user: input.userId }, event: { type: "room.removed", roomId: input.roomId, reason: "hidden" } });
  }
  return { roomId: input.roomId };
});

/**
 * Adds a user: any member may add to a public room; the owner or an admin to a private one. Someone
 * the user has never talked to only sends a request (consent.ts); the answer says which happened.
 */
const inviteMember = command("rooms.invite", async (tx, input: { actor: ActorRef; roomId: number; userId: number; now: number }): Promise<Invited> => {
  const { roomId, userId, now } = input;
  // visible(): an admin may also add people to a public room they are not in.
  const access = await visible(tx, input.actor, roomId);
  if (access.kind === "dm") throw chatErrors.cannotLeaveDm();
  const actor = access.kind === "private" && access.role !== "owner" ? await users.confirmed(tx, input.actor) : input.actor;
  if (access.kind === "private" && access.role !== "owner" && !actor.isAdmin) {
    throw chatErrors.notAllowed("Only the room's owner or an admin can invite to a private room.");
  }
  if (access.archivedAt !== null) throw chatErrors.roomArchived();
  await assertActiveUsers(tx, [userId]);
  if (await bans.isBanned(tx, roomId, userId)) throw moderationErrors.userBanned();
  const user = (await q.activeUser(tx, userId))!;
  if (userId === actor.userId) {
    // An admin adding themselves to a public room: their own choice.
    if (!(await q.access(tx, userId, roomId))?.role) {
      await q.assertRoomFor(tx, userId);
      if (await q.insertMember(tx, roomId, userId, "member", now)) {
        await announceJoined(tx, userId, roomId);
        await systemLine(tx, roomId, userId, { kind: "joined" }, now);
      }
    }
    return { member: (await q.member(tx, roomId, userId))!, requested: null };
  }
  const admission = await consent.decide(tx, actor.userId, userId, roomId);
  await consent.apply(tx, admission, actor.userId, userId, roomId, now);
  if (admission === "request" || admission === "requested") return { member: null, requested: user };
  // Added at once (not a request, not a member already): the room's line says who added whom.
  if (admission === "add") await systemLine(tx, roomId, actor.userId, { kind: "added", userId }, now);
  return { member: (await q.member(tx, roomId, userId))!, requested: null };
});

/** Removes a member, or withdraws an invitation still waiting for the person's answer. */
const removeMember = command("rooms.remove", async (tx, input: { actor: ActorRef; roomId: number; userId: number; now: number }) => {
  const { actor, roomId, userId } = input;
  await manageable(tx, actor, roomId);
  if (!(await q.access(tx, userId, roomId))?.role) {
    if (await consent.removeRequest(tx, userId, roomId, "withdrawn")) return { roomId, userId };
    throw chatErrors.notMember();
  }
  await q.removeMember(tx, roomId, userId);
  const self = userId === actor.userId;
  await announceLeft(tx, userId, roomId, self ? "left" : "removed");
  await systemLine(tx, roomId, actor.userId, self ? { kind: "left" } : { kind: "removed", userId }, input.now);
  return { roomId, userId };
});

export function createRooms({ store, isOnline }: { store: Store; isOnline(userId: number): boolean }) {
  const db = store.read;
  const withPresence = <T extends { id: number }>(member: T) => ({ ...member, online: isOnline(member.id) });

  return {
    visible: (actor: Actor, roomId: number) => visible(db, ref(actor), roomId),
    member: (actor: Actor, roomId: number) => q.memberAccess(db, actor.userId, roomId),

    list: (actor: Actor): Promise<Room[]> => q.roomsFor(db, actor.userId),

    async get(actor: Actor, roomId: number): Promise<Room> {
      const room = await q.roomFor(db, actor.userId, roomId);
      if (!room) throw chatErrors.roomNotFound();
      return room;
    },

    /**
     * One page of unarchived public rooms by name, after the public room `after` (by its current
     * name, so a rename between pages may move it), whose names contain `query` (ASCII
     * case-insensitive). Rooms are never deleted, so an unknown cursor is a client's mistake.
     */
    async browse(actor: Actor, page: { after?: number; limit: number; query?: string }): Promise<PublicRoomPage> {
      let cursor: string | null = null;
      if (page.after !== undefined) {
        cursor = await q.publicRoomName(db, page.after);
        if (cursor === null) throw chatErrors.invalid("`after` must be the id of a public room from an earlier page.");
      }
      const needle = (page.query ?? "").trim().replace(/[\\%_]/g, (c) => `\\${c}`);
      const rows = await q.publicRooms(db, actor.userId, cursor, page.after ?? 0, `%${needle}%`, page.limit + 1);
      const rooms = rows.slice(0, page.limit).map((row) => ({ ...row, joined: row.joined === 1 }));
      return { rooms, nextAfter: rows.length > page.limit ? rooms[rooms.length - 1]!.id : null };
    },

    create(actor: Actor, input: NewRoom): Promise<CreatedRoom> {
      const name = cleanName(input.name);
      const topic = cleanTopic(input.topic ?? "");
      const invited = [...new Set((input.members ?? []).filter((id) => id !== actor.userId))];
      return store.write(createRoom, { actor: ref(actor), kind: input.kind, name, topic, invited, now: Date.now() });
    },

    update: (actor: Actor, roomId: number, patch: RoomPatch): Promise<RoomInfo> =>
      store.write(updateRoom, { actor: ref(actor), roomId, patch, now: Date.now() }),

    join: (actor: Actor, roomId: number): Promise<Room> => store.write(joinRoom, { userId: actor.userId, roomId, now: Date.now() }),

    leave: (actor: Actor, roomId: number): Promise<{ roomId: number }> => store.write(leaveRoom, { userId: actor.userId, roomId, now: Date.now() }),

    hide: (actor: Actor, roomId: number): Promise<{ roomId: number }> => store.write(hideRoom, { userId: actor.userId, roomId }),

    async invite(actor: Actor, roomId: number, userId: number): Promise<{ member: Member | null; requested: UserRef | null }> {
      const done = await store.write(inviteMember, { actor: ref(actor), roomId, userId, now: Date.now() });
      return { member: done.member ? withPresence(done.member) : null, requested: done.requested };
    },

    remove: (actor: Actor, roomId: number, userId: number): Promise<{ roomId: number; userId: number }> =>
      store.write(removeMember, { actor: ref(actor), roomId, userId, now: Date.now() }),

    async members(actor: Actor, roomId: number): Promise<Member[]> {
      await q.memberAccess(db, actor.userId, roomId);
      return (await q.members(db, roomId)).map(withPresence);
    },
  };
}

export type Rooms = ReturnType<typeof createRooms>;

