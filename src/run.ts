// `clawshake run`: starts the configured chat platforms (the console when none is) and runs until stopped.
// Stops cleanly on SIGINT/SIGTERM: every session is in the store, so a restart picks up where it left off.

import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Logger, pino } from "pino";
import { DiscordChat } from "./adapters/discord/discord.ts";
import { discordOptions } from "./adapters/discord/options.ts";
import { createLogger } from "./adapters/log/logger.ts";
import { TelegramChat, telegramOptions } from "./adapters/telegram/telegram.ts";
import type { Config } from "./config.ts";
import { t } from "./core/i18n/index.ts";
import type { Chat, SessionStore } from "./core/ports.ts";
import type { Handshake } from "./flows/handshake.ts";
import { createGateway } from "./gateway.ts";
import { createStore, runConsole, startApp } from "./main.ts";

/** A chat platform the bot starts and stops, besides what the flows need of it. */
interface Platform extends Chat {
  start(handshake: Handshake): Promise<void>;
  stop(): Promise<void>;
}

export async function runBot(config: Config): Promise<number> {
  const env = config.env;
  if (config.platforms.includes("console")) {
    // The terminal is the user interface here, so the logs go to a file beside the data.
    mkdirSync(env.CLAWSHAKE_DATA_DIR, { recursive: true });
    const logFile = join(env.CLAWSHAKE_DATA_DIR, "clawshake.log");
    const log = createLogger(
      env.CLAWSHAKE_LOG_LEVEL,
      pino.destination({ dest: logFile, sync: true }),
    );
    process.stdout.write(`(logs: ${logFile})\n`);
    const { gateway, reason, beside, approval } = await createGateway(config, log);
    log.info({ reason }, "gateway path chosen");
    // The person running the console reads the terminal, not the log file: a pending approval of the bot goes there.
    const notices = approval
      ? [
          t(
            env.CLAWSHAKE_LANG,
            approval.restart ? "console.botDevice.restart" : "console.botDevice.waits",
            { command: approval.command },
          ),
        ]
      : [];
    await runConsole(config, { log, gateway, gatewayBeside: beside, notices });
    return 0;
  }

  const log = createLogger(env.CLAWSHAKE_LOG_LEVEL);
  const store = await createStore(config, log);
  const { gateway, reason, beside } = await createGateway(config, log);
  log.info({ reason }, "gateway path chosen");
  const platforms = createPlatforms(config, log, store);
  const telegram = platforms.find((p): p is TelegramChat => p instanceof TelegramChat);
  const routes =
    telegram && env.TELEGRAM_WEBHOOK_URL
      ? { [new URL(env.TELEGRAM_WEBHOOK_URL).pathname]: telegram.webhookHandler() }
      : {};
  const app = await startApp(config, {
    chats: platforms,
    gateway,
    log,
    store,
    routes,
    gatewayBeside: beside,
  });
  for (const platform of platforms) await platform.start(app.handshake);
  log.info({ platforms: platforms.map((p) => p.platform) }, "clawshake is running");

  await new Promise<void>((resolve) => {
    process.once("SIGINT", () => resolve());
    process.once("SIGTERM", () => resolve());
  });
  log.info("stopping");
  // Whatever cannot be reached (a platform, the gateway, Redis), the process ends: a graceful stop first, and an exit
  // at the deadline if that hangs. Nothing is lost either way: every session and its outbox are in the store.
  const deadline = exitAfter(STOP_DEADLINE_MS, 1, (holding) =>
    log.error(
      { afterMs: STOP_DEADLINE_MS, holding },
      "could not stop cleanly in time; exiting now",
    ),
  );
  // The platforms stop side by side (each ends its own calls in flight), then the app and the store.
  await Promise.allSettled(platforms.map((platform) => platform.stop()));
  await app.stop();
  clearTimeout(deadline);
  log.info("stopped");
  // A library may go on retrying after its stop resolved (discord.js reconnects a shard that was between two
  // attempts). With the store closed nothing it does can matter: it gets a moment, not a say in when the process ends.
  exitAfter(LINGER_MS, 0, (holding) =>
    log.warn({ holding }, "stopped; ending what still waits on the network"),
  );
  return 0;
}

/** How long stopping may take before the process exits anyway: within the 10 s a service manager is promised. */
const STOP_DEADLINE_MS = 8_000;
/** How long the process may linger after a clean stop, for work that ends by itself. */
const LINGER_MS = 1_000;

/** Exits with `code` after `ms` unless the process ends first; `report` says what still held it, by kind. */
function exitAfter(ms: number, code: number, report: (holding: string[]) => void): NodeJS.Timeout {
  const timer = setTimeout(() => {
    report(process.getActiveResourcesInfo());
    process.exit(code);
  }, ms);
  timer.unref();
  return timer;
}

function createPlatforms(config: Config, log: Logger, store: SessionStore): Platform[] {
  const platforms: Platform[] = [];
  if (config.platforms.includes("discord"))
    platforms.push(new DiscordChat(discordOptions(config), log));
  if (config.platforms.includes("telegram"))
    platforms.push(new TelegramChat(telegramOptions(config), { log, store }));
  return platforms;
}
