// What the clients sent and what the server acknowledged, and the check of that record against the
// database: every acknowledged message present exactly once with its acknowledged id, nothing stored
// that was refused or never sent, and each connection's messages in the order it sent them.
import { Database } from "bun:sqlite";
import type { Outcome, PostingClient, Sent } from "./posting-client.ts";

export class Ledger {
  readonly sent = new Map<string, Sent>();
  readonly acked = new Map<string, number>();
  readonly refused = new Map<string, string>();
  /** Sent, then the socket went away before an answer: the client does not know whether it is stored. */
  readonly unknown = new Set<string>();
  readonly violations: string[] = [];
  private seq = 0;

  next(fields: Omit<Sent, "clientId" | "seq">): Sent {
    const seq = ++this.seq;
    const sent: Sent = { ...fields, seq, clientId: crypto.randomUUID() };
    this.sent.set(sent.clientId, sent);
    return sent;
  }

  record(sent: Sent, outcome: Outcome): void {
    if (outcome.kind === "lost") {
      this.unknown.add(sent.clientId);
      return;
    }
    this.unknown.delete(sent.clientId);
    if (outcome.kind === "refused") {
      this.refused.set(sent.clientId, outcome.code);
      return;
    }
    const before = this.acked.get(sent.clientId);
    if (before !== undefined && before !== outcome.id) {
      this.violations.push(`${sent.clientId} was acknowledged as message ${before}, then as ${outcome.id}`);
    }
    this.acked.set(sent.clientId, outcome.id);
  }

  /** Messages whose fate the clients do not know, in the order they were sent. */
  unresolved(): Sent[] {
    return [...this.unknown].map((id) => this.sent.get(id)!).sort((a, b) => a.seq - b.seq);
  }
}

/**
 * Posts from `client` with up to `inFlight` unanswered messages until `stop()` or the socket closes.
 * Like a well-behaved client, it waits out a rate-limit refusal before posting again.
 */
