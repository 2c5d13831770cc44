// Interaction acknowledgement under load: N people run /connect-node at once against the real discord.js client and
// the bot's Discord adapter; the fake Discord (its own process) times dispatch → callback. Never a timed assertion.

import { type ChildProcess, fork } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";
import { pino } from "pino";
import { createLogger } from "../../src/adapters/log/logger.ts";
import { loadConfig } from "../../src/config.ts";
import { startApp } from "../../src/main.ts";
import type { BenchOptions, PartResult } from "../result.ts";
import { percentile, progress, round, spread } from "../result.ts";
import { removeDir, tempDir } from "../support/cleanup.ts";
import { NoopGateway } from "../support/noop.ts";
import type { FakeServer, FromFake, ToFake } from "./discord-fake.ts";

/** Handshakes before the measured burst, one after another: a running bot has its caches warm. */
const WARM_UP = 3;

function ask<T extends FromFake["type"]>(
  child: ChildProcess,
  message: ToFake,
  type: T,
  timeoutMs = 120_000,
): Promise<Extract<FromFake, { type: T }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => done(new Error(`the fake Discord did not answer ${message.type} in time`)),
      timeoutMs,
    );
    const onMessage = (answer: FromFake) => {
      if (answer.type === "error") done(new Error(`the fake Discord failed: ${answer.message}`));
      else if (answer.type === type) done(undefined, answer as Extract<FromFake, { type: T }>);
    };
    const onExit = (code: number | null) => done(new Error(`the fake Discord exited (${code})`));
    const done = (error?: Error, value?: Extract<FromFake, { type: T }>) => {
      clearTimeout(timer);
      child.off("message", onMessage);
      child.off("exit", onExit);
      if (error) reject(error);
      else resolve(value as Extract<FromFake, { type: T }>);
    };
    child.on("message", onMessage);
    child.once("exit", onExit);
    child.send(message);
  });
}

