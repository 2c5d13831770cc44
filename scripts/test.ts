// `npm test`: installs the OpenClaw test harness when it is missing or stale, then runs every test file with node:test.
// Arguments narrow the run: `npm test -- test/core` runs the files under test/core.

import { spawn, spawnSync } from "node:child_process";
import { existsSync, globSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dirname, "..");
/** The whole run takes 5–10 minutes here; far longer means a file that never ends. */
const RUN_LIMIT_MS = 45 * 60_000;
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
// No --test-force-exit: with several files at once it drops results that ran (nodejs/node#64833), so the counts would
// be a lower bound. A file that leaves something running (a server, a socket, a timer) would then keep the run alive:
// the watchdog turns that into a loud failure instead of a silent hang.
const child = spawn(
  process.execPath,
  ["--test", "--test-concurrency=2", "--test-timeout=600000", ...files],
  { stdio: "inherit", cwd: root, detached: true },
);
const watchdog = setTimeout(() => {
  process.stderr.write(
    `\nThe test run did not end within ${RUN_LIMIT_MS / 60_000} minutes: a test file left something running (a server, a socket, a timer). Stopping it.\n`,
  );
  process.kill(-(child.pid as number), "SIGKILL");
}, RUN_LIMIT_MS);
// The run has a process group of its own (so the watchdog can stop all of it): pass Ctrl-C and SIGTERM on to it.
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.on(signal, () => process.kill(-(child.pid as number), signal));
child.on("exit", (code, signal) => {
  clearTimeout(watchdog);
  process.exit(code ?? (signal ? 1 : 0));
});
