// Nodes sharing one secrets file (--secrets-file) and starting at the same moment all start, with
// the same keys: none may read the file while another is still writing it (a cluster test once saw
// a node exit with "JSON Parse error: Unexpected EOF").
import { expect, test } from "bun:test";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const LOADER = join(import.meta.dir, "secrets-race-loader.ts");

test("processes creating one secrets file together all get its keys, and nothing is left beside it", async () => {
  for (let round = 0; round < 12; round++) {
    const dir = mkdtempSync(join(tmpdir(), "vaultroom-secrets-race-"));
    try {
      const file = join(dir, "secrets.json");
      const runs = Array.from({ length: 6 }, () => Bun.spawn([process.execPath, LOADER, dir, file], { stdout: "pipe", stderr: "pipe" }));
      const outputs = await Promise.all(runs.map(async (run) => ({ code: await run.exited, out: (await new Response(run.stdout).text()).trim(), err: await new Response(run.stderr).text() })));
      for (const output of outputs) expect({ code: output.code, err: output.err.slice(0, 300) }).toEqual({ code: 0, err: "" });
      expect(new Set(outputs.map((o) => o.out)).size).toBe(1);
      expect(readdirSync(dir)).toEqual(["secrets.json"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}, 60_000);