export async function postUntil(
  client: PostingClient,
  ledger: Ledger,
  make: () => Omit<Sent, "clientId" | "seq">,
  stop: () => boolean,
  inFlight = 4,
): Promise<void> {
  const worker = async () => {
    while (!stop() && client.open) {
      const sent = ledger.next(make());
      const outcome = await client.post(sent);
      ledger.record(sent, outcome);
      if (outcome.kind === "refused" && outcome.code === "rate_limited") {
        const until = Date.now() + Math.max(outcome.retryAfterMs, 50);
        while (!stop() && client.open && Date.now() < until) await Bun.sleep(10);
      }
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
}

/** Resends every unresolved message with its original clientId, in sending order, one connection per user. */
export async function resendUnresolved(ledger: Ledger, clients: PostingClient[]): Promise<{ duplicates: number; fresh: number }> {
  const byUser = new Map(clients.map((client) => [client.user.id, client]));
  let duplicates = 0;
  let fresh = 0;
  await Promise.all(
    ledger.unresolved().map(async (sent) => {
      const outcome = await byUser.get(sent.authorId)!.post(sent);
      if (outcome.kind === "acked") (outcome.duplicate ? duplicates++ : fresh++);
      ledger.record(sent, outcome);
    }),
  );
  return { duplicates, fresh };
}

interface Row {
  id: number;
  room_id: number;
  author_id: number;
  client_id: string;
  body: string;
  thread_root_id: number | null;
}

/** Everything wrong with the database compared to the ledger, in words; empty when it all holds. */
export function checkDatabase(dbPath: string, ledger: Ledger, options: { allowUnknown: boolean }): string[] {
  const problems = [...ledger.violations];
  const db = new Database(dbPath, { readonly: true });
  try {
    db.exec("PRAGMA busy_timeout = 5000");
    const integrity = db.query("PRAGMA integrity_check").all() as { integrity_check: string }[];
    if (integrity.length !== 1 || integrity[0]!.integrity_check !== "ok") problems.push(`integrity_check: ${JSON.stringify(integrity)}`);
    // The test's server holds only the test's messages (and the system lines of its setup's joins),
    // so every row must be accounted for.
    const rows = db.query("SELECT id, room_id, author_id, client_id, body, thread_root_id FROM messages WHERE event IS NULL ORDER BY id").all() as Row[];
    const byClientId = new Map<string, Row[]>();
    for (const row of rows) byClientId.set(row.client_id, [...(byClientId.get(row.client_id) ?? []), row]);

    for (const [clientId, found] of byClientId) {
      if (found.length > 1) problems.push(`${clientId} is stored ${found.length} times`);
      const sent = ledger.sent.get(clientId);
      if (!sent) problems.push(`message ${found[0]!.id} (${clientId}) was never sent`);
      else if (ledger.refused.has(clientId)) problems.push(`${clientId} was refused (${ledger.refused.get(clientId)}) but is stored`);
      else if (!ledger.acked.has(clientId) && !(options.allowUnknown && ledger.unknown.has(clientId))) {
        problems.push(`${clientId} is stored but its client never had an answer and did not resend it`);
      }
    }
    for (const [clientId, id] of ledger.acked) {
      const sent = ledger.sent.get(clientId)!;
      if (sent.reaction) continue;
      const row = byClientId.get(clientId)?.[0];
      if (!row) problems.push(`acknowledged message ${id} (${clientId}) is missing`);
      else if (
        row.id !== id ||
        row.room_id !== sent.roomId ||
        row.author_id !== sent.authorId ||
        row.body !== sent.body ||
        row.thread_root_id !== (sent.threadRootId ?? null)
      ) {
        problems.push(`acknowledged message ${id} (${clientId}) came back different: ${JSON.stringify(row)}`);
      }
    }
    problems.push(...checkThreads(db, rows), ...checkReactions(db, ledger));
    // Per connection and room, stored ids must rise in the order the messages were sent.
    const streams = new Map<string, Sent[]>();
    for (const sent of ledger.sent.values()) {
      if (sent.reaction || !byClientId.has(sent.clientId)) continue;
      const key = `${sent.connection} in room ${sent.roomId}`;
      streams.set(key, [...(streams.get(key) ?? []), sent]);
    }
    for (const [key, stream] of streams) {
      stream.sort((a, b) => a.seq - b.seq);
      for (let i = 1; i < stream.length; i++) {
        const previous = byClientId.get(stream[i - 1]!.clientId)![0]!.id;
        const current = byClientId.get(stream[i]!.clientId)![0]!.id;
        if (current <= previous) {
          problems.push(`${key}: message sent as #${stream[i]!.seq} got id ${current}, not after #${stream[i - 1]!.seq}'s ${previous}`);
          break;
        }
      }
    }
  } finally {
    db.close();
  }
  return problems;
}

/** Each root counts its stored replies exactly once: the summary on its row matches the replies. */
function checkThreads(db: Database, rows: Row[]): string[] {
  const problems: string[] = [];
  const replies = new Map<number, number>();
  for (const row of rows) if (row.thread_root_id !== null) replies.set(row.thread_root_id, (replies.get(row.thread_root_id) ?? 0) + 1);
  const roots = db.query("SELECT id, reply_count AS n, last_reply_id AS last FROM messages WHERE reply_count > 0").all() as { id: number; n: number; last: number }[];
  for (const root of roots) {
    if (root.n !== (replies.get(root.id) ?? 0)) problems.push(`root ${root.id} counts ${root.n} replies but ${replies.get(root.id) ?? 0} are stored`);
    const newest = Math.max(...rows.filter((r) => r.thread_root_id === root.id).map((r) => r.id));
    if (root.last !== newest) problems.push(`root ${root.id} names ${root.last} as its last reply, not ${newest}`);
  }
  for (const [rootId, n] of replies) if (!roots.some((r) => r.id === rootId)) problems.push(`root ${rootId} has ${n} replies but no count`);
  return problems;
}

/**
 * Every acknowledged reaction is stored (once: the key is message, emoji, person), nothing is stored
 * that was never sent, and each message's summary counts exactly the rows stored.
 */
function checkReactions(db: Database, ledger: Ledger): string[] {
  const problems: string[] = [];
  const stored = db.query("SELECT message_id AS messageId, emoji, user_id AS userId FROM reactions").all() as { messageId: number; emoji: string; userId: number }[];
  const key = (messageId: number, emoji: string, userId: number) => `${messageId} ${emoji} ${userId}`;
  const sentKeys = new Set<string>();
  for (const sent of ledger.sent.values()) if (sent.reaction) sentKeys.add(key(sent.reaction.messageId, sent.reaction.emoji, sent.authorId));
  const storedKeys = new Set(stored.map((r) => key(r.messageId, r.emoji, r.userId)));
  for (const [clientId] of ledger.acked) {
    const sent = ledger.sent.get(clientId)!;
    if (sent.reaction && !storedKeys.has(key(sent.reaction.messageId, sent.reaction.emoji, sent.authorId))) {
      problems.push(`acknowledged reaction ${sent.reaction.emoji} by ${sent.authorId} on ${sent.reaction.messageId} is missing`);
    }
  }
  for (const k of storedKeys) if (!sentKeys.has(k)) problems.push(`reaction ${k} was never sent`);
  const counts = new Map<string, number>();
  for (const r of stored) counts.set(`${r.messageId} ${r.emoji}`, (counts.get(`${r.messageId} ${r.emoji}`) ?? 0) + 1);
  const summaries = db.query("SELECT id, reactions FROM messages WHERE reactions IS NOT NULL").all() as { id: number; reactions: string }[];
  const summarised = new Set<string>();
  for (const { id, reactions } of summaries) {
    for (const r of JSON.parse(reactions) as { emoji: string; count: number }[]) {
      summarised.add(`${id} ${r.emoji}`);
      if (counts.get(`${id} ${r.emoji}`) !== r.count) problems.push(`message ${id} shows ${r.count} × ${r.emoji} but ${counts.get(`${id} ${r.emoji}`) ?? 0} are stored`);
    }
  }
  for (const k of counts.keys()) if (!summarised.has(k)) problems.push(`reactions ${k} are stored but not in the message's summary`);
  return problems;
}
