// The bot as its own process (`clawshake run`), against the fake Telegram and the fake Discord: no request on the
// operations port ends it, and SIGTERM ends it within 10 s whatever it cannot reach.

import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { parseKey, Sealer, SecretKeeper } from "../../src/adapters/store/seal.ts";
import { SqliteStore } from "../../src/adapters/store/sqlite.ts";
import { FakeDiscord } from "../fakes/discord/index.ts";
import { FakeTelegram } from "../fakes/telegram/index.ts";
import { rawRequest, statusOf } from "../support/raw-http.ts";
import { freePort } from "../support/redis-server.ts";
import { sampleSession } from "../support/sessions.ts";
import { waitFor } from "../support/wait.ts";

const CLI = join(import.meta.dirname, "..", "..", "src", "cli.ts");
const SEALING_KEY = "44".repeat(32);
/** The requirement: stopping ends the process within 10 s. The test allows a little more for a busy machine. */
const EXIT_BOUND_MS = 15_000;

const running = new Set<ChildProcess>();
const dirs: string[] = [];
const fakes: { stop(): Promise<void> }[] = [];
after(async () => {
  for (const child of running) child.kill("SIGKILL");
  for (const fake of fakes) await fake.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "clawshake-process-"));
  dirs.push(dir);
  return dir;
}

async function startTelegram(): Promise<FakeTelegram> {
  const fake = new FakeTelegram();
  fakes.push(fake);
  await fake.start();
  return fake;
}

async function startDiscord(): Promise<FakeDiscord> {
  const fake = new FakeDiscord();
  fakes.push(fake);
  await fake.start();
  return fake;
}

class BotProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output = "";

  readonly dir: string;

  constructor(env: Record<string, string>, dir = tempDir()) {
    this.dir = dir;
    this.child = spawn(process.execPath, [CLI, "run"], {
      env: {
        PATH: process.env.PATH ?? "",
        HOME: dir,
        CLAWSHAKE_DATA_DIR: dir,
        CLAWSHAKE_SEALING_KEY: SEALING_KEY,
        CLAWSHAKE_GATEWAY_PATH: "none",
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    running.add(this.child);
    for (const stream of [this.child.stdout, this.child.stderr])
      stream?.on("data", (chunk: Buffer) => {
        this.output += chunk.toString();
      });
    this.exited = new Promise((resolve) =>
      this.child.on("exit", (code, signal) => {
        running.delete(this.child);
        resolve({ code, signal });
      }),
    );
  }

  async running(): Promise<this> {
    await waitFor(
      () => this.output.includes('"msg":"clawshake is running"'),
      "the bot to start",
      () => this.output.slice(-3000),
      { progress: () => this.output.length, idleMs: 60_000 },
    );
    return this;
  }

  /** SIGTERM, then the process's own exit, within the bound; fails with what it logged otherwise. */
  async terminate(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    this.child.kill("SIGTERM");
    let bound: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      bound = setTimeout(
        () =>
          reject(
            new Error(
              `still running ${EXIT_BOUND_MS} ms after SIGTERM\n--- logged:\n${this.output.slice(-3000)}`,
            ),
          ),
        EXIT_BOUND_MS,
      );
    });
    try {
      return await Promise.race([this.exited, late]);
    } finally {
      clearTimeout(bound);
    }
  }
}

/** It ended by itself (not by the signal's default action), after its graceful stop ran to the end. */
function assertStoppedGracefully(
  bot: BotProcess,
  exit: { code: number | null; signal: NodeJS.Signals | null },
): void {
  assert.equal(exit.signal, null, "it stopped by itself, not killed by the signal");
  assert.ok(bot.output.includes('"msg":"stopped"'), bot.output.slice(-3000));
}

function telegramEnv(fake: FakeTelegram): Record<string, string> {
  return { TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot };
}

function discordEnv(fake: FakeDiscord): Record<string, string> {
  return { DISCORD_TOKEN: "fake-token", DISCORD_API_URL: fake.restApi };
}

