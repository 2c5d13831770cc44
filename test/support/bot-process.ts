// A whole bot in its own process, for crash tests: the console adapter on stdin/stdout, a SQLite store, and a gateway
// played by the parent test over IPC. Every call the bot makes on the gateway is appended to a file, so calls made by
// processes that were killed are still counted.

import { appendFileSync } from "node:fs";
import { pino } from "pino";
import { createLogger } from "../../src/adapters/log/logger.ts";
import { loadConfig } from "../../src/config.ts";
import type {
  Autofill,
  Gateway,
  GatewayEvent,
  GatewayInfo,
  MintedSetupCode,
  NodeDescription,
} from "../../src/core/ports.ts";
import { Secret } from "../../src/core/secret.ts";
import { runConsole } from "../../src/main.ts";

const callsFile = process.env.BOT_CALLS_FILE as string;

class IpcGateway implements Gateway {
  #listener: ((event: GatewayEvent) => void) | undefined;

  constructor() {
    process.on("message", (message: { emit?: GatewayEvent }) => {
      if (message.emit) this.#listener?.(message.emit);
    });
  }

  async info(): Promise<GatewayInfo> {
    return { path: "events", canMint: process.env.BOT_CAN_MINT === "true" };
  }
  async mintSetupCode(): Promise<MintedSetupCode> {
    const n = Date.now();
    appendFileSync(callsFile, `mintSetupCode ${n}\n`);
    return {
      setupId: `setup-${n}`,
      code: new Secret(`code-${n}`),
      expiresAt: Date.now() + 600_000,
    };
  }
  async approveDevice(id: string) {
    appendFileSync(callsFile, `approveDevice ${id}\n`);
    return "done" as const;
  }
  async rejectDevice(id: string) {
    appendFileSync(callsFile, `rejectDevice ${id}\n`);
    return "done" as const;
  }
  async approveCapability(id: string) {
    appendFileSync(callsFile, `approveCapability ${id}\n`);
    return "done" as const;
  }
  async rejectCapability(id: string) {
    appendFileSync(callsFile, `rejectCapability ${id}\n`);
    return "done" as const;
  }
  async autofill(): Promise<Autofill> {
    throw new Error("no autofill in this test");
  }
  async listNodes() {
    return [];
  }
  async removeNode(): Promise<"alreadyGone"> {
    return "alreadyGone";
  }
  async describeNode(): Promise<NodeDescription | undefined> {
    return undefined;
  }
  watch(listener: (event: GatewayEvent) => void): () => void {
    this.#listener = listener;
    process.send?.({ ready: true });
    return () => {};
  }
}

const config = loadConfig(process.env, { console: true });
const log = createLogger(
  "info",
  pino.destination({
    dest: `${config.env.CLAWSHAKE_DATA_DIR}/clawshake.log`,
    sync: true,
    append: true,
  }),
);
await runConsole(config, { gateway: new IpcGateway(), log });
process.disconnect?.();
