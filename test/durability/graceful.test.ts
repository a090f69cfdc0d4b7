// A graceful stop under load: SIGTERM while several clients post. Every client sees close code 1001
// ("going away"), the process exits 0, and after a restart every acknowledged message is there exactly
// once; what was refused as "shutting down" is not stored, and resending the unanswered rest creates no
// duplicates. GRACEFUL_ROUNDS sets the number of rounds (default 3).
import { describe, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "../support/app.ts";
import { checkDatabase, Ledger, postUntil, resendUnresolved } from "./ledger.ts";
import { PostingClient } from "./posting-client.ts";
import { createPublicRoom, joinRoom, registerUser, startServer, type RegisteredUser, type ServerProcess } from "./server-process.ts";

const ROUNDS = Math.max(1, Number(process.env.GRACEFUL_ROUNDS ?? 3));

describe("graceful shutdown under load (SIGTERM)", () => {
  test(`no acknowledged message is lost and every client sees 1001, over ${ROUNDS} stops`, async () => {
    const dir = tempDir("vaultroom-sigterm-");
    const dbPath = join(dir, "data", "vaultroom.db");
    let server: ServerProcess = await startServer(dir);
    const users: RegisteredUser[] = [];
    for (const name of ["dana", "eli", "fern"]) users.push(await registerUser(server, name));
    const rooms = [await createPublicRoom(server, users[0]!, "calm one"), await createPublicRoom(server, users[0]!, "calm two")];
    for (const user of users.slice(1)) for (const room of rooms) await joinRoom(server, user, room);

    const ledger = new Ledger();
    try {
      for (let round = 1; round <= ROUNDS; round++) {
        const connections = await Promise.all([...users, users[1]!].map((user) => PostingClient.connect(server, user)));
        let stop = false;
        const posting = connections.map((client, index) =>
          postUntil(
            client,
            ledger,
            () => ({
              authorId: client.user.id,
              roomId: rooms[index % rooms.length]!,
              connection: `round ${round} connection ${index}`,
              body: `round ${round}, connection ${index}: still here`,
            }),
            () => stop,
          ),
        );
        await Bun.sleep(100 + 100 * round);
        server.proc.kill("SIGTERM");
        const exitCode = await server.proc.exited;
        const closeCodes = await Promise.all(connections.map((client) => client.closed));
        stop = true;
        await Promise.all(posting);

        expect({ round, exitCode, closeCodes, output: exitCode === 0 ? "" : server.output() }).toEqual({
          round,
          exitCode: 0,
          closeCodes: connections.map(() => 1001),
          output: "",
        });
        expect(ledger.acked.size).toBeGreaterThan(round * 10);
        // Before anyone resends: what was acknowledged is all there; unanswered ones may or may not be.
        expect(checkDatabase(dbPath, ledger, { allowUnknown: true }).slice(0, 10)).toEqual([]);

        server = await startServer(dir);
        const again = await Promise.all(users.map((user) => PostingClient.connect(server, user)));
        await resendUnresolved(ledger, again);
        for (const client of again) client.close();
        await Promise.all(again.map((client) => client.closed));
        expect(ledger.unresolved()).toEqual([]);
        expect(checkDatabase(dbPath, ledger, { allowUnknown: false }).slice(0, 10)).toEqual([]);
      }
    } finally {
      server.proc.kill("SIGKILL");
      await server.proc.exited;
    }
    rmSync(dir, { recursive: true, force: true }); // kept when a check failed, for a look at the data
  }, ROUNDS * 20_000 + 30_000);
});
