// Web Push throughput (issue 12): pushes sent per second to 1,000 subscribed users (200 in --quick),
// and the latency of ordinary messages meanwhile. A push service stands in on loopback (HTTPS, 201 to
// every request, counting them; the binary trusts its certificate through NODE_EXTRA_CA_CERTS and
// reaches it with --push-allow-private's variable). The users, their sessions, their subscriptions
// (real P-256 keys, so every push is really encrypted) and "notify me of every message" in one room
// are written straight into the stopped server's SQLite file (seeding only). Then, with the server
// pinned, a probe posts ordinary messages into a small room at a steady rate (its round trip is the
// latency figure, first alone, then during the burst) while the big room gets a few messages, each
// of which the server turns into one push per subscriber.
import { Database } from "bun:sqlite";
import { createECDH, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { usernameKey, usernameSkeleton } from "../../src/accounts/usernames.ts";
import { Histogram, type LatencySummary } from "./histogram.ts";
import { api, clientAddress, sessionCookie } from "./http.ts";
import type { Placement } from "./proc.ts";
import { cpuMicros, runDelayMicros } from "./proc.ts";
import { ROOT, startVaultRoom, track } from "./servers.ts";

export interface PushBenchResult {
  subscribers: number;
  pushesExpected: number;
  pushesReceived: number;
  seconds: number;
  pushesPerSecond: number;
  serverCpuPercent: number;
  /** How long the server's event loop was runnable but waiting for a CPU, per second (a busy machine). */
  serverWaitMsPerS: number;
  probeRatePerSecond: number;
  baseline: LatencySummary;
  duringPushes: LatencySummary;
  problems: string[];
}

const PROBE_RATE = 50;

export async function runPushBench(options: { root: string; place: Placement; quick: boolean; log: (line: string) => void }): Promise<PushBenchResult> {
  const { root, place, log } = options;
  const subscribers = options.quick ? 200 : 1000;
  // The sender's queue holds 10,000 pushes: the burst stays under it, so nothing is dropped.
  const burst = Math.floor(9000 / subscribers);
  const problems: string[] = [];
  const dir = join(root, "push");
  const dataDir = join(dir, "data");
  const certsDir = join(dir, "certs");
  // Each run starts from nothing (a second run of `bun run bench` found the first one's accounts).
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });

  // The stand-in push service, in a process of its own on the client's core (bench/push-service.ts).
  const serviceCerts = join(dir, "service-certs");
  const portFile = join(dir, "service-port");
  const service = track(
    Bun.spawn([...place.client, process.execPath, join(ROOT, "bench", "push-service.ts"), serviceCerts, portFile], { stdout: "ignore", stderr: "inherit" }),
  );
  while (!existsSync(portFile)) await Bun.sleep(20);
  const servicePort = Number(readFileSync(portFile, "utf8"));
  const caFile = join(dir, "push-ca.pem");
  writeFileSync(caFile, readFileSync(join(serviceCerts, "cert.pem")));
  const counts = async () =>
    (await (await fetch(`https://127.0.0.1:${servicePort}/count`, { tls: { rejectUnauthorized: false } } as RequestInit)).json()) as { received: number; unsigned: number; lastAt: number };

  // Two people through the real API; the rooms they need.
  let server = await startVaultRoom(dataDir, certsDir, { pin: [], files: 4096, logFile: join(dir, "seed.log") });
  const password = `bench-${crypto.randomUUID()}`;
  const register = async (username: string, n: number) =>
    sessionCookie(await api(server.port, { method: "POST", path: "/api/auth/register", body: { username, password }, from: clientAddress(n) }));
  const alice = await register("pushalice", 0);
  const bob = await register("pushbob", 1);
  const bobId = (await api(server.port, { method: "GET", path: "/api/me", cookie: bob })).json<{ user: { id: number } }>().user.id;
  const room = async (name: string, members: number[]) =>
    (await api(server.port, { method: "POST", path: "/api/rooms", cookie: alice, body: { kind: "private", name, members } })).json<{ room: { id: number } }>().room.id;
  const bigRoom = await room("push-burst", []);
  const probeRoom = await room("probe", [bobId]);
  // Bob has never talked to Alice: he is asked first (issue 21 §4) and accepts, as a person would —
  // without it he is not in the room, the probe's messages never reach him and its figures read 0.
  const accepted = await api(server.port, { method: "POST", path: `/api/requests/${probeRoom}/accept`, cookie: bob });
  if (accepted.status !== 200) throw new Error(`push bench: bob could not accept the probe room (${accepted.status})`);
  await server.stop("SIGTERM");

  const seeded = performance.now();
  seedSubscribers(join(dataDir, "vaultroom.db"), bigRoom, subscribers, `https://127.0.0.1:${servicePort}`);
  log(`  seeded ${subscribers} subscribed users in ${Math.round(performance.now() - seeded)} ms`);

  server = await startVaultRoom(dataDir, certsDir, {
    pin: place.server,
    files: 8192,
    logFile: join(dir, "run.log"),
    // The probe posts 50 messages a second, past a person's limit (the documented operator setting).
    env: { VAULTROOM_PUSH_ALLOW_PRIVATE: "1", NODE_EXTRA_CA_CERTS: caFile, VAULTROOM_MESSAGE_RATE: "1000" },
  });
  const connect = (cookie: string) =>
    new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(`wss://127.0.0.1:${server.port}/ws`, {
        headers: { cookie, origin: `https://127.0.0.1:${server.port}` },
        tls: { rejectUnauthorized: false },
      } as unknown as string[]);
      ws.addEventListener("message", (event) => {
        if (String(event.data).startsWith('{"type":"ready"')) resolve(ws);
      });
      ws.addEventListener("error", () => reject(new Error("socket failed")));
    });
  const poster = await connect(alice);
  const reader = await connect(bob);
  const sentAt = new Map<string, number>();
  let histogram = new Histogram();
  reader.addEventListener("message", (event) => {
    const marker = /~probe(\d+)~/.exec(String(event.data));
    const started = marker ? sentAt.get(marker[1]!) : undefined;
    if (started !== undefined) histogram.record((performance.now() - started) * 1000);
  });
  let seq = 0;
  const post = (roomId: number, body: string) => poster.send(JSON.stringify({ type: "message.post", roomId, clientId: crypto.randomUUID(), body }));
  const probe = setInterval(() => {
    const id = String(++seq);
    sentAt.set(id, performance.now());
    post(probeRoom, `~probe${id}~ an ordinary message of about a hundred bytes, sent while pushes may be going out`);
  }, 1000 / PROBE_RATE);

  await Bun.sleep(options.quick ? 2000 : 5000);
  const baseline = histogram.summary();
  histogram = new Histogram();
  const cpuFrom = cpuMicros(server.pid);
  const waitFrom = runDelayMicros(server.pid);
  const startedAt = Date.now();
  for (let i = 0; i < burst; i++) post(bigRoom, `everyone hears this one (${i})`);
  const deadline = startedAt + 120_000;
  let count = await counts();
  while (count.received < burst * subscribers && Date.now() < deadline) {
    await Bun.sleep(50);
    count = await counts();
  }
  const cpu = cpuMicros(server.pid) - cpuFrom;
  const waited = runDelayMicros(server.pid) - waitFrom;
  clearInterval(probe);
  const during = histogram.summary();
  const seconds = ((count.lastAt || Date.now()) - startedAt) / 1000;
  poster.close();
  reader.close();
  await server.stop("SIGTERM");
  service.kill("SIGTERM");
  await service.exited;
  const arrivals = { length: count.received };
  if (count.received < burst * subscribers) problems.push(`push: ${count.received} of ${burst * subscribers} pushes arrived within 120 s`);
  if (during.count === 0) problems.push("push: no probe message arrived during the pushes (the probe measured nothing)");
  if (count.unsigned > 0) problems.push(`push: ${count.unsigned} requests without a VAPID signature or aes128gcm`);
  return {
    subscribers,
    pushesExpected: burst * subscribers,
    pushesReceived: arrivals.length,
    seconds: Math.round(seconds * 100) / 100,
    pushesPerSecond: Math.round(arrivals.length / seconds),
    serverCpuPercent: Math.round((cpu / 1e6 / seconds) * 100),
    serverWaitMsPerS: Math.round(waited / 1000 / seconds),
    probeRatePerSecond: PROBE_RATE,
    baseline,
    duringPushes: during,
    problems,
  };
}

