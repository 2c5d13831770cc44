// Latencies against the REAL OpenClaw gateway (npm openclaw, test/openclaw/harness.ts): pairing request → card on the
// operator connection and on the CLI, setup link command → card green; and processes spawned on the operator connection.

import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { CliGateway } from "../../src/adapters/openclaw/cli.ts";
import { loadConfig } from "../../src/config.ts";
import {
  createNetns,
  type Gateway,
  type Netns,
  type NodeProcess,
  OPENCLAW_BIN,
  runScript,
  startGateway,
  stripAnsi,
} from "../../test/openclaw/harness.ts";
import { codeBlocks } from "../../test/support/console-driver.ts";
import { operatorConnection } from "../../test/support/operator-connection.ts";
import type { BenchOptions, Metric, PartResult } from "../result.ts";
import { percentile, progress, round, spread } from "../result.ts";
import { removeDir, tempDir } from "../support/cleanup.ts";
import { ConsoleBot } from "../support/console-bot.ts";
import { RecordedGateway } from "../support/recorded-gateway.ts";
import { countSpawns } from "../support/spawn-counter.ts";
import { botWithWaitingSessions } from "../support/waiting.ts";

const METRICS: Metric[] = [
  "events_path_spawns_per_min",
  "pairing_to_card_p95_ms",
  "pairing_to_card_p95_ms_cli",
  "setup_link_to_connected_p95_ms",
];

/** Why the real gateway cannot run here, or undefined when it can (root, iproute2, the harness installed). */
function unavailable(): string | undefined {
  if (process.getuid?.() !== 0)
    return "needs root for network namespaces (as the real-OpenClaw tests do)";
  if (spawnSync("ip", ["-V"]).error) return "needs iproute2 (`ip`) for network namespaces";
  if (!existsSync(OPENCLAW_BIN))
    return `the OpenClaw harness is not installed (${OPENCLAW_BIN}): run \`npm run openclaw:install\``;
  return undefined;
}

/** The CLI as production builds it beside the gateway: default poll interval and timeout, the gateway's HOME. */
function cliGateway(gw: Gateway, durations: Map<string, number[]>): CliGateway {
  const env = loadConfig({}).env;
  return new CliGateway({
    // CliGateway reports each call as "<command> → exit <code> in <ms> ms": kept to say where a round's time goes.
    log: (_level, message) => {
      const call = /^\S*openclaw (\S+ \S+)(?: (device\.pair\.\w+))?.* → exit \S+ in (\d+) ms$/.exec(
        message,
      );
      if (!call) return;
      const command = [call[1], call[2]].filter(Boolean).join(" ");
      durations.set(command, [...(durations.get(command) ?? []), Number(call[3])]);
    },
    bin: OPENCLAW_BIN,
    env: {
      ...process.env,
      HOME: gw.home,
      PATH: `${join(process.execPath, "..")}:${process.env.PATH ?? ""}`,
    },
    configPath: gw.configPath,
    pollIntervalMs: env.CLAWSHAKE_POLL_INTERVAL_MS,
    timeoutMs: env.CLAWSHAKE_OPENCLAW_TIMEOUT_MS,
  });
}

/** `ts` of the pending request for `displayName` in `openclaw devices list --json`. */
async function pendingTs(gw: Gateway, displayName: string): Promise<number | undefined> {
  const listed = await gw.cli(["devices", "list"], { json: true });
  const pending = (listed.json as { pending?: { displayName?: string; ts?: number }[] }).pending;
  return pending?.find((p) => p.displayName === displayName)?.ts;
}

interface Context {
  gw: Gateway;
  nodes: NodeProcess[];
  /** One namespace per node, so each node comes from an address of its own, as separate machines do. */
  namespaces: Netns[];
  identityDir: string;
  samples: number;
  notes: Record<string, string>;
}

/** Processes the bot starts in a minute on the operator connection, with 100 sessions waiting for their node. */
async function eventsPathSpawns(ctx: Context, windowMs: number): Promise<number> {
  const events = await operatorConnection(ctx.gw, ctx.identityDir);
  const { app, dir } = await botWithWaitingSessions(events, 100);
  const counter = countSpawns();
  try {
    const from = performance.now();
    await sleep(windowMs);
    const spawned = counter.count;
    const ms = performance.now() - from;
    ctx.notes.events_path_spawns_per_min = `structural zero: the operator connection (EventGateway over @openclaw/gateway-client) has no code path that starts a process; counted every spawn/exec/fork of the bot process for ${(ms / 1000).toFixed(1)} s with 100 sessions holding a setup link minted on the real gateway: ${spawned}`;
    return (spawned * 60_000) / ms;
  } finally {
    counter.stop();
    await app.stop();
    removeDir(dir);
  }
}

