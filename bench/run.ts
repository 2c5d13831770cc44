// `npm run bench`: measures clawshake's performance figures, each part in its own process, and prints them as a table
// (or one JSON object with --json). Never fakes a figure: a part that cannot run reports null and says why.

import { type ChildProcess, fork } from "node:child_process";
import { readFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg, totalmem } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { type Figures, readmeBlock, textTable, updateReadme } from "./report.ts";
import {
  METRICS,
  type Metric,
  PARTS,
  type Part,
  type PartResult,
  progress,
  round,
} from "./result.ts";

/** Which figures each part measures, to say why they are missing when the part fails as a whole. */
const PART_METRICS: Record<Part, Metric[]> = {
  store: ["events_per_s_sqlite", "events_per_s_redis"],
  rss: ["rss_mb_10k_sessions"],
  cli: [
    "cli_spawns_per_min_100_waiting",
    "cli_spawns_per_min_1_waiting",
    "cli_spawns_per_min_naive_100_waiting",
  ],
  discord: ["discord_ack_p99_ms", "discord_ack_p99_ms_bare"],
  openclaw: [
    "events_path_spawns_per_min",
    "pairing_to_card_p95_ms",
    "pairing_to_card_p95_ms_cli",
    "setup_link_to_connected_p95_ms",
  ],
  diagnose: ["diagnose_max_log_ms"],
};

/** How long a part may take before it is stopped (short mode, full mode). */
const BUDGET_MS: Record<Part, [number, number]> = {
  store: [60_000, 120_000],
  rss: [180_000, 240_000],
  cli: [120_000, 240_000],
  discord: [120_000, 300_000],
  openclaw: [420_000, 1_800_000],
  diagnose: [60_000, 120_000],
};

/**
 * The Node flags `npm start` runs the bot with (package.json's start script, e.g. the young generation's size), so
 * every part measures the bot as it runs in production.
 */
const START_FLAGS = (
  JSON.parse(readFileSync(join(import.meta.dirname, "../package.json"), "utf8")) as {
    scripts: { start: string };
  }
).scripts.start
  .split(/\s+/)
  .filter((word) => word.startsWith("--") && !word.startsWith("--env-file"));

const USAGE = `usage: npm run bench [-- --short] [--json] [--update-readme] [--only PART,…]
  --short          CI mode: few samples (2 per real-gateway figure, 50 concurrent handshakes); a few minutes
  --json           print one JSON object on stdout (progress goes to stderr)
  --update-readme  rewrite the README's Performance block with the figures
  --only           run only these parts (${PARTS.join(", ")}); the others' figures are null`;

function parseFlags(): { short: boolean; json: boolean; updateReadme: boolean; parts: Part[] } {
  try {
    const { values } = parseArgs({
      options: {
        short: { type: "boolean", default: false },
        json: { type: "boolean", default: false },
        "update-readme": { type: "boolean", default: false },
        only: { type: "string" },
        help: { type: "boolean", default: false },
      },
      strict: true,
    });
    if (values.help) {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    }
    const only = values.only?.split(",").map((p) => p.trim()) ?? [...PARTS];
    const unknown = only.filter((p) => !PARTS.includes(p as Part));
    if (unknown.length > 0) throw new Error(`unknown part: ${unknown.join(", ")}`);
    if (values.only !== undefined && values["update-readme"])
      throw new Error("--update-readme needs every part: leave out --only");
    return {
      short: values.short,
      json: values.json,
      updateReadme: values["update-readme"],
      parts: PARTS.filter((p) => only.includes(p)),
    };
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    process.exit(2);
  }
}

interface WorkerMessage {
  ok: boolean;
  /** A result so far, sent before the part is done. */
  partial?: boolean;
  result?: PartResult;
  error?: string;
}

/** The part running now, so that Ctrl-C stops it (it runs in a process group of its own) before we exit. */
let current: ChildProcess | undefined;

/** Kills every process left in a part's process group (a redis-server or a fake whose part failed to stop it). */
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // ESRCH: nothing left
  }
}

/** Stops a part: SIGTERM lets it clean up (the harness stops gateways, deletes namespaces); then the group goes. */
function stopPart(child: ChildProcess): void {
  if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
  setTimeout(() => killGroup(child, "SIGKILL"), 15_000).unref();
}

for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.once(signal, () => {
    progress(`${signal}: stopping`);
    if (!current) process.exit(130);
    current.once("exit", () => {
      if (current) killGroup(current, "SIGKILL");
      process.exit(130);
    });
    stopPart(current);
  });