export async function discordAck(options: BenchOptions): Promise<PartResult> {
  const concurrent = options.short ? 50 : 200;
  let adapter: typeof import("../../src/adapters/discord/discord.ts");
  let adapterOptions: typeof import("../../src/adapters/discord/options.ts");
  try {
    adapter = await import("../../src/adapters/discord/discord.ts");
    adapterOptions = await import("../../src/adapters/discord/options.ts");
  } catch (error) {
    return {
      values: { discord_ack_p99_ms: null },
      notes: {
        discord_ack_p99_ms: `the Discord adapter could not be loaded: ${(error as Error).message}`,
      },
      method: [],
    };
  }

  const dir = tempDir("clawshake-bench-discord-");
  const child = fork(join(import.meta.dirname, "discord-fake.ts"), [], {
    execPath: process.execPath,
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  let chat: InstanceType<typeof adapter.DiscordChat> | undefined;
  let app: Awaited<ReturnType<typeof startApp>> | undefined;
  try {
    const { server } = await ask(child, { type: "connect", users: WARM_UP + concurrent }, "ready");
    const s: FakeServer = server;
    const config = loadConfig({
      CLAWSHAKE_DATA_DIR: dir,
      CLAWSHAKE_SEALING_KEY: "66".repeat(32),
      CLAWSHAKE_LOG_LEVEL: "info",
      DISCORD_TOKEN: "fake-token",
      DISCORD_API_URL: s.restApi,
      DISCORD_APPROVER_IDS: s.approverId,
      DISCORD_APPROVER_ROLE_ID: s.approverRoleId,
      DISCORD_GATEWAY_OPERATOR_ROLE_ID: s.operatorRoleId,
    });
    const log = createLogger(
      "info",
      pino.destination({ dest: join(dir, "clawshake.log"), sync: false }),
    );
    chat = new adapter.DiscordChat(adapterOptions.discordOptions(config), log);
    app = await startApp(config, { chats: [chat], gateway: new NoopGateway(), log });
    await chat.start(app.handshake);

    progress(`discord: ${WARM_UP} warm-up handshakes, one after another`);
    const alone: number[] = [];
    for (let i = 0; i < WARM_UP; i++) {
      const warm = await ask(child, { type: "burst", from: i, count: 1, label: "warm" }, "burst");
      if (typeof warm.latencies[0] === "number") alone.push(warm.latencies[0]);
    }
    progress(`discord: ${concurrent} /connect-node at once`);
    const measured = await ask(
      child,
      { type: "burst", from: WARM_UP, count: concurrent, label: "load" },
      "burst",
    );
    const latencies = measured.latencies.filter((l): l is number => l !== null);
    const missing = measured.latencies.length - latencies.length;
    const deferred = measured.callbackTypes.filter((t) => t === 5).length;
    const p99 = percentile(latencies, 99);
    const opened = (await app.store.active()).length;
    await chat.stop();
    chat = undefined;

    progress(`discord: the same burst answered by a bare discord.js client`);
    const bare = await bareClientBurst(child, s, concurrent);
    return {
      values: {
        discord_ack_p99_ms: missing > 0 || p99 === undefined ? null : round(p99),
        discord_ack_p99_ms_bare: bare.p99 === undefined ? null : round(bare.p99),
      },
      notes: {
        discord_ack_p99_ms: `${concurrent} /connect-node by distinct people dispatched at once after ${WARM_UP} warm-up ones, one at a time (their ack: ${alone.join(", ")} ms); ack latency under load ${spread(latencies)}; ${deferred} of ${measured.callbackTypes.length} first callbacks were deferrals (type 5), the rest replies (type 4)${missing > 0 ? `; ${missing} got no callback within 30 s` : ""}; ${opened} sessions open afterwards; fake Discord unhandled requests: ${measured.unhandled}`,
        discord_ack_p99_ms_bare: `the same ${concurrent} people again, answered by a discord.js Client with the bot's intents whose only handler defers each interaction: ack latency ${spread(bare.latencies)}; the difference to discord_ack_p99_ms is what the bot adds`,
      },
      method: [
        `discord_ack_p99_ms: the real discord.js client and DiscordChat (production settings, SQLite with a sealing key, approvers by role and by id) against the fake Discord running in a separate process; ${concurrent} INTERACTION_CREATE for /connect-node sent at once; per interaction, from the fake's dispatch to the fake recording the interaction callback (wall clock, ms)`,
        "discord_ack_p99_ms_bare: the same burst, the same fake and machine, with the bot logged out and a bare discord.js client logged in instead",
      ],
    };
  } finally {
    await chat?.stop().catch(() => undefined);
    await app?.stop().catch(() => undefined);
    if (child.connected) await ask(child, { type: "stop" }, "ready", 5000).catch(() => undefined);
    if (child.exitCode === null) child.kill("SIGKILL");
    removeDir(dir);
  }
}

/** The floor of this setup: the same burst against a discord.js client that does nothing but acknowledge. */
async function bareClientBurst(
  child: ChildProcess,
  server: FakeServer,
  concurrent: number,
): Promise<{ p99: number | undefined; latencies: number[] }> {
  const { Client, Events, GatewayIntentBits, MessageFlags } = await import("discord.js");
  const client = new Client({
    intents: [
      GatewayIntentBits.Guilds,
      GatewayIntentBits.DirectMessages,
      GatewayIntentBits.GuildMembers,
    ],
    rest: { api: server.restApi },
  });
  client.on(Events.InteractionCreate, (interaction) => {
    if (interaction.isChatInputCommand())
      interaction.deferReply({ flags: MessageFlags.Ephemeral }).catch(() => undefined);
  });
  try {
    await Promise.all([once(client, Events.ClientReady), client.login("fake-token")]);
    await ask(child, { type: "burst", from: 0, count: WARM_UP, label: "bare-warm" }, "burst");
    const measured = await ask(
      child,
      { type: "burst", from: WARM_UP, count: concurrent, label: "bare" },
      "burst",
    );
    const latencies = measured.latencies.filter((l): l is number => l !== null);
    return {
      p99: latencies.length === concurrent ? percentile(latencies, 99) : undefined,
      latencies,
    };
  } finally {
    await client.destroy();
  }
}
