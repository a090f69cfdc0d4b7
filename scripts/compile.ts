// Compiles src/main.ts and the embedded web app into one executable: dist/vaultroom.
import { $ } from "bun";
import { join } from "node:path";

const root = join(import.meta.dir, "..");
// --bytecode (ESM, embedded in the binary) skips parsing at start-up: cold start to the first HTTPS
// response went from ~200 to ~100 ms on an empty data directory and from 238 to 184 ms on one with
// 1,000,000 messages (bench/README.md), for ~6 MB more binary.
// The SQLite writer thread and the password-hashing thread are further entrypoints: Bun bundles a
// Worker's file only when it is listed.
await $`bun build --compile --bytecode --format=esm --minify --sourcemap=none --no-compile-autoload-dotenv --no-compile-autoload-bunfig --define process.env.NODE_ENV='"production"' --outfile ${join(root, "dist/vaultroom")} ${join(root, "src/main.ts")} ${join(root, "src/db/sqlite/writer-worker.ts")} ${join(root, "src/accounts/hash-worker.ts")}`.cwd(root);
console.log("built dist/vaultroom");
