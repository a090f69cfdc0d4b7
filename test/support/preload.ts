// Runs once before the test files: builds the web app when it has never been built, so tests serve
// the real embedded assets. `bun run test` always rebuilds first; a stale build is fine for server tests.
import "../../src/production-env.ts";
import { existsSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dir, "../..");
if (!existsSync(join(root, "src/web/embedded.generated.ts")) || !existsSync(join(root, "web/dist/index.html"))) {
  const result = Bun.spawnSync(["bun", "run", "build:web"], { cwd: root, stdout: "ignore", stderr: "inherit" });
  if (result.exitCode !== 0) throw new Error("building the web app failed");
}