/**
 * A namespace for one node, routed to the gateway's address. Each node gets its own: the gateway limits failed
 * authentication attempts per address ("too many failed authentication attempts", after about ten), and a
 * node's first connection counts as one.
 */
async function nodeNamespace(ctx: Context): Promise<Netns> {
  const netns = await createNetns();
  ctx.namespaces.push(netns);
  const routed = spawnSync(
    "ip",
    ["-n", netns.name, "route", "add", `${ctx.gw.host}/32`, "via", netns.hostIp],
    { encoding: "utf8" },
  );
  if (routed.status !== 0)
    throw new Error(`cannot route ${netns.name} to the gateway: ${routed.stderr.trim()}`);
  return netns;
}

/** When a node printed its first output, and each time it said it connected to the gateway (polled every 5 ms). */
function watchNode(node: NodeProcess): { firstOutput?: number; connected: number[]; stop(): void } {
  const seen: { firstOutput?: number; connected: number[]; stop(): void } = {
    connected: [],
    stop: () => clearInterval(timer),
  };
  const timer = setInterval(() => {
    const output = node.output();
    if (seen.firstOutput === undefined && output.length > 0) seen.firstOutput = Date.now();
    const count = output.split("gateway connected:").length - 1;
    while (seen.connected.length < count) seen.connected.push(Date.now());
  }, 5);
  return seen;
}

/** What the card and the node last showed, for a failure note (a setup code in the output is cut out). */
function lastSeen(node: NodeProcess, bot: ConsoleBot, name: string): string {
  const card =
    [...bot.shown]
      .reverse()
      .find((s) => s.line.where === "channel" && s.line.text.includes(`“${name}”`))
      ?.line.text.split("\n")
      .filter((line) => line.trim() !== "")
      .slice(0, 4)
      .join(" / ") ?? "nothing";
  const output = stripAnsi(node.output())
    .trim()
    .split("\n")
    .slice(-4)
    .join(" / ")
    .replace(/oc-pair:\/\/\S+/g, "oc-pair://…");
  return `the card showed: ${card}; the node's last output: ${output || "nothing"}`;
}

function median(values: number[]): number {
  return round(percentile(values, 50) ?? Number.NaN);
}

/** Setup link: from starting the command the bot sent to the card turning green. */
async function setupLinkToConnected(ctx: Context): Promise<number[]> {
  const events = await operatorConnection(ctx.gw, ctx.identityDir);
  const bot = await new ConsoleBot(events).start();
  const samples: number[] = [];
  const toFirstOutput: number[] = [];
  const toConnected: number[] = [];
  try {
    for (let i = 0; i < ctx.samples; i++) {
      const name = `bench-link-${String(i).padStart(2, "0")}`;
      // A different person each time, as in a team (one person may open only so many sessions an hour).
      const nodeOperator = `operator-${i}`;
      const from = bot.shown.length;
      bot.type(`/as ${nodeOperator}`, `/connect-node ${name}`);
      await bot.see(
        (l) =>
          l.where === "dm" && l.to === "alice" && l.text.includes(`Approve a new node “${name}”?`),
        `the approval request for ${name}`,
        30_000,
        from,
      );
      bot.type("/as alice", String(bot.button("Approve: all commands", "dm", "alice")));
      const dm = await bot.see(
        (l) =>
          l.where === "dm" &&
          l.to === nodeOperator &&
          l.text.includes("openclaw node run --pair") &&
          l.text.includes(name),
        `the setup link for ${name}`,
        30_000,
        from,
      );
      const script = codeBlocks(dm.line.text)[0] ?? "";
      if (!script.includes("oc-pair://"))
        throw new Error("the setup link DM has no oc-pair:// command");
      const nodeNetns = await nodeNamespace(ctx);
      const started = Date.now();
      const node = runScript({ netns: nodeNetns, script });
      ctx.nodes.push(node);
      const watched = watchNode(node);
      const green = await bot
        .see(
          (l) => l.where === "channel" && l.text.includes(`✅ Node “${name}” is connected`),
          `the card of ${name} to turn green`,
          90_000,
          from,
        )
        .catch((error: Error) => {
          watched.stop();
          throw new Error(`${error.message}; ${lastSeen(node, bot, name)}`);
        });
      samples.push(green.at - started);
      // The node may log that it connected a little after the gateway already lists it so: wait for the line.
      for (let waited = 0; watched.connected.length === 0 && waited < 3000; waited += 50)
        await sleep(50);
      watched.stop();
      if (watched.firstOutput !== undefined) toFirstOutput.push(watched.firstOutput - started);
      const connected = watched.connected[0];
      if (connected !== undefined) toConnected.push(connected - started);
      progress(`openclaw: setup link ${i + 1}/${ctx.samples}: ${green.at - started} ms`);
      await node.stop();
    }
  } finally {
    await bot.stop();
  }
  ctx.notes.setup_link_to_connected_breakdown = `medians after the command started: the node's first output ${median(toFirstOutput)} ms, its first “gateway connected” line ${median(toConnected)} ms (${toConnected.length} of ${samples.length} samples), the card green ${median(samples)} ms; the node redeems the code, reconnects as a paired device, and the card turns green when the gateway lists it connected`;
  return samples;
}

