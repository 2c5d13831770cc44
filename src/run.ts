// `clawshake run`: starts the configured chat platforms (the console when none is) and runs until stopped.
// Stops cleanly on SIGINT/SIGTERM: every session is in the store, so a restart picks up where it left off.

import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { pino } from "pino";
import { createLogger } from "./adapters/log/logger.ts";
import type { Config } from "./config.ts";
import { createGateway } from "./gateway.ts";
import { runConsole } from "./main.ts";

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
    const { gateway, reason } = await createGateway(config, log);
    log.info({ reason }, "gateway path chosen");
    await runConsole(config, { log, gateway });
    return 0;
  }
  const log = createLogger(env.CLAWSHAKE_LOG_LEVEL);
  log.error(
    { platforms: config.platforms },
    "chat platforms other than the console are not wired yet",
  );
  return 1;
}
