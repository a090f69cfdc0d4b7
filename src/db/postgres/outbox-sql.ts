// The cluster's outbox (migration 004): what each committed write batch announced, in commit order.
import { sql } from "../query.ts";

export interface OutboxRow {
  seq: number;
  body: string;
}

export const appendEvents = sql<{ seq: number }, [string, number]>(
  `INSERT INTO events (seq, body, at) VALUES (nextval('events_seq'), ?, ?) RETURNING seq`,
);

export const eventsAfter = sql<OutboxRow, [number, number]>(`SELECT seq, body FROM events WHERE seq > ? ORDER BY seq LIMIT ?`);

export const lastEventSeq = sql<{ seq: number }, []>(`SELECT coalesce(max(seq), 0) AS seq FROM events`);

export const pruneEvents = sql<never, [number]>(`DELETE FROM events WHERE at < ?`);
