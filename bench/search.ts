// Search (issue 13) at scale: N messages in 100 rooms, the searching user a member of 50, against the
// compiled binary over HTTPS. Reports the search latency (p50/p99) of a rare word, a common word, a
// phrase, from:+word and a 3-character prefix; the index's share of the database file; the cold start
// with N messages; and how long the background indexer took to catch up.
//
//   bun bench/search.ts [--messages 1000000] [--requests 200] [--keep]
//
// The accounts and rooms are made through the real API; the messages are written straight into the
// stopped server's SQLite file (as bench/lib/database.ts seeds history), so the index is built by the
// server's own indexer when it starts, as it would be after an upgrade.
import { Database } from "bun:sqlite";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { Histogram } from "./lib/histogram.ts";
import { api } from "./lib/http.ts";
import { startVaultRoom, useBinary } from "./lib/servers.ts";
import { clientId } from "./lib/wire.ts";

const { values } = parseArgs({
  options: {
    messages: { type: "string", default: "1000000" },
    requests: { type: "string", default: "200" },
    keep: { type: "boolean", default: false },
  },
});
const MESSAGES = Number(values.messages);
const REQUESTS = Number(values.requests);
const ROOMS = 100;
useBinary(undefined);

const root = mkdtempSync(join(tmpdir(), "vaultroom-search-bench-"));
const dataDir = join(root, "data");
const certsDir = join(root, "certs");
const dbPath = join(dataDir, "vaultroom.db");
const env = { VAULTROOM_MESSAGE_RATE: "100000" };
const log = (line: string) => console.log(line);

function cookieOf(headers: Record<string, string | string[] | undefined>): string {
  const raw = headers["set-cookie"];
  const list = Array.isArray(raw) ? raw : raw ? [raw] : [];
  return list.map((c) => c.split(";")[0]!).join("; ");
}

async function register(port: number, username: string, from: string): Promise<{ cookie: string; id: number }> {
  const reply = await api(port, { method: "POST", path: "/api/auth/register", body: { username, password: "a long and unusual passphrase" }, from });
  if (reply.status !== 200 && reply.status !== 201) throw new Error(`register ${username}: ${reply.status} ${reply.body}`);
  return { cookie: cookieOf(reply.headers), id: reply.json<{ user: { id: number } }>().user.id };
}

async function createRoom(port: number, cookie: string, name: string): Promise<number> {
  for (;;) {
    const reply = await api(port, { method: "POST", path: "/api/rooms", body: { kind: "private", name }, cookie });
    if (reply.status === 429) {
      await Bun.sleep(1000);
      continue;
    }
    if (reply.status !== 200 && reply.status !== 201) throw new Error(`room ${name}: ${reply.status} ${reply.body}`);
    return reply.json<{ room: { id: number } }>().room.id;
  }
}

// A vocabulary where a few words are common and most are rare, like chat; plus the words measured.
const VOCABULARY = Array.from({ length: 20_000 }, (_, i) => `w${i.toString(36)}x`);
const pick = () => VOCABULARY[Math.floor(VOCABULARY.length * Math.random() ** 3)]!;

function body(i: number): string {
  const words: string[] = [];
  for (let n = 6 + (i % 10); n > 0; n--) words.push(pick());
  if (i % 20 === 0) words.splice(2, 0, "meeting"); // common: 5 % of messages
  if (i % 1000 === 7) words.splice(1, 0, "deploy", "key"); // the phrase: 0.1 %
  if (i % 250 === 3) words.push("budget"); // 0.4 %, for from:
  if (i % 100_000 === 11) words.push("zanzibar"); // rare: 10 per million
  if (i % 5000 === 13) words.push(`ERR_${i % 97}`);
  return words.join(" ");
}

function seed(rooms: number[], authors: number[]): { firstId: number; lastId: number } {
  const db = new Database(dbPath, { strict: true });
  try {
    db.exec("PRAGMA journal_mode = WAL");
    const insert = db.query("INSERT INTO messages (room_id, author_id, client_id, body, created_at) VALUES (?, ?, ?, ?, ?)");
    const start = Date.now() - MESSAGES * 100;
    const batch = db.transaction((from: number, to: number) => {
      for (let i = from; i < to; i++) insert.run(rooms[i % rooms.length]!, authors[i % authors.length]!, clientId(0xfffffff1, 0, i), body(i), start + i * 100);
    });
    for (let from = 0; from < MESSAGES; from += 100_000) batch(from, Math.min(MESSAGES, from + 100_000));
    db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    return db.query("SELECT min(id) AS firstId, max(id) AS lastId FROM messages").get() as { firstId: number; lastId: number };
  } finally {
    db.close();
  }
}

