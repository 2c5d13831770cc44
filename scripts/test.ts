// `npm test`: installs the OpenClaw test harness when it is missing or stale, then runs every test file with node:test.
// Arguments narrow the run: `npm test -- test/core` runs the files under test/core.

import { spawnSync } from "node:child_process";
import { existsSync, globSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dirname, "..");
const harness = join(root, "test", "openclaw");

/** The harness package (the real openclaw) is installed from its own lockfile; re-installed when the lockfile changes. */
function ensureHarness(): void {
  const lock = join(harness, "package-lock.json");
  if (!existsSync(lock)) return;
  const stamp = join(harness, "node_modules", ".clawshake-lock");
  const wanted = readFileSync(lock, "utf8");
  if (existsSync(stamp) && readFileSync(stamp, "utf8") === wanted) return;
  process.stdout.write("Installing the OpenClaw test harness (npm ci in test/openclaw)…\n");
  const npm = spawnSync("npm", ["--prefix", harness, "ci", "--no-audit", "--no-fund"], {
    stdio: "inherit",
    cwd: root,
  });
  if (npm.status !== 0) process.exit(npm.status ?? 1);
  writeFileSync(stamp, wanted);
}

const narrowed = process.argv.slice(2);
const files = globSync("test/**/*.test.ts", {
  cwd: root,
  exclude: (path) => path.includes("node_modules"),
})
  .filter(
    (file) =>
      narrowed.length === 0 ||
      narrowed.some((prefix) => file.startsWith(prefix.replace(/^\.\//, ""))),
  )
  .sort();
if (files.length === 0) {
  process.stderr.write(`no test files match ${narrowed.join(" ")}\n`);
  process.exit(2);
}
ensureHarness();
const run = spawnSync(
  process.execPath,
  ["--test", "--test-concurrency=2", "--test-timeout=600000", "--test-force-exit", ...files],
  { stdio: "inherit", cwd: root },
);
process.exit(run.status ?? 1);
