// A mutation-testing pass over the domain (issue 18): small, deliberate breakages of the checks that
// guard authorization and durability, each run against the tests that execute the broken line. A
// mutant that no test notices ("survived") is a check nobody would miss if it vanished.
//
//   bun scripts/mutate.ts [--dirs src/accounts,src/rooms,src/messages,src/files] [--ops guard,compare,logic]
//                         [--tests test/unit,test/api,test/ws,test/hostile] [--only substring] [--out report.json]
//
// It edits files in place (and puts each back before the next), so run it in a throwaway clone:
//   d=$(mktemp -d) && git clone -q . $d && cd $d && bun install --frozen-lockfile && bun scripts/mutate.ts
//
// Which tests run for a mutant comes from coverage: each test file is run once with lcov coverage to
// learn the lines it executes; a mutant runs only the files that execute its line (a line no test
// executes is reported as uncovered, without running anything).
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    dirs: { type: "string", default: "src/accounts,src/rooms,src/messages,src/files" },
    tests: { type: "string", default: "test/unit,test/api,test/ws,test/hostile" },
    ops: { type: "string", default: "guard,compare,logic" },
    only: { type: "string" },
    out: { type: "string" },
  },
});
const ROOT = process.cwd();
const dirs = values.dirs!.split(",");
const ops = new Set(values.ops!.split(","));
const log = (line: string) => process.stderr.write(`${line}\n`);

interface Mutant {
  file: string;
  line: number;
  op: "guard" | "compare" | "logic";
  before: string;
  after: string;
}
type Outcome = "killed" | "survived" | "uncovered" | "timeout";

// --- the mutants ---------------------------------------------------------------------------------

/** `if (cond) throw …` or `if (cond) {` whose block starts with a throw: the guard is removed. */
function guardMutants(file: string, lines: string[]): Mutant[] {
  const found: Mutant[] = [];
  lines.forEach((text, i) => {
    const single = /^(\s*(?:\}\s*else\s+)?if\s*)\((.*)\)(\s*throw\b.*)$/.exec(text);
    const block = /^(\s*(?:\}\s*else\s+)?if\s*)\((.*)\)(\s*\{\s*)$/.exec(text);
    const blockThrows = block && /^\s*throw\b/.test(lines[i + 1] ?? "");
    const m = single ?? (blockThrows ? block : null);
    if (m) found.push({ file, line: i + 1, op: "guard", before: text, after: `${m[1]}(false)${m[3]}` });
  });
  return found;
}

const COMPARE_SWAPS: [RegExp, string][] = [
  [/ === /, " !== "],
  [/ !== /, " === "],
  [/ <= /, " < "],
  [/ >= /, " > "],
  [/ < /, " <= "],
  [/ > /, " >= "],
];

/** In conditions: one comparison flipped or moved by one (boundaries). */
function compareMutants(file: string, lines: string[]): Mutant[] {
  const found: Mutant[] = [];
  lines.forEach((text, i) => {
    if (!/^\s*(?:\}\s*else\s+)?(if|while)\s*\(/.test(text) && !/\?\s.*:\s/.test(text)) return;
    if (/=>|^\s*\/\//.test(text) && !/^\s*if/.test(text)) return;
    for (const [pattern, replacement] of COMPARE_SWAPS) {
      if (pattern.test(text)) found.push({ file, line: i + 1, op: "compare", before: text, after: text.replace(pattern, replacement) });
    }
  });
  return found;
}

/** In conditions: `&&` ↔ `||`, and a negation dropped. */
function logicMutants(file: string, lines: string[]): Mutant[] {
  const found: Mutant[] = [];
  lines.forEach((text, i) => {
    if (!/^\s*(?:\}\s*else\s+)?if\s*\(/.test(text)) return;
    if (text.includes(" && ")) found.push({ file, line: i + 1, op: "logic", before: text, after: text.replace(" && ", " || ") });
    if (text.includes(" || ")) found.push({ file, line: i + 1, op: "logic", before: text, after: text.replace(" || ", " && ") });
    const negated = /if\s*\(!(?!=)/.exec(text);
    if (negated) found.push({ file, line: i + 1, op: "logic", before: text, after: text.replace(/if\s*\(!(?!=)/, "if (") });
  });
  return found;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .map((f) => join(dir, f))
    .filter((f) => f.endsWith(".ts") && statSync(f).isFile());
}

const mutants: Mutant[] = [];
for (const dir of dirs) {
  for (const file of sourceFiles(dir)) {
    if (values.only && !file.includes(values.only)) continue;
    const lines = readFileSync(file, "utf8").split("\n");
    if (ops.has("guard")) mutants.push(...guardMutants(file, lines));
    if (ops.has("compare")) mutants.push(...compareMutants(file, lines));
    if (ops.has("logic")) mutants.push(...logicMutants(file, lines));
  }
}
log(`${mutants.length} mutants in ${dirs.join(", ")}`);

// --- which test files execute which lines --------------------------------------------------------

function testFiles(): string[] {
  return values
    .tests!.split(",")
    .flatMap((dir) => sourceFiles(dir))
    .filter((f) => f.endsWith(".test.ts"))
    // The compiled binary and Chromium run code built before the mutation: they cannot see it.
    .filter((f) => !/support\/(binary|browser)/.test(readFileSync(f, "utf8")))
    .sort();
}

const BUN_TEST = ["bun", "test", "--conditions", "browser", "--timeout", "60000"];
// Commands run in the SQLite writer thread, where coverage does not look: the tests commit on the event
// loop instead (test/support/app.ts), so a guard inside a command counts as executed where it is.
const TEST_ENV = { ...process.env, VAULTROOM_TEST_WRITER: "loop" };

/** test file → the set of "file:line" it executes (only for the mutated files). */
function coverageMap(files: string[]): Map<string, Set<string>> {
  const map = new Map<string, Set<string>>();
  const base = mkdtempSync(join(tmpdir(), "vaultroom-mutate-"));
  for (const [n, test] of files.entries()) {
    const dir = join(base, String(n));
    const run = Bun.spawnSync([...BUN_TEST, "--coverage", "--coverage-reporter=lcov", `--coverage-dir=${dir}`, test], {
      cwd: ROOT,
      env: TEST_ENV,
      stdout: "ignore",
      stderr: "ignore",
    });
    const lcov = join(dir, "lcov.info");
    const covered = new Set<string>();
    if (existsSync(lcov)) {
      let current = "";
      for (const line of readFileSync(lcov, "utf8").split("\n")) {
        if (line.startsWith("SF:")) current = relative(ROOT, resolve(ROOT, line.slice(3)));
        else if (line.startsWith("DA:")) {
          const [lineNo, hits] = line.slice(3).split(",");
          if (Number(hits) > 0) covered.add(`${current}:${lineNo}`);
        }
      }
    }
    map.set(test, covered);
    log(`coverage ${n + 1}/${files.length} ${test}: ${covered.size} lines${run.exitCode === 0 ? "" : " (the file fails unmutated!)"}`);
  }
  rmSync(base, { recursive: true, force: true });
  return map;
}

const tests = testFiles();
// (local, uncommitted) cache the coverage map across runs: it does not depend on --dirs.
const CACHE = process.env.MUTATE_COVERAGE_CACHE;
let coverage: Map<string, Set<string>>;
if (CACHE && existsSync(CACHE)) {
  coverage = new Map(Object.entries(JSON.parse(readFileSync(CACHE, "utf8")) as Record<string, string[]>).map(([k, v]) => [k, new Set(v)]));
  log(`coverage from ${CACHE}`);
} else {
  coverage = coverageMap(tests);
  if (CACHE) writeFileSync(CACHE, JSON.stringify(Object.fromEntries([...coverage].map(([k, v]) => [k, [...v].filter((l) => l.startsWith("src/"))]))));
}

// --- running each mutant -------------------------------------------------------------------------

function restoreAll(originals: Map<string, string>): void {
  for (const [file, text] of originals) writeFileSync(file, text);
}
const originals = new Map<string, string>();
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    restoreAll(originals);
    process.exit(130);
  });
}