function indexedUpto(): number {
  const db = new Database(dbPath, { readonly: true });
  try {
    return (db.query("SELECT indexed_upto AS n FROM search_state").get() as { n: number }).n;
  } finally {
    db.close();
  }
}

const fileSize = () => statSync(dbPath).size + (() => { try { return statSync(`${dbPath}-wal`).size; } catch { return 0; } })();

try {
  // 1. Accounts and rooms through the API.
  let server = await startVaultRoom(dataDir, certsDir, { pin: [], files: 4096, logFile: join(root, "setup.log"), env });
  const me = await register(server.port, "searcher", "127.0.0.2");
  const other = await register(server.port, "other", "127.0.0.3");
  const rooms: number[] = [];
  for (let i = 0; i < ROOMS / 2; i++) rooms.push(await createRoom(server.port, me.cookie, `mine ${i}`));
  for (let i = 0; i < ROOMS / 2; i++) rooms.push(await createRoom(server.port, other.cookie, `theirs ${i}`));
  await server.stop();

  // 2. Messages straight into the stopped server's database.
  let started = performance.now();
  const { lastId } = seed(rooms, [me.id, other.id]);
  log(`seeded ${MESSAGES.toLocaleString("en-US")} messages in ${ROOMS} rooms in ${Math.round(performance.now() - started)} ms`);
  const sizeBefore = fileSize();

  // 3. Cold start with those messages, then the indexer's catch-up.
  server = await startVaultRoom(dataDir, certsDir, { pin: [], files: 4096, logFile: join(root, "server.log"), env });
  log(`cold start: ${Math.round(server.startMs)} ms`);
  started = performance.now();
  while (indexedUpto() < lastId) await Bun.sleep(250);
  const indexMs = Math.round(performance.now() - started);
  log(`indexed in the background in ${indexMs} ms`);

  // 4. Searches, one at a time.
  const queries: Record<string, string> = {
    "rare word": "zanzibar",
    "common word": "meeting",
    phrase: '"deploy key"',
    "from: + word": "from:other budget",
    "3-char prefix": "zan",
    identifier: "ERR_13",
  };
  const rows: string[] = [];
  for (const [label, q] of Object.entries(queries)) {
    const histogram = new Histogram();
    let results = 0;
    let refused = 0;
    for (let i = -10; i < REQUESTS; i++) {
      const t0 = performance.now();
      const reply = await api(server.port, { method: "GET", path: `/api/search?q=${encodeURIComponent(q)}&limit=20`, cookie: me.cookie });
      const micros = (performance.now() - t0) * 1000;
      if (reply.status === 429) {
        // The per-user search budget (chat.takeCost) is the server's to keep: wait and ask again.
        refused++;
        await Bun.sleep(1000);
        i--;
        continue;
      }
      if (reply.status !== 200) throw new Error(`${label}: ${reply.status} ${reply.body.slice(0, 160)}`);
      if (i < 0) continue;
      histogram.record(micros);
      results = reply.json<{ results: unknown[] }>().results.length;
    }
    const s = histogram.summary();
    rows.push(`| ${label} | \`${q}\` | ${s.p50.toFixed(1)} | ${s.p99.toFixed(1)} | ${results} | ${refused} |`);
  }
  await server.stop();
  const sizeAfter = fileSize();
  log(`database: ${(sizeBefore / 2 ** 20).toFixed(0)} MiB before indexing, ${(sizeAfter / 2 ** 20).toFixed(0)} MiB after; index ≈ ${(((sizeAfter - sizeBefore) / sizeAfter) * 100).toFixed(0)} % of the database`);
  log("| query | q | p50 ms | p99 ms | results (page of 20) | refused (429, retried) |");
  log("|---|---|---|---|---|---|");
  for (const row of rows) log(row);
} finally {
  if (!values.keep) rmSync(root, { recursive: true, force: true });
  else log(`kept ${root}`);
}
