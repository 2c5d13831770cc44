// Resident memory of a bot process holding 10,000 live sessions: the real flows, SQLite store, no-op chat and gateway.
// Runs in its own process (forked with --expose-gc); reports the absolute RSS after a full GC, minus nothing.

import { join } from "node:path";
import { setImmediate, setTimeout as sleep } from "node:timers/promises";
import { pino } from "pino";
import { createLogger } from "../../src/adapters/log/logger.ts";
import { loadConfig } from "../../src/config.ts";
import type { Actor } from "../../src/core/types.ts";
import { startApp } from "../../src/main.ts";
import type { BenchOptions, PartResult } from "../result.ts";
import { progress, round } from "../result.ts";
import { removeDir, tempDir } from "../support/cleanup.ts";
import { NoopChat, NoopGateway } from "../support/noop.ts";

const SESSIONS = 10_000;
const MB = 1024 * 1024;

function requester(index: number): Actor {
  return {
    platform: "console",
    id: `user-${index}`,
    name: `user-${index}`,
    lang: "en",
    isApprover: false,
    isGatewayOperator: false,
    via: "channel",
  };
}

export async function residentMemory(_options: BenchOptions): Promise<PartResult> {
  const gc = globalThis.gc;
  if (!gc) throw new Error("the memory part needs node --expose-gc (bench/run.ts forks it so)");
  const dir = tempDir("clawshake-bench-rss-");
  const log = createLogger(
    "info",
    pino.destination({ dest: join(dir, "clawshake.log"), sync: false }),
  );
  const config = loadConfig({
    CLAWSHAKE_DATA_DIR: dir,
    CLAWSHAKE_SEALING_KEY: "44".repeat(32),
    CLAWSHAKE_LOG_LEVEL: "info",
  });
  const app = await startApp(config, { chats: [new NoopChat()], gateway: new NoopGateway(), log });
  try {
    gc();
    const baseline = process.memoryUsage().rss;
    const started = performance.now();
    for (let i = 0; i < SESSIONS; i++) {
      const session = await app.handshake.open({
        channel: { platform: "console", id: "team" },
        displayName: `node-${i}`,
        requester: requester(i),
      });
      if (!session) throw new Error(`session ${i} was not opened`);
      // Each /connect-node arrives as its own network event: let the event loop turn between them, as it does
      // in production (timers, log writes, signals); SQLite alone would never yield.
      await setImmediate();
      if ((i + 1) % 2500 === 0) progress(`rss: ${i + 1} sessions open`);
    }
    const seconds = (performance.now() - started) / 1000;
    const live = (await app.store.active()).length;
    if (live !== SESSIONS) throw new Error(`${live} live sessions, expected ${SESSIONS}`);
    gc();
    gc();
    const memory = process.memoryUsage();
    // Afterwards, for the notes: the same process idle for three ticks (each tick reads every live session).
    const tickMs = config.env.CLAWSHAKE_TICK_SECONDS * 1000;
    await sleep(3 * tickMs + 500);
    gc();
    gc();
    const idle = process.memoryUsage();
    return {
      values: { rss_mb_10k_sessions: round(memory.rss / MB) },
      notes: {
        rss_mb_10k_sessions: `${live} live sessions (setup-link mode, awaiting approval; card posted and 2 approvers DMed each) opened one after another (the event loop turning between them) in ${seconds.toFixed(1)} s; after GC: rss ${round(memory.rss / MB)} MB (heapTotal ${round(memory.heapTotal / MB)} MB, heapUsed ${round(memory.heapUsed / MB)} MB, external ${round(memory.external / MB)} MB); the same process before the first session (modules loaded, app started): rss ${round(baseline / MB)} MB; after ${(3 * tickMs) / 1000} s more of idling (3 ticks, each reading all live sessions) and GC: rss ${round(idle.rss / MB)} MB (heapTotal ${round(idle.heapTotal / MB)} MB, heapUsed ${round(idle.heapUsed / MB)} MB)`,
      },
      method: [
        `rss_mb_10k_sessions: a child process (node --expose-gc) runs startApp with SqliteStore (temp file, sealing key), a no-op chat adapter and a no-op gateway, opens ${SESSIONS} sessions through handshake.open, runs gc() and reads process.memoryUsage().rss (absolute, nothing subtracted)`,
      ],
    };
  } finally {
    await app.stop();
    log.flush();
    removeDir(dir);
  }
}
