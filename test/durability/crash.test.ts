// Nothing acknowledged is lost when the server dies. The compiled binary serves several clients that
// post as fast as they are acknowledged; it is killed with SIGKILL at a random moment and started again
// on the same data directory; the clients reconnect and resend what was never answered. After every
// round: the database passes integrity_check, every acknowledged message is there exactly once with
// its acknowledged id, resends created no duplicates, and each sender's order within a room is kept.
// Some posts are thread replies and some are reactions (issue 11): each acknowledged one is stored
// once, and the roots' reply counts and the messages' reaction summaries match what is stored.
// CRASH_ROUNDS sets the number of rounds (default 20); CRASH_SEED replays a run.
import { describe, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "../support/app.ts";
import { checkDatabase, Ledger, postUntil, resendUnresolved } from "./ledger.ts";
import { PostingClient } from "./posting-client.ts";
import { createPublicRoom, joinRoom, postOnce, registerUser, startServer, type RegisteredUser, type ServerProcess } from "./server-process.ts";

const ROUNDS = Math.max(1, Number(process.env.CRASH_ROUNDS ?? 20));
const EMOJI = ["👍", "🎉", "❤️", "😂", "🚀", "👀"];
const SEED = Number(process.env.CRASH_SEED ?? Math.floor(Math.random() * 2 ** 31));

/** mulberry32: a small seeded generator, so a failing run can be replayed with CRASH_SEED. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("crash durability (SIGKILL)", () => {
  test(`every acknowledged message survives ${ROUNDS} kills at random moments, exactly once and in order (seed ${SEED})`, async () => {
    const rand = random(SEED);
    const dir = tempDir("vaultroom-crash-");
    const dbPath = join(dir, "data", "vaultroom.db");
    let server: ServerProcess = await startServer(dir);
    const users: RegisteredUser[] = [];
    // Six people (the rate limits allow each a burst of about 20 messages per connection).
    for (const name of ["ada", "brook", "cyd", "dee", "emil", "flo"]) users.push(await registerUser(server, name));
    const rooms = [await createPublicRoom(server, users[0]!, "durable one"), await createPublicRoom(server, users[0]!, "durable two")];
    for (const user of users.slice(1)) for (const room of rooms) await joinRoom(server, user, room);

    const ledger = new Ledger();
    // A thread root (also reacted to) in each room, posted before any kill and in the ledger like any other.
    const roots: number[] = [];
    for (const roomId of rooms) {
      const sent = ledger.next({ authorId: users[0]!.id, roomId, connection: "setup", body: "thread root" });
      const id = await postOnce(server, users[0]!, roomId, sent.body, sent.clientId);
      ledger.record(sent, { kind: "acked", id, duplicate: false });
      roots.push(id);
    }
    let totalAcked = 0;
    let totalResent = 0;
    let roundsKilledMidTraffic = 0;
    try {
      for (let round = 1; round <= ROUNDS; round++) {
        // Seven connections: every user, and the first one on a second device.
        const connections = await Promise.all([...users, users[0]!].map((user) => PostingClient.connect(server, user)));
        // The rate limits let each connection burst ~20 messages, then ~5 a second: most kills land
        // during the burst, when many messages are in flight; some later, in the steady trickle.
        const killAfterMs = rand() < 0.8 ? 1 + Math.floor(rand() * 25) : 25 + Math.floor(rand() * 300);
        let killed = false;
        const posting = connections.map((client, index) =>
          postUntil(
            client,
            ledger,
            () => {
              const which = Math.floor(rand() * rooms.length);
              const roomId = rooms[which]!;
              const base = { authorId: client.user.id, roomId, connection: `round ${round} connection ${index}`, body: `r${round} c${index} ✓ ${rand().toString(36).slice(2)}` };
              const kind = rand();
              // One in five a thread reply, one in ten a reaction (each person has each emoji once per message).
              if (kind < 0.2) return { ...base, threadRootId: roots[which]! };
              if (kind < 0.3) return { ...base, reaction: { messageId: roots[which]!, emoji: EMOJI[Math.floor(rand() * EMOJI.length)]! } };
              return base;
            },
            () => killed,
          ),
        );
        await Bun.sleep(killAfterMs);
        server.proc.kill("SIGKILL");
        await server.proc.exited;
        killed = true;
        await Promise.all(posting);
        await Promise.all(connections.map((client) => client.closed));

        server = await startServer(dir);
        const again = await Promise.all(users.map((user) => PostingClient.connect(server, user)));
        const unresolved = ledger.unresolved().length;
        if (unresolved > 0) roundsKilledMidTraffic++;
        const resent = await resendUnresolved(ledger, again);
        totalResent += resent.duplicates + resent.fresh;
        for (const client of again) client.close();
        await Promise.all(again.map((client) => client.closed));

        const problems = checkDatabase(dbPath, ledger, { allowUnknown: false });
        // The first few problems and their count are enough to see what broke.
        expect({ round, seed: SEED, killAfterMs, unresolved, problems: problems.slice(0, 10), count: problems.length }).toEqual({
          round,
          seed: SEED,
          killAfterMs,
          unresolved,
          problems: [],
          count: 0,
        });
        expect(ledger.unresolved()).toEqual([]);
        totalAcked = ledger.acked.size;
      }
    } finally {
      server.proc.kill("SIGKILL");
      await server.proc.exited;
    }
    // The rounds did real work: many acknowledged messages, replies and reactions, and kills that caught messages in flight.
    expect(totalAcked).toBeGreaterThan(ROUNDS * 20);
    const acked = [...ledger.acked.keys()].map((clientId) => ledger.sent.get(clientId)!);
    expect(acked.filter((sent) => sent.threadRootId !== undefined).length).toBeGreaterThan(ROUNDS);
    expect(acked.filter((sent) => sent.reaction).length).toBeGreaterThan(6);
    if (ROUNDS >= 10) expect(roundsKilledMidTraffic).toBeGreaterThan(0);
    console.log(
      `crash durability: ${ROUNDS} kills (${roundsKilledMidTraffic} with messages in flight), ${totalAcked} messages acknowledged, ` +
        `${totalResent} resent after restarts (seed ${SEED})`,
    );
    rmSync(dir, { recursive: true, force: true }); // kept when a check failed, for a look at the data
  }, ROUNDS * 15_000 + 30_000);
});