describe("the bot process", () => {
  it("answers hostile requests on the operations port and stays up", async () => {
    const telegram = await startTelegram();
    const port = await freePort();
    const bot = await new BotProcess({
      ...telegramEnv(telegram),
      CLAWSHAKE_HTTP_PORT: String(port),
    }).running();
    try {
      for (const [bytes, status] of [
        ["GET //[x HTTP/1.1\r\nHost: a\r\n\r\n", 400],
        ["GET http://[::1/ HTTP/1.1\r\nHost: a\r\n\r\n", 400],
        ["GET /healthz HTTP/1.1\r\nHost a\r\n\r\n", 400],
        [`GET /metrics HTTP/1.1\r\nHost: a\r\nX-Big: ${"x".repeat(100_000)}\r\n\r\n`, 431],
        ["\u0016\u0003\u0001\u0000\u00ff\r\n\r\n", 400],
        ["PUT /metrics HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n", 405],
      ] as const)
        assert.equal(statusOf(await rawRequest(port, bytes)), status, JSON.stringify(bytes));
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      assert.ok([200, 503].includes(health.status));
      assert.equal((await fetch(`http://127.0.0.1:${port}/metrics`)).status, 200);
      assert.equal(bot.child.exitCode, null, "the process is still running");
      assert.ok(!bot.output.includes("Invalid URL"), bot.output.slice(-2000));
    } finally {
      await bot.terminate();
    }
  });

  it("ends within 10 s of SIGTERM while Telegram is unreachable", async () => {
    const telegram = await startTelegram();
    const bot = await new BotProcess(telegramEnv(telegram)).running();
    await telegram.stop();
    const exit = await bot.terminate();
    assertStoppedGracefully(bot, exit);
  });

  it("ends within 10 s of SIGTERM while Discord is unreachable", async () => {
    const discord = await startDiscord();
    const bot = await new BotProcess(discordEnv(discord)).running();
    await discord.stop();
    const exit = await bot.terminate();
    assertStoppedGracefully(bot, exit);
  });

  it("ends within 10 s of SIGTERM while both and the gateway are unreachable", async () => {
    const telegram = await startTelegram();
    const discord = await startDiscord();
    const closedPort = await freePort();
    const bot = await new BotProcess({
      ...telegramEnv(telegram),
      ...discordEnv(discord),
      CLAWSHAKE_GATEWAY_PATH: "events",
      OPENCLAW_GATEWAY_URL: `wss://127.0.0.1:${closedPort}`,
      OPENCLAW_GATEWAY_TOKEN: "tok_process_test_0123456789abcdef",
      OPENCLAW_GATEWAY_FINGERPRINT: "ab".repeat(32),
    }).running();
    await telegram.stop();
    await discord.stop();
    const exit = await bot.terminate();
    assertStoppedGracefully(bot, exit);
  });

  it("exits at the deadline, saying what held it, when stopping itself hangs (an openclaw call that never ends)", async () => {
    const telegram = await startTelegram();
    const dir = tempDir();
    // A live session makes the CLI fallback poll the gateway; this `openclaw` never answers (a gateway host gone).
    const store = new SqliteStore(
      join(dir, "clawshake.sqlite"),
      new SecretKeeper(new Sealer([parseKey(SEALING_KEY)])),
    );
    await store.create(sampleSession("waits"), []);
    await store.close();
    const openclaw = join(dir, "openclaw");
    writeFileSync(openclaw, `#!/bin/sh\necho called > "${join(dir, "called")}"\nexec sleep 30\n`);
    chmodSync(openclaw, 0o755);
    const bot = await new BotProcess(
      {
        ...telegramEnv(telegram),
        CLAWSHAKE_GATEWAY_PATH: "cli",
        OPENCLAW_BIN: openclaw,
        CLAWSHAKE_OPENCLAW_TIMEOUT_MS: "120000",
        CLAWSHAKE_POLL_INTERVAL_MS: "100",
      },
      dir,
    ).running();
    await waitFor(() => existsSync(join(dir, "called")), "the bot to call openclaw");
    const exit = await bot.terminate();
    assert.deepEqual(exit, { code: 1, signal: null });
    assert.match(
      bot.output,
      /"holding":\[[^\]]*\],"msg":"could not stop cleanly in time; exiting now"/,
    );
  });
});
