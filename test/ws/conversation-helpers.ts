// Shared steps of the conversation tests (issue 11): rooms with people in them, posting, and a
// fingerprint of everything a refused request must not have written.
import type { Message } from "../../src/protocol.ts";
import { acceptInvitation, api, userWithSocket, uuid, type TestServer, type TestSocket } from "./client.ts";
import type { TestUser } from "../support/users.ts";

export interface Person {
  user: TestUser;
  socket: TestSocket;
}

/**
 * A room made over HTTP by `owner` with `members` invited at creation; strangers to the owner accept
 * the invitation as they would (issue 21 §4), which records their "joined" line.
 */
export async function roomOf(server: TestServer, owner: Person, members: Person[], kind: "public" | "private" = "private"): Promise<number> {
  const res = await api(server, owner.user, "/api/rooms", { json: { kind, name: `talk ${uuid().slice(0, 8)}`, members: members.map((m) => m.user.id) } });
  if (res.status !== 201) throw new Error(`room not created: ${res.status} ${await res.text()}`);
  const roomId = ((await res.json()) as { room: { id: number } }).room.id;
  for (const member of members) await acceptInvitation(server, member.user, roomId);
  return roomId;
}

export async function people(server: TestServer, count: number): Promise<Person[]> {
  return Promise.all(Array.from({ length: count }, () => userWithSocket(server)));
}

export async function post(person: Person, roomId: number, body: string, extra: { threadRootId?: number; alsoToRoom?: boolean; quoteId?: number } = {}): Promise<Message> {
  return (await person.socket.post({ type: "message.post", roomId, clientId: uuid(), body, ...extra })).message;
}

/**
 * Everything conversations write, in one comparable value: a refused request must leave it as it
 * was (no row, no summary, no follow, no change number moved).
 */
export async function fingerprint(server: TestServer): Promise<unknown> {
  return {
    messages: await server.sql.all(
      `SELECT id, body, reactions, reply_count AS "replyCount", last_reply_id AS "lastReplyId", pinned_at AS "pinnedAt", updated_seq AS seq, deleted_at AS "deletedAt"
         FROM messages ORDER BY id`,
    ),
    reactions: await server.sql.all(`SELECT message_id AS "messageId", emoji, user_id AS "userId" FROM reactions ORDER BY message_id, emoji, user_id`),
    follows: await server.sql.all(`SELECT user_id AS "userId", root_id AS "rootId", last_read_id AS "lastReadId" FROM thread_follows ORDER BY user_id, root_id`),
  };
}
