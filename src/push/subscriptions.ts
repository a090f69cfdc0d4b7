// Web Push subscriptions: one per session (a logged-in browser), stored with it and gone with it —
// the row references the session ON DELETE CASCADE, so logout, revocation, a password change or
// reset, a disabled or deleted account all end it in the transaction that ends the session. A push
// service answering 404/410 ends it too (sender.ts).
import { sql } from "../db/query.ts";
import { command, type Conn } from "../db/store.ts";
import { errors } from "../errors.ts";

export interface PushTarget {
  id: number;
  userId: number;
  endpoint: string;
  p256dh: string;
  auth: string;
}

export interface PushDevice {
  id: number;
  createdAt: number;
  userAgent: string;
  /** This very session's subscription. */
  current: boolean;
}

const q = {
  upsert: sql<never, [string, number, string, string, string, number, string]>(
    `INSERT INTO push_subscriptions (session_id, user_id, endpoint, p256dh, auth, created_at, user_agent) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (session_id) DO UPDATE SET endpoint = excluded.endpoint, p256dh = excluded.p256dh, auth = excluded.auth,
       created_at = excluded.created_at, user_agent = excluded.user_agent`,
  ),
  // The same browser subscribed under an earlier login: the endpoint moves to this session.
  takeOver: sql<{ userId: number }, [string, string]>(
    `DELETE FROM push_subscriptions WHERE endpoint = ? AND session_id != ? RETURNING user_id AS "userId"`,
  ),
  list: sql<{ id: number; createdAt: number; userAgent: string; sessionId: string }, [number]>(
    `SELECT id, created_at AS "createdAt", user_agent AS "userAgent", session_id AS "sessionId" FROM push_subscriptions WHERE user_id = ? ORDER BY id`,
  ),
  removeOwn: sql<{ id: number }, [number, number]>("DELETE FROM push_subscriptions WHERE id = ? AND user_id = ? RETURNING id"),
  removeSession: sql<{ id: number }, [string]>("DELETE FROM push_subscriptions WHERE session_id = ? RETURNING id"),
  removeGone: sql<{ userId: number }, [number, string]>(`DELETE FROM push_subscriptions WHERE id = ? AND endpoint = ? RETURNING user_id AS "userId"`),
  forUsers: sql<PushTarget, [number[]]>({
    sqlite: `SELECT id, user_id AS "userId", endpoint, p256dh, auth FROM push_subscriptions
              WHERE user_id IN (SELECT value FROM json_each(?)) ORDER BY id`,
    postgres: `SELECT id, user_id AS "userId", endpoint, p256dh, auth FROM push_subscriptions WHERE user_id = ANY(?::bigint[]) ORDER BY id`,
  }),
  subscribedUsers: sql<{ userId: number }, []>(`SELECT DISTINCT user_id AS "userId" FROM push_subscriptions`),
};

const changed = { type: "push.changed" } as const;

export const subscribe = command(
  "push.subscribe",
  async (tx, input: { userId: number; sessionId: string; endpoint: string; p256dh: string; auth: string; userAgent: string; now: number }) => {
    for (const { userId } of await tx.all(q.takeOver, input.endpoint, input.sessionId)) {
      if (userId !== input.userId) tx.announce({ kind: "event", to: { user: userId }, event: changed });
    }
    await tx.run(q.upsert, input.sessionId, input.userId, input.endpoint, input.p256dh, input.auth, input.now, input.userAgent.slice(0, 256));
    tx.announce({ kind: "event", to: { user: input.userId }, event: changed });
  },
);

/** One of my devices' subscriptions; another user's id is answered as not found. */
export const removeOwn = command("push.removeOwn", async (tx, input: { userId: number; id: number }) => {
  if (!(await tx.get(q.removeOwn, input.id, input.userId))) throw errors.notFound("not_found", "There is no such device.");
  tx.announce({ kind: "event", to: { user: input.userId }, event: changed });
});

/** This browser turned push off (or lost its subscription). */
export const removeSession = command("push.removeSession", async (tx, input: { userId: number; sessionId: string }) => {
  if (await tx.get(q.removeSession, input.sessionId)) tx.announce({ kind: "event", to: { user: input.userId }, event: changed });
});

/** The push service says this subscription no longer exists (404/410): forget it. */
export const removeGone = command("push.removeGone", async (tx, input: { id: number; endpoint: string }) => {
  const row = await tx.get(q.removeGone, input.id, input.endpoint);
  if (row) tx.announce({ kind: "event", to: { user: row.userId }, event: changed });
  return row !== null;
});

export const pushSubscriptions = {
  async list(db: Conn, userId: number, sessionId: string): Promise<PushDevice[]> {
    return (await db.all(q.list, userId)).map(({ sessionId: owner, ...row }) => ({ ...row, current: owner === sessionId }));
  },
  forUsers: (db: Conn, userIds: number[]): Promise<PushTarget[]> => (userIds.length ? db.all(q.forUsers, userIds) : Promise.resolve([])),
  subscribedUsers: async (db: Conn): Promise<number[]> => (await db.all(q.subscribedUsers)).map((r) => r.userId),
};
