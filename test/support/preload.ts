// Runs once before the test files: builds the web app when web/dist is missing or older than
// web/src, so tests serve the real embedded assets.
import "../../src/production-env.ts";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dir, "../..");

function newest(dir: string): number {
  let latest = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const stat = statSync(path);
    latest = Math.max(latest, stat.isDirectory() ? newest(path) : stat.mtimeMs);
  }
  return latest;
}

const generated = join(root, "src/web/embedded.generated.ts");
const stale =
  !existsSync(generated) ||
  !existsSync(join(root, "web/dist/index.html")) ||
  newest(join(root, "web/src")) > statSync(join(root, "web/dist/index.html")).mtimeMs;
if (stale) {
  const result = Bun.spawnSync(["bun", "run", "build:web"], { cwd: root, stdout: "ignore", stderr: "inherit" });
  if (result.exitCode !== 0) throw new Error("building the web app failed");
}