/** Users with a session and a push subscription each, all in `roomId` with "every message". */
function seedSubscribers(path: string, roomId: number, count: number, serviceOrigin: string): void {
  const db = new Database(path);
  try {
    const now = Date.now();
    const hash = (db.query("SELECT password_hash AS h FROM users ORDER BY id LIMIT 1").get() as { h: string }).h;
    const user = db.prepare("INSERT INTO users (username, username_key, skeleton, password_hash, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id");
    const session = db.prepare(
      "INSERT INTO sessions (id, secret_hash, user_id, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
    );
    const member = db.prepare("INSERT INTO room_members (room_id, user_id, role, joined_at) VALUES (?, ?, 'member', ?)");
    const level = db.prepare("INSERT INTO room_notification_prefs (room_id, user_id, level) VALUES (?, ?, 'all')");
    const subscription = db.prepare(
      "INSERT INTO push_subscriptions (session_id, user_id, endpoint, p256dh, auth, created_at) VALUES (?, ?, ?, ?, ?, ?)",
    );
    db.transaction(() => {
      for (let i = 0; i < count; i++) {
        const name = `push${String(i).padStart(5, "0")}`;
        const { id } = user.get(name, usernameKey(name), usernameSkeleton(name), hash, now) as { id: number };
        const sessionId = randomBytes(16).toString("base64url");
        session.run(sessionId, randomBytes(32), id, now, now, now + 7 * 86_400_000);
        member.run(roomId, id, now);
        level.run(roomId, id);
        const keys = createECDH("prime256v1");
        subscription.run(sessionId, id, `${serviceOrigin}/p/${i}`, keys.generateKeys().toString("base64url"), randomBytes(16).toString("base64url"), now);
      }
    })();
  } finally {
    db.close();
  }
}
