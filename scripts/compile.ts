// Compiles src/main.ts and the embedded web app into one executable: dist/vaultroom.
import { $ } from "bun";
import { join } from "node:path";

const root = join(import.meta.dir, "..");
await $`bun build --compile --minify --sourcemap=none --no-compile-autoload-dotenv --no-compile-autoload-bunfig --define process.env.NODE_ENV='"production"' --outfile ${join(root, "dist/vaultroom")} ${join(root, "src/main.ts")}`.cwd(root);
console.log("built dist/vaultroom");
