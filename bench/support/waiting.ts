// A bot (the real flows, a SQLite file, a no-op chat) holding sessions that wait for their node on the given gateway.
// Sessions are opened and approved through the handshake as people would; the caller stops the app and removes `dir`.

import { join } from "node:path";
import { pino } from "pino";
import { createLogger } from "../../src/adapters/log/logger.ts";
import { loadConfig } from "../../src/config.ts";
import type { Gateway } from "../../src/core/ports.ts";
import type { Actor } from "../../src/core/types.ts";
import { type App, startApp } from "../../src/main.ts";
import { tempDir } from "./cleanup.ts";
import { NoopChat } from "./noop.ts";

const alice: Actor = {
  platform: "console",
  id: "alice",
  name: "alice",
  lang: "en",
  isApprover: true,
  isGatewayOperator: false,
  via: "dm",
};

function requester(index: number): Actor {
  return {
    ...alice,
    id: `user-${index}`,
    name: `user-${index}`,
    isApprover: false,
    via: "channel",
  };
}

/**
 * Opens `waiting` setup-link sessions and has an approver approve each, so that each holds a minted setup
 * link and waits for its node: the state a session spends most of its life in.
 */
export async function botWithWaitingSessions(
  gateway: Gateway,
  waiting: number,
): Promise<{ app: App; dir: string }> {
  const dir = tempDir("clawshake-bench-waiting-");
  const config = loadConfig({
    CLAWSHAKE_DATA_DIR: dir,
    CLAWSHAKE_SEALING_KEY: "55".repeat(32),
    CLAWSHAKE_MODE: "setup-link",
  });
  const log = createLogger(
    "warn",
    pino.destination({ dest: join(dir, "clawshake.log"), sync: true }),
  );
  const app = await startApp(config, { chats: [new NoopChat()], gateway, log });
  for (let i = 0; i < waiting; i++) {
    const session = await app.handshake.open({
      channel: { platform: "console", id: "team" },
      displayName: `node-${i}`,
      requester: requester(i),
    });
    if (!session) throw new Error(`session ${i} was not opened`);
    await app.handshake.dispatch(session.id, { type: "approveRequest", actor: alice });
  }
  const stages = (await app.store.active()).map((s) => s.stage);
  if (stages.length !== waiting || stages.some((stage) => stage !== "linkSent"))
    throw new Error(
      `expected ${waiting} sessions with a setup link sent, found: ${stages.join(", ") || "none"}`,
    );
  return { app, dir };
}