const results: (Mutant & { outcome: Outcome; tests: number; ms: number })[] = [];
for (const [n, mutant] of mutants.entries()) {
  const key = `${mutant.file}:${mutant.line}`;
  const covering = tests.filter((t) => coverage.get(t)?.has(key));
  const started = performance.now();
  let outcome: Outcome;
  if (covering.length === 0) outcome = "uncovered";
  else {
    const original = originals.get(mutant.file) ?? readFileSync(mutant.file, "utf8");
    originals.set(mutant.file, original);
    const lines = original.split("\n");
    lines[mutant.line - 1] = mutant.after;
    writeFileSync(mutant.file, lines.join("\n"));
    try {
      // (local, uncommitted) one process per covering file, the likeliest first, stopping at the first
      // failure: keeps each `bun test` short enough for the watchdog's 90 s limit.
      const folder = mutant.file.split("/")[1]!.replace(/s$/, "").slice(0, 5);
      const ordered = [...covering].sort((a, b) => Number(b.includes(folder)) - Number(a.includes(folder)));
      outcome = "survived";
      for (const file of ordered) {
        const run = Bun.spawnSync([...BUN_TEST, "--bail", file], { cwd: ROOT, env: TEST_ENV, stdout: "ignore", stderr: "ignore", timeout: 600_000 });
        if (run.exitedDueToTimeout) { outcome = "timeout"; break; }
        if (run.exitCode !== 0) { outcome = "killed"; log(`   killed by ${file} (exit ${run.exitCode}, signal ${run.signalCode ?? "-"})`); break; }
      }
    } finally {
      writeFileSync(mutant.file, original);
    }
  }
  const ms = Math.round(performance.now() - started);
  results.push({ ...mutant, outcome, tests: covering.length, ms });
  log(`${n + 1}/${mutants.length} ${outcome.padEnd(9)} ${key} [${mutant.op}] ${mutant.after.trim()} (${covering.length} files, ${ms} ms)`);
}

const count = (o: Outcome) => results.filter((r) => r.outcome === o).length;
const detected = count("killed") + count("timeout");
const score = results.length ? (detected / results.length) * 100 : 100;
process.stdout.write(
  `\nmutation score ${score.toFixed(1)}%: ${detected} of ${results.length} detected (${count("killed")} killed, ${count("timeout")} timed out), ${count("survived")} survived, ${count("uncovered")} uncovered\n`,
);
for (const r of results.filter((r) => r.outcome === "survived" || r.outcome === "uncovered")) {
  process.stdout.write(`  ${r.outcome.padEnd(9)} ${r.file}:${r.line} [${r.op}]\n      - ${r.before.trim()}\n      + ${r.after.trim()}\n`);
}
if (values.out) writeFileSync(values.out, JSON.stringify({ score, results }, null, 2));
