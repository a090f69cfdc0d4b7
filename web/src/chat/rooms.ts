// Naming and ordering of rooms and DMs in the sidebar and the switcher.
import type { Room, UserRef } from "./protocol.ts";
import { displayNameOf } from "./names.ts";

/** The other people of a DM (me alone when it is a note to myself). */
export function dmPeers(room: Room, meId: number | undefined): UserRef[] {
  const others = room.participants.filter((p) => p.id !== meId);
  return others.length ? others : room.participants;
}

/** `name` may add what tells people apart (stores/names.ts shownName). */
export function roomTitle(room: Room, meId: number | undefined, name: (user: UserRef) => string = displayNameOf): string {
  if (room.kind !== "dm") return room.name;
  return dmPeers(room, meId).map(name).join(", ");
}

/**
 * How a room is named in a sentence: "#name" for a public room, where the "#" says anyone may join;
 * a private room by its name alone (its lock icon stands beside it where there is one).
 */
export function roomRef(room: { name: string; kind: Room["kind"] }): string {
  return room.kind === "public" ? `#${room.name}` : room.name;
}

/** Rooms by name; DMs by latest activity, newest first. */
export function sortRooms(rooms: Room[], meId: number | undefined): { rooms: Room[]; dms: Room[] } {
  const collator = new Intl.Collator(undefined, { sensitivity: "base", numeric: true });
  const named = rooms.filter((r) => r.kind !== "dm" && r.archivedAt === null).sort((a, b) => collator.compare(a.name, b.name));
  const dms = rooms
    .filter((r) => r.kind === "dm")
    .sort((a, b) => (b.lastMessageAt ?? b.createdAt) - (a.lastMessageAt ?? a.createdAt) || collator.compare(roomTitle(a, meId), roomTitle(b, meId)));
  return { rooms: named, dms };
}

/** A case- and accent-insensitive "contains", for the switcher and pickers. */
export function matches(text: string, query: string): boolean {
  const fold = (s: string) => s.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
  return fold(text).includes(fold(query.trim()));
}