/** Runs one part in bench/worker.ts; its stdout goes to our stderr, so that ours stays the JSON's. */
function runPart(part: Part, short: boolean): Promise<PartResult> {
  const budget = BUDGET_MS[part][short ? 0 : 1];
  const child: ChildProcess = fork(
    join(import.meta.dirname, "worker.ts"),
    [part, ...(short ? ["--short"] : [])],
    {
      execPath: process.execPath,
      execArgv: [...START_FLAGS, ...(part === "rss" ? ["--expose-gc"] : [])],
      stdio: ["ignore", "pipe", "inherit", "ipc"],
      detached: true,
    },
  );
  current = child;
  child.stdout?.pipe(process.stderr);
  return new Promise((resolve) => {
    let answer: WorkerMessage | undefined;
    let sofar: PartResult | undefined;
    const timer = setTimeout(() => {
      answer ??= { ok: false, error: `stopped after ${budget / 1000} s (its time budget)` };
      stopPart(child);
    }, budget);
    child.on("message", (message: WorkerMessage) => {
      if (message.partial) sofar = message.result;
      else answer ??= message;
    });
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      killGroup(child, "SIGKILL");
      current = undefined;
      if (answer?.ok && answer.result) return resolve(answer.result);
      const why =
        answer?.error?.split("\n")[0] ??
        `the part's process exited (${signal ?? code}) without a result`;
      if (answer?.error) progress(`${part} failed:\n${answer.error}`);
      // What the part finished before it stopped stands; the rest is null, with the reason.
      const missing = PART_METRICS[part].filter((m) => sofar?.values[m] === undefined);
      resolve({
        values: { ...sofar?.values, ...Object.fromEntries(missing.map((m) => [m, null])) },
        notes: {
          ...sofar?.notes,
          ...Object.fromEntries(missing.map((m) => [m, `could not run: ${why}`])),
        },
        method: sofar?.method ?? [],
      });
    });
  });
}

function load(): string {
  return loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");
}

function machine(): string {
  const gib = round(totalmem() / 1024 ** 3);
  const model = cpus()[0]?.model.trim() ?? "unknown CPU";
  return `${availableParallelism()} CPUs (${model}), ${gib} GiB RAM, Node ${process.versions.node}, ${process.platform}`;
}

const flags = parseFlags();
const started = Date.now();
const loadBefore = load();
const figures = Object.fromEntries(METRICS.map((m) => [m, null])) as Figures;
const notes: Record<string, string> = {};
const method: string[] = [
  `every part runs in its own process with the Node flags of \`npm start\`: ${START_FLAGS.join(" ") || "none"}`,
];
for (const part of PARTS.filter((p) => !flags.parts.includes(p)))
  for (const metric of PART_METRICS[part]) notes[metric] = "not run (--only)";
for (const part of flags.parts) {
  progress(`${part}: starting`);
  const partStarted = Date.now();
  const result = await runPart(part, flags.short);
  for (const [metric, figure] of Object.entries(result.values))
    figures[metric as Metric] = figure ?? null;
  Object.assign(notes, result.notes);
  method.push(...result.method);
  progress(`${part}: done in ${((Date.now() - partStarted) / 1000).toFixed(1)} s`);
}
const date = new Date().toISOString().slice(0, 10);
notes.machine = machine();
notes.mode = flags.short
  ? "short (CI): 2 samples per real-gateway figure, 50 concurrent handshakes, 10,000 sessions for memory"
  : "full: 20 samples per real-gateway figure, 200 concurrent handshakes, 10,000 sessions for memory";
// Other work on the machine moves every figure: say how busy it was.
notes.load = `load average (1, 5, 15 min) ${loadBefore} at the start, ${load()} at the end, on ${availableParallelism()} CPUs`;
notes.how_measured = method.join(" | ");
notes.duration = `${((Date.now() - started) / 1000).toFixed(0)} s`;
notes.date = date;

if (flags.updateReadme) {
  const readme = join(import.meta.dirname, "..", "README.md");
  updateReadme(
    readme,
    readmeBlock(figures, {
      machine: notes.machine,
      date,
      short: flags.short,
      load: notes.load,
    }),
  );
  progress(`updated the Performance block of ${readme}`);
}

if (flags.json) {
  process.stdout.write(`${JSON.stringify({ ...figures, notes })}\n`);
} else {
  const lines = [
    textTable(figures),
    "",
    `Measured on ${notes.machine}; ${notes.mode}; took ${notes.duration}; ${notes.load}.`,
    "",
    "How it was measured:",
    ...method.map((line) => `- ${line}`),
    "",
    "Notes:",
    ...Object.entries(notes)
      .filter(
        ([key]) => !["machine", "mode", "duration", "date", "load", "how_measured"].includes(key),
      )
      .map(([key, note]) => `- ${key}: ${note}`),
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
}
