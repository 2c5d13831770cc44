// The composition root: builds the store, the gateway, the chat adapters and the flows from the configuration, and starts them.
// The only place that knows which implementation stands behind each port. Never logs a secret.

import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { join } from "node:path";
import type { Logger } from "pino";
import { ConsoleChat } from "./adapters/console/console.ts";
import { Metrics } from "./adapters/http/metrics.ts";
import { type Route, startHttp } from "./adapters/http/server.ts";
import { createLogger } from "./adapters/log/logger.ts";
import { NodeTlsProbe } from "./adapters/openclaw/probe.ts";
import { UnavailableGateway } from "./adapters/openclaw/unavailable.ts";
import { MemoryStore } from "./adapters/store/memory.ts";
import { parseKey, Sealer, SecretKeeper } from "./adapters/store/seal.ts";
import { SqliteStore } from "./adapters/store/sqlite.ts";
import type { Config } from "./config.ts";
import type { Chat, Clock, Gateway, SessionStore, TlsProbe } from "./core/ports.ts";
import { AuditRetention } from "./flows/audit-retention.ts";
import { Handshake, type HandshakeSettings } from "./flows/handshake.ts";
import { Ticker } from "./ticker.ts";

/** Parts a caller (a test, the bench) may supply instead of the configured ones. */
export interface Overrides {
  store?: SessionStore;
  gateway?: Gateway;
  probe?: TlsProbe;
  clock?: Clock;
  log?: Logger;
  chats?: Chat[];
  newId?: () => string;
  /** How long the gateway lease lasts with a shared store (tests shorten it). */
  leaseMs?: number;
  /** The bot runs beside its gateway (autofill is offered). */
  gatewayBeside?: boolean;
  /** Extra HTTP routes on the operations port (the Telegram webhook). */
  routes?: Record<string, Route>;
}

export interface App {
  handshake: Handshake;
  metrics: Metrics;
  store: SessionStore;
  log: Logger;
  stop(): Promise<void>;
}

/** A session id: 12 random base62-ish characters, short enough for Telegram's 64-byte callback data. */
export function newSessionId(): string {
  return randomBytes(9).toString("base64url");
}

export function handshakeSettings(config: Config): HandshakeSettings {
  const env = config.env;
  return {
    ttlMs: env.CLAWSHAKE_SESSION_TTL_MINUTES * 60_000,
    mode:
      env.CLAWSHAKE_MODE === "setup-link"
        ? "setupLink"
        : env.CLAWSHAKE_MODE === "shared-token"
          ? "sharedToken"
          : "auto",
    allowSelfApproval: env.CLAWSHAKE_ALLOW_SELF_APPROVAL,
    requireReason: env.CLAWSHAKE_REQUIRE_REASON,
    approvalsRequired: env.CLAWSHAKE_APPROVALS_REQUIRED,
    defaultGrant: env.CLAWSHAKE_DEFAULT_COMMANDS,
    remindAfterMs: env.CLAWSHAKE_REMIND_AFTER_MINUTES * 60_000,
    defaultLang: env.CLAWSHAKE_LANG,
    connectLimitPerHour: env.CLAWSHAKE_CONNECT_LIMIT_PER_HOUR,
    ...(env.CLAWSHAKE_WEBUI_URL ? { webUiUrl: env.CLAWSHAKE_WEBUI_URL } : {}),
  };
}

/** The configured store. Redis's client is loaded only when Redis is used (it costs memory otherwise). */
export async function createStore(
  config: Config,
  log: Logger = createLogger(config.env.CLAWSHAKE_LOG_LEVEL),
): Promise<SessionStore> {
  const env = config.env;
  const keys = env.CLAWSHAKE_SEALING_KEY
    ? [env.CLAWSHAKE_SEALING_KEY, ...env.CLAWSHAKE_SEALING_KEYS_PREVIOUS].map(parseKey)
    : [];
  const keeper = new SecretKeeper(keys.length > 0 ? new Sealer(keys) : undefined, {
    // The bot goes on without that secret, as after a restart without a key: the session asks for it again.
    onLost: (session) =>
      log.warn(
        { session },
        "this session's secret was sealed under a key that is no longer configured: treated as lost",
      ),
  });
  if (env.CLAWSHAKE_STORE === "memory") return new MemoryStore();
  if (env.CLAWSHAKE_STORE === "redis") {
    const { RedisStore } = await import("./adapters/store/redis.ts");
    return new RedisStore(env.CLAWSHAKE_REDIS_URL as string, keeper);
  }
  return new SqliteStore(join(env.CLAWSHAKE_DATA_DIR, "clawshake.sqlite"), keeper);
}

