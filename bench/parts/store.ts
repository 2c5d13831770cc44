// Decide + store throughput: read a session, decide an event that changes it, compare-and-set it with its effects.
// Runs against the real SqliteStore (a temp file, sealing key) and RedisStore (a real redis-server); never fakes a store.

import { join } from "node:path";
import { setImmediate } from "node:timers/promises";
import { RedisStore } from "../../src/adapters/store/redis.ts";
import { parseKey, Sealer, SecretKeeper } from "../../src/adapters/store/seal.ts";
import { SqliteStore } from "../../src/adapters/store/sqlite.ts";
import { decide, open } from "../../src/core/machine.ts";
import type { SessionStore } from "../../src/core/ports.ts";
import { Secret } from "../../src/core/secret.ts";
import type { Actor, Effect, Session } from "../../src/core/types.ts";
import { startRedis } from "../../test/support/redis-server.ts";
import type { BenchOptions, PartResult } from "../result.ts";
import { progress } from "../result.ts";
import { removeDir, tempDir } from "../support/cleanup.ts";

const SEALING_KEY = "33".repeat(32);
/** Diagnosis codes a node operator's pasted logs produce; alternating them makes every event a real change. */
const CODES = ["FINGERPRINT_MISMATCH", "PAIRING_REQUIRED", "CONNECTION_REFUSED", "TOKEN_MISMATCH"];
const SESSIONS = 1000;
/** Events in flight at once, each on its own session (the bot handles clicks on different sessions concurrently). */
const CONCURRENCY = 16;

const nodeOperator: Actor = {
  platform: "discord",
  id: "100000000000000001",
  name: "bob",
  lang: "en",
  isApprover: false,
  isGatewayOperator: false,
  via: "dm",
};

/** A shared-token session holding a token, so every write seals a secret as a live one does. */
function liveSession(index: number, now: number): Session {
  const { session } = open(
    {
      id: `bench-${index}`,
      mode: "sharedToken",
      channel: { platform: "discord", id: "200000000000000001" },
      displayName: `build-${index}`,
      requester: nodeOperator,
      ttlMs: 30 * 60_000,
      allowSelfApproval: false,
    },
    now,
  );
  return {
    ...session,
    secrets: { token: new Secret(`tok_${index.toString(16).padStart(32, "0")}`) },
  };
}

interface Throughput {
  eventsPerSecond: number;
  events: number;
  conflicts: number;
  seconds: number;
}

/** Read → decide → compare-and-set with effects, on CONCURRENCY sessions at a time, for `durationMs`. */
async function measure(store: SessionStore, durationMs: number): Promise<Throughput> {
  const now = Date.now();
  for (let i = 0; i < SESSIONS; i++) {
    const session = liveSession(i, now);
    await store.create(session, [{ type: "card" }]);
  }
  // A short warm-up, so that JIT and the first page reads are not in the figure.
  await run(store, 300, 0);
  return run(store, durationMs, 1);
}

async function run(store: SessionStore, durationMs: number, pass: number): Promise<Throughput> {
  let events = 0;
  let conflicts = 0;
  const started = performance.now();
  const deadline = started + durationMs;
  const worker = async (lane: number) => {
    for (let n = 0; performance.now() < deadline; n++) {
      const id = `bench-${(lane + n * CONCURRENCY) % SESSIONS}`;
      const session = await store.get(id);
      if (!session) throw new Error(`session ${id} is missing`);
      const event = {
        type: "diagnosed" as const,
        actor: nodeOperator,
        code: CODES[(n + lane + pass) % CODES.length] as string,
      };
      const decision = decide(session, event, Date.now());
      if (decision.session.version === session.version)
        throw new Error("the event did not change the session");
      const effects: Effect[] = decision.effects;
      if (await store.commit(decision.session, session.version, effects)) events += 1;
      else conflicts += 1;
      // node:sqlite is synchronous: yield now and then, so that a stop signal is not held up for the whole run.
      if (n % 1000 === 999) await setImmediate();
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, (_, lane) => worker(lane)));
  const seconds = (performance.now() - started) / 1000;
  return { eventsPerSecond: events / seconds, events, conflicts, seconds };
}

function keeper(): SecretKeeper {
  return new SecretKeeper(new Sealer([parseKey(SEALING_KEY)]));
}

function describe(t: Throughput): string {
  return `${t.events} events in ${t.seconds.toFixed(1)} s, ${t.conflicts} version conflicts`;
}

export async function storeThroughput(options: BenchOptions): Promise<PartResult> {
  const durationMs = options.short ? 2000 : 5000;
  const result: PartResult = {
    values: {},
    notes: {},
    method: [
      `events_per_s_*: ${SESSIONS} shared-token sessions (each holding a sealed token); ${CONCURRENCY} concurrent loops of get → decide("diagnosed", alternating codes) → commit (compare-and-set) with its effects, for ${durationMs / 1000} s after a 0.3 s warm-up`,
    ],
  };

  const dir = tempDir("clawshake-bench-store-");
  const sqlite = new SqliteStore(join(dir, "clawshake.sqlite"), keeper());
  try {
    progress("store: SQLite");
    const t = await measure(sqlite, durationMs);
    result.values.events_per_s_sqlite = Math.round(t.eventsPerSecond);
    result.notes.events_per_s_sqlite = `SqliteStore (WAL, synchronous=NORMAL) in a temp file with a sealing key: ${describe(t)}`;
  } catch (error) {
    result.values.events_per_s_sqlite = null;
    result.notes.events_per_s_sqlite = `could not run: ${(error as Error).message}`;
  } finally {
    await sqlite.close();
    removeDir(dir);
  }

  let redis: Awaited<ReturnType<typeof startRedis>> | undefined;
  let store: RedisStore | undefined;
  try {
    progress("store: Redis");
    redis = await startRedis();
    store = new RedisStore(redis.url, keeper(), { prefix: "bench:" });
    const t = await measure(store, durationMs);
    result.values.events_per_s_redis = Math.round(t.eventsPerSecond);
    result.notes.events_per_s_redis = `RedisStore against a local redis-server (no persistence) on a free loopback port: ${describe(t)}`;
  } catch (error) {
    result.values.events_per_s_redis = null;
    result.notes.events_per_s_redis = `could not run: ${(error as Error).message}`;
  } finally {
    await store?.close();
    await redis?.stop();
  }
  return result;
}
