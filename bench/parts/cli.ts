// Processes the CLI fallback spawns per minute: the bot's shared poller (CliGateway) with 100 and 1 waiting sessions,
// and a naive poller (one `devices list` per waiting session per interval), all with a counting stand-in `openclaw`.

import { setTimeout as sleep } from "node:timers/promises";
import { execa } from "execa";
import { CliGateway } from "../../src/adapters/openclaw/cli.ts";
import { loadConfig } from "../../src/config.ts";
import type { BenchOptions, PartResult } from "../result.ts";
import { progress, round } from "../result.ts";
import { removeDir } from "../support/cleanup.ts";
import { countSpawns, type SpawnCounter } from "../support/spawn-counter.ts";
import { type StandIn, standIn, tally } from "../support/standin.ts";
import { botWithWaitingSessions } from "../support/waiting.ts";

/** The bot's default poll interval (CLAWSHAKE_POLL_INTERVAL_MS), used for both pollers. */
const POLL_INTERVAL_MS = loadConfig({}).env.CLAWSHAKE_POLL_INTERVAL_MS;

interface Window {
  spawns: number;
  ms: number;
  perMinute: number;
  commands: string;
}

/** Spawns in [from, to), per minute, with what they ran. */
function windowOf(counter: SpawnCounter, from: number, to: number): Window {
  const inside = counter.spawns.filter((s) => s.at >= from && s.at < to);
  return {
    spawns: inside.length,
    ms: to - from,
    perMinute: (inside.length * 60_000) / (to - from),
    commands: tally(inside.map((s) => s.command.replace(/^openclaw /, ""))),
  };
}

/**
 * The shared poller's rate over whole polling rounds (each starts with `devices list`), so a window
 * that cuts a round in two does not skew it: from the first round start after warm-up to the last one.
 */
function roundsWindow(counter: SpawnCounter, from: number): Window {
  const starts = counter.spawns
    .filter((s) => s.at >= from && s.command.startsWith("openclaw devices list"))
    .map((s) => s.at);
  const first = starts[0];
  const last = starts.at(-1);
  if (first === undefined || last === undefined || last === first)
    throw new Error(`fewer than two polling rounds were seen (${starts.length})`);
  return windowOf(counter, first, last);
}

async function sharedPoller(stand: StandIn, waiting: number, windowMs: number): Promise<Window> {
  const counter = countSpawns();
  const cli = new CliGateway({
    bin: stand.bin,
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin" },
    pollIntervalMs: POLL_INTERVAL_MS,
    timeoutMs: loadConfig({}).env.CLAWSHAKE_OPENCLAW_TIMEOUT_MS,
  });
  const { app, dir } = await botWithWaitingSessions(cli, waiting);
  try {
    const from = performance.now();
    const before = stand.runs().length;
    // At least `windowMs`, and at least three whole rounds, so that one round more or less barely moves the rate.
    const rounds = () =>
      counter.spawns.filter((s) => s.at >= from && s.command.startsWith("openclaw devices list"))
        .length;
    while (performance.now() - from < windowMs || rounds() < 4) {
      if (performance.now() - from > 6 * windowMs) break;
      await sleep(100);
    }
    const measured = roundsWindow(counter, from);
    // The stand-in's own count agrees with the in-process one over the same stretch (nothing else spawns here).
    const counted = stand.runs().length - before;
    const seen = counter.spawns.filter((s) => s.at >= from).length;
    if (Math.abs(counted - seen) > 3)
      throw new Error(`the stand-in counted ${counted} runs, the process ${seen}`);
    return measured;
  } finally {
    counter.stop();
    await app.stop();
    removeDir(dir);
  }
}

/** The naive design: every waiting session polls `devices list` on its own, once per interval. */
async function naivePoller(stand: StandIn, waiting: number, windowMs: number): Promise<Window> {
  const counter = countSpawns();
  const stop = new AbortController();
  const loops = Array.from({ length: waiting }, async () => {
    while (!stop.signal.aborted) {
      await execa(stand.bin, ["devices", "list", "--json"], { reject: false });
      await sleep(POLL_INTERVAL_MS, undefined, { signal: stop.signal }).catch(() => undefined);
    }
  });
  try {
    // The first round starts all at once; measure the steady state after it.
    await sleep(POLL_INTERVAL_MS);
    const from = performance.now();
    await sleep(windowMs);
    return windowOf(counter, from, performance.now());
  } finally {
    stop.abort();
    await Promise.all(loops);
    counter.stop();
  }
}

export async function cliSpawns(options: BenchOptions): Promise<PartResult> {
  const windowMs = options.short ? 6000 : 10_000;
  const stand = standIn();
  const result: PartResult = {
    values: {},
    notes: {},
    method: [
      `cli_spawns_per_min_*: a stand-in openclaw (sh script counting its runs, answering devices list / nodes pending / nodes status / setup codes with valid JSON); the bot (startApp, SQLite, no-op chat) on CliGateway with sessions opened and approved through handshake (setup link sent: the state in which they wait for their node), poll interval ${POLL_INTERVAL_MS} ms (the default) for every poller; spawns counted over whole polling rounds within ~${windowMs / 1000} s and scaled to a minute; the naive poller runs one \`devices list --json\` per waiting session per interval`,
    ],
  };
  try {
    for (const [metric, waiting] of [
      ["cli_spawns_per_min_100_waiting", 100],
      ["cli_spawns_per_min_1_waiting", 1],
    ] as const) {
      progress(`cli: CliGateway with ${waiting} waiting session(s)`);
      const w = await sharedPoller(stand, waiting, windowMs);
      result.values[metric] = round(w.perMinute);
      result.notes[metric] =
        `${w.spawns} runs in ${(w.ms / 1000).toFixed(1)} s of whole polling rounds (${w.commands})`;
    }
    progress("cli: naive poller with 100 waiting sessions");
    const naive = await naivePoller(stand, 100, windowMs);
    result.values.cli_spawns_per_min_naive_100_waiting = round(naive.perMinute);
    result.notes.cli_spawns_per_min_naive_100_waiting = `${naive.spawns} runs in ${(naive.ms / 1000).toFixed(1)} s (${naive.commands})`;
  } finally {
    stand.remove();
  }
  return result;
}