/** Builds everything and starts the gateway watcher and the ticker. `chats` must already be constructed. */
export async function startApp(
  config: Config,
  overrides: Overrides & { chats: Chat[] },
): Promise<App> {
  const env = config.env;
  const log = overrides.log ?? createLogger(env.CLAWSHAKE_LOG_LEVEL);
  const store = overrides.store ?? (await createStore(config, log));
  const gateway: Gateway =
    overrides.gateway ??
    new UnavailableGateway("no OpenClaw gateway is configured (see `clawshake check`)");
  if (env.CLAWSHAKE_SEALING_KEYS_PREVIOUS.length > 0 && store instanceof SqliteStore) {
    // After a key rotation, live secrets are sealed again with the new key, so the old one can be dropped later.
    log.info({ resealed: await store.reseal() }, "secrets re-sealed with the current key");
  }
  const metrics = new Metrics(store);
  const clock = overrides.clock ?? { now: () => Date.now() };
  const retention = new AuditRetention(store, env.CLAWSHAKE_AUDIT_DAYS, clock, log);
  const ticker = new Ticker(env.CLAWSHAKE_TICK_SECONDS * 1000, clock, () =>
    handshake
      .tick()
      .then(async () => {
        await retention.tick();
      })
      .catch((error: unknown) => log.error({ err: String(error) }, "tick failed")),
  );
  const handshake = new Handshake({
    metrics,
    store,
    chats: overrides.chats,
    gateway,
    probe:
      overrides.probe ??
      new NodeTlsProbe({
        timeoutMs: env.CLAWSHAKE_PROBE_TIMEOUT_MS,
        allowLinkLocal: env.CLAWSHAKE_PROBE_ALLOW_LINK_LOCAL,
      }),
    clock,
    log,
    newId: overrides.newId ?? newSessionId,
    settings: { ...handshakeSettings(config), canAutofill: overrides.gatewayBeside === true },
    wake: (at) => ticker.wake(at),
  });

  await warnIfLinksCannotWork(config, gateway, log);
  const stopWatching = await watchGateway(
    gateway,
    handshake,
    store,
    log,
    overrides.leaseMs ?? LEASE_MS,
  );
  // Effects left over from before a restart run first; then expiry and retries run on a steady tick.
  await handshake.tick();
  await handshake.refresh();
  ticker.start();

  const http =
    env.CLAWSHAKE_HTTP_PORT > 0
      ? await startHttp(
          env.CLAWSHAKE_HTTP_PORT,
          metrics,
          {
            store: async () => `${await store.countActive()} live sessions`,
            gateway: async () => {
              const info = await handshake.gatewayInfo();
              // A bot told to use no gateway (a human gateway operator, approvals in the WebUI) is healthy without
              // one; one that wanted a gateway and has none is failing. The status tells the two apart.
              if (info.path === "none" && env.CLAWSHAKE_GATEWAY_PATH === "none")
                return "none, as chosen (CLAWSHAKE_GATEWAY_PATH=none)";
              if (info.path === "none")
                throw new Error(`no gateway: ${info.mintUnavailableReason ?? "none configured"}`);
              return `${info.path}${info.canMint ? ", setup links" : ""}`;
            },
            ...Object.fromEntries(
              overrides.chats.map((chat) => [
                chat.platform,
                () => chat.health?.() ?? Promise.resolve("ok"),
              ]),
            ),
          },
          overrides.routes,
        )
      : undefined;
  if (http) log.info({ port: http.port }, "serving /healthz and /metrics");

  return {
    handshake,
    store,
    log,
    metrics,
    async stop() {
      ticker.stop();
      stopWatching();
      await http?.close();
      await gateway.stop?.();
      await store.close();
    },
  };
}

/**
 * Setup links required, and no way to the gateway: every approval would fail. Say so once at start-up and keep
 * running (a gateway may be configured later; each failed approval is told to the people involved).
 */
async function warnIfLinksCannotWork(config: Config, gateway: Gateway, log: Logger): Promise<void> {
  if (config.env.CLAWSHAKE_MODE !== "setup-link") return;
  const info = await gateway.info().catch(() => undefined);
  if (info && info.path !== "none") return;
  log.warn(
    { reason: info?.mintUnavailableReason },
    `CLAWSHAKE_MODE=setup-link with no gateway path (CLAWSHAKE_GATEWAY_PATH=${config.env.CLAWSHAKE_GATEWAY_PATH}): ` +
      "approved requests fail until the bot can reach a gateway; run `clawshake check`",
  );
}

/** How long the instance holding the gateway connection may be silent before another takes over. */
const LEASE_MS = 15_000;

/**
 * Watches the gateway for all sessions. With a store shared by several instances, only the instance holding the
 * "gateway" lease watches; the others take over within `leaseMs` when it dies. Returns how to stop.
 */
async function watchGateway(
  gateway: Gateway,
  handshake: Handshake,
  store: SessionStore,
  log: Logger,
  leaseMs: number,
): Promise<() => void> {
  const watch = () =>
    gateway.watch(
      (event) => {
        handshake
          .onGatewayEvent(event)
          .catch((error: unknown) => log.error({ err: String(error) }, "gateway event failed"));
      },
      () => handshake.waiting(),
    );
  if (!store.lease) return watch();
  const lease = store.lease.bind(store);
  const holder = `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;
  let unwatch: (() => void) | undefined;
  const campaign = async () => {
    const held = await lease("gateway", holder, leaseMs).catch((error: unknown) => {
      log.warn({ err: String(error) }, "could not renew the gateway lease");
      return false;
    });
    if (held && !unwatch) {
      unwatch = watch();
      log.info({ holder }, "this instance now watches the gateway");
    } else if (!held && unwatch) {
      unwatch();
      unwatch = undefined;
      log.info({ holder }, "another instance watches the gateway now");
    }
  };
  await campaign();
  const timer = setInterval(() => void campaign(), Math.max(100, Math.floor(leaseMs / 3)));
  timer.unref();
  return () => {
    clearInterval(timer);
    unwatch?.();
  };
}

/** `clawshake console`: the terminal adapter on standard input and output. */
export async function runConsole(
  config: Config,
  overrides: Overrides & { notices?: string[] } = {},
  io = { input: process.stdin, output: process.stdout },
): Promise<void> {
  const env = config.env;
  const { notices, ...rest } = overrides;
  const chat = new ConsoleChat({
    input: io.input,
    output: io.output,
    approvers: env.CONSOLE_APPROVERS,
    gatewayOperators: env.CONSOLE_GATEWAY_OPERATORS,
    lang: env.CLAWSHAKE_LANG,
    ...(notices ? { notices } : {}),
  });
  const app = await startApp(config, { ...rest, chats: [chat] });
  try {
    await chat.run(app.handshake);
  } finally {
    await app.stop();
  }
}
