// What an audit entry is about, in names (issue 19): the dashboard's "About" column showed raw
// references ("user:12", "room:5", "message:340"), which an admin had to look up by hand. The stored
// entry keeps its reference (the hash chain covers it, and a name can change); the list resolves it
// at read time: a person's username, a room's name, a message's room. Something gone since is
// returned without a name, and shown as "user #12".
import { sql } from "../db/query.ts";
import type { Conn } from "../db/store.ts";
import type { AuditAbout } from "./types.ts";

const REFERENCE = /^(user|room|message):(\d+)$/;

const q = {
  user: sql<{ name: string }, [number]>(`SELECT username AS name FROM users WHERE id = ? AND deleted_at IS NULL`),
  room: sql<{ name: string; kind: string }, [number]>(`SELECT name, kind FROM rooms WHERE id = ?`),
  messageRoom: sql<{ roomId: number }, [number]>(`SELECT room_id AS "roomId" FROM messages WHERE id = ?`),
};

/** Resolves the references of one page of entries, each distinct one once. */
export async function resolveAbout(db: Conn, targets: (string | null)[]): Promise<Map<string, AuditAbout>> {
  const found = new Map<string, AuditAbout>();
  const roomName = async (id: number) => {
    const room = await db.get(q.room, id);
    // A DM has no name: said as such, its participants are not the audit's business here.
    return room ? (room.kind === "dm" ? { name: null, dm: true } : { name: room.name, dm: false }) : null;
  };
  for (const target of new Set(targets)) {
    const match = target ? REFERENCE.exec(target) : null;
    if (!target || !match) continue;
    const kind = match[1] as AuditAbout["kind"];
    const id = Number(match[2]);
    if (kind === "user") {
      found.set(target, { kind, id, name: (await db.get(q.user, id))?.name ?? null });
    } else if (kind === "room") {
      const room = await roomName(id);
      found.set(target, { kind, id, name: room?.name ?? null, ...(room?.dm ? { dm: true } : {}) });
    } else {
      const message = await db.get(q.messageRoom, id);
      const room = message ? await roomName(message.roomId) : null;
      found.set(target, { kind, id, name: null, ...(message ? { roomId: message.roomId, roomName: room?.name ?? null, ...(room?.dm ? { dm: true } : {}) } : {}) });
    }
  }
  return found;
}
