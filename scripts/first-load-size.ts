// What the first page load of the web app costs, gzipped: index.html, its stylesheet and its entry
// script with every chunk that script imports statically (not the ones loaded later with import()).
// Issue 11 allows the conversation features at most 15 KB more than before; run after `bun run build:web`:
//
//   bun scripts/first-load-size.ts            # prints the total and each file
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const dist = join(import.meta.dir, "../web/dist");
const html = readFileSync(join(dist, "index.html"), "utf8");
const gz = (path: string) => gzipSync(readFileSync(join(dist, path)), { level: 9 }).length;

const files = new Set<string>(["index.html"]);
for (const [, href] of html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)) files.add(href!);
// Static imports of the entry, recursively: `import{…}from"./x.js"` or `import"./x.js"` (not `import("./x.js")`).
const pending = [...files].filter((f) => f.endsWith(".js"));
while (pending.length) {
  const file = pending.pop()!;
  const code = readFileSync(join(dist, file), "utf8");
  for (const [, target] of code.matchAll(/import(?:[^("']*?from)?\s*["']\.\/([^"']+\.js)["']/g)) {
    const path = `assets/${target}`;
    if (!files.has(path)) {
      files.add(path);
      pending.push(path);
    }
  }
}
let total = 0;
for (const file of files) {
  const size = gz(file);
  total += size;
  console.log(`${String(size).padStart(8)}  ${file}`);
}
console.log(`${String(total).padStart(8)}  first page load, gzipped (level 9)`);