/** Shared token: from the gateway's timestamp of the node's pairing request to the card showing it. */
async function pairingToCard(ctx: Context, path: "events" | "cli"): Promise<number[]> {
  const durations = new Map<string, number[]>();
  const inner =
    path === "events"
      ? await operatorConnection(ctx.gw, ctx.identityDir)
      : cliGateway(ctx.gw, durations);
  const gateway = new RecordedGateway(inner);
  const bot = await new ConsoleBot(gateway, { CLAWSHAKE_MODE: "shared-token" }).start();
  const samples: number[] = [];
  const metric = path === "events" ? "pairing_to_card_p95_ms" : "pairing_to_card_p95_ms_cli";
  try {
    for (let i = 0; i < ctx.samples; i++) {
      const name = `bench-${path}-${String(i).padStart(2, "0")}`;
      const nodeOperator = `operator-${i}`;
      const from = bot.shown.length;
      bot.type(`/as ${nodeOperator}`, `/connect-node ${name}`);
      await bot.see(
        (l) => l.where === "channel" && l.text.includes(`Connect node “${name}”`),
        `the card of ${name}`,
        30_000,
        from,
      );
      bot.type("/as carol", String(bot.button("I'm the gateway operator", "channel")));
      await bot.see(
        (l) =>
          l.where === "reply" &&
          l.to === "carol" &&
          l.text.includes(`Gateway details for “${name}”`),
        `the gateway details form for ${name}`,
        30_000,
        from,
      );
      bot.type(ctx.gw.host, String(ctx.gw.port), ctx.gw.fingerprint, ctx.gw.token);
      const dm = await bot.see(
        (l) =>
          l.where === "dm" &&
          l.to === nodeOperator &&
          l.text.includes("openclaw node run --host") &&
          l.text.includes(name),
        `the node operator's commands for ${name}`,
        30_000,
        from,
      );
      const text = dm.line.text;
      const script = codeBlocks(text.slice(text.indexOf("Run this on the node machine")))[0] ?? "";
      if (!script.includes("--tls-fingerprint"))
        throw new Error("the commands DM has no node run script");
      const nodeNetns = await nodeNamespace(ctx);
      const node = runScript({ netns: nodeNetns, script });
      ctx.nodes.push(node);
      const card = await bot
        .see(
          (l) =>
            l.where === "channel" &&
            l.text.includes(`Connect node “${name}”`) &&
            l.text.includes("The node asked to pair"),
          `the card of ${name} to show the pairing request`,
          90_000,
          from,
        )
        .catch((error: Error) => {
          throw new Error(`${error.message}; ${lastSeen(node, bot, name)}`);
        });
      const request = gateway.pairingRequests.get(name);
      if (!request)
        throw new Error(`the card shows a pairing request the gateway never reported for ${name}`);
      if (i === 0) {
        // The event's timestamp must be the gateway's own: checked once per path against `devices list`.
        const ts = await pendingTs(ctx.gw, name);
        if (ts !== request.seenAt)
          throw new Error(
            `the reported request time ${request.seenAt} is not the gateway's ts ${ts}`,
          );
        ctx.notes[`${metric}_clock`] =
          "the pairing request's time is the gateway's own `ts` (checked against `openclaw devices list --json` on the first sample)";
      }
      samples.push(card.at - request.seenAt);
      progress(
        `openclaw: pairing request on the ${path} path ${i + 1}/${ctx.samples}: ${card.at - request.seenAt} ms`,
      );
      await node.stop();
    }
  } finally {
    await bot.stop();
  }
  if (durations.size > 0)
    ctx.notes.pairing_to_card_p95_ms_cli_breakdown = `one openclaw process at a time; median duration per call: ${[
      ...durations,
    ]
      .map(([command, ms]) => `${command} ${median(ms)} ms (×${ms.length})`)
      .join(", ")}`;
  return samples;
}

export async function realGateway(options: BenchOptions): Promise<PartResult> {
  const result: PartResult = { values: {}, notes: {}, method: [] };
  const why = unavailable();
  if (why) {
    for (const metric of METRICS) {
      result.values[metric] = null;
      result.notes[metric] = `not measured: ${why}`;
    }
    return result;
  }
  const samples = options.short ? 2 : 20;
  const windowMs = options.short ? 6000 : 10_000;
  const identityDir = tempDir("clawshake-bench-identity-");
  const nodes: NodeProcess[] = [];
  const namespaces: Netns[] = [];
  let netns: Netns | undefined;
  let gw: Gateway | undefined;
  try {
    progress("openclaw: starting a real gateway and a network namespace");
    netns = await createNetns();
    gw = await startGateway({ bindHost: netns.hostIp });
    const ctx: Context = {
      gw,
      nodes,
      namespaces,
      identityDir,
      samples,
      notes: result.notes,
    };
    result.method.push(
      `real gateway: openclaw ${"2026.9.6"} (test/openclaw/harness.ts) with TLS and token auth bound to a veth address; each node runs in a network namespace of its own (its own address, routed to the gateway's) exactly the script the bot sent it; the bot runs the console adapter with production settings (SQLite, sealing key, info logs to a file); ${samples} samples per figure, one after another; times are Date.now() on the one host clock`,
    );

    const steps: [Metric, () => Promise<number | number[]>, string][] = [
      [
        "events_path_spawns_per_min",
        () => eventsPathSpawns(ctx, windowMs),
        "events_path_spawns_per_min: processes the bot process starts per minute on the operator connection with 100 waiting sessions (every spawn/exec/fork counted in-process)",
      ],
      [
        "setup_link_to_connected_p95_ms",
        () => setupLinkToConnected(ctx),
        "setup_link_to_connected_p95_ms: from starting the `openclaw node run --pair …` script the bot DMed (operator connection) to the console card showing “✅ Node … is connected”",
      ],
      [
        "pairing_to_card_p95_ms",
        () => pairingToCard(ctx, "events"),
        "pairing_to_card_p95_ms: shared token on the operator connection; from the gateway's `ts` of the node's pairing request to the console card showing “The node asked to pair”",
      ],
      [
        "pairing_to_card_p95_ms_cli",
        () => pairingToCard(ctx, "cli"),
        `pairing_to_card_p95_ms_cli: the same on the CLI fallback (CliGateway, the real openclaw binary, default poll interval ${loadConfig({}).env.CLAWSHAKE_POLL_INTERVAL_MS} ms and timeout)`,
      ],
    ];
    for (const [metric, measure, method] of steps) {
      progress(`openclaw: ${metric}`);
      result.method.push(method);
      try {
        const measured = await measure();
        if (typeof measured === "number") result.values[metric] = round(measured);
        else {
          result.values[metric] = round(percentile(measured, 95) ?? Number.NaN);
          result.notes[metric] = spread(measured);
        }
      } catch (error) {
        result.values[metric] = null;
        result.notes[metric] = `failed: ${(error as Error).message.split("\n")[0]}`;
        progress(`openclaw: ${metric} ${result.notes[metric]}`);
      } finally {
        await Promise.all(nodes.splice(0).map((node) => node.stop()));
        for (const used of namespaces.splice(0)) await used.destroy();
      }
      options.partial?.(result);
    }
  } catch (error) {
    for (const metric of METRICS) {
      if (result.values[metric] !== undefined) continue;
      result.values[metric] = null;
      result.notes[metric] = `not measured: ${(error as Error).message.split("\n")[0]}`;
    }
  } finally {
    await Promise.all(nodes.map((node) => node.stop()));
    for (const used of namespaces) await used.destroy();
    await gw?.stop();
    await netns?.destroy();
    removeDir(identityDir);
  }
  return result;
}
