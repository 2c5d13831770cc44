// The composition root at start-up: what it must survive in the store it opens.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { pino } from "pino";
import { parseKey, Sealer, SecretKeeper } from "../src/adapters/store/seal.ts";
import { SqliteStore } from "../src/adapters/store/sqlite.ts";
import { loadConfig } from "../src/config.ts";
import { createGateway } from "../src/gateway.ts";
import { ConsoleDriver } from "./support/console-driver.ts";
import { freePort } from "./support/redis-server.ts";
import { ScriptedGateway } from "./support/scripted-gateway.ts";
import { sampleSession, TOKEN_VALUE } from "./support/sessions.ts";

describe("start-up with sessions sealed under a key that is no longer configured", () => {
  it("starts, logs one line per such session (its id, no secret, no stack), and treats the secret as lost", async () => {
    const driver = new ConsoleDriver(new ScriptedGateway({ canMint: true }), {
      CLAWSHAKE_SEALING_KEY: "bb".repeat(32),
    });
    // The sessions were sealed by an earlier run under another key, since replaced without keeping the old one.
    const earlier = new SqliteStore(
      join(driver.dir, "clawshake.sqlite"),
      new SecretKeeper(new Sealer([parseKey("aa".repeat(32))])),
    );
    await earlier.create(sampleSession("lost-one"), [{ type: "card" }]);
    await earlier.create(sampleSession("lost-two"), []);
    await earlier.close();

    await driver.start();
    try {
      driver.type("/connect-node after-rekey");
      await driver.seeText("Connect node “after-rekey”", "channel");
      const lines = readFileSync(driver.logFile, "utf8").split("\n");
      const reports = lines.filter((line) => line.includes("no longer configured"));
      assert.deepEqual(
        reports.map((line) => (JSON.parse(line) as { session: string }).session).sort(),
        ["lost-one", "lost-two"],
        "one line per session",
      );
      for (const line of reports) {
        assert.ok(!line.includes("stack") && !line.includes("    at "), `no stack: ${line}`);
        assert.ok(!line.includes(TOKEN_VALUE));
      }
      assert.deepEqual((await driver.app.store.get("lost-one"))?.secrets, {});
      assert.ok(!driver.publicTraces().logs.includes(TOKEN_VALUE));
    } finally {
      await driver.stop();
    }
  });
});

describe("/healthz with no gateway chosen on purpose (CLAWSHAKE_GATEWAY_PATH=none)", () => {
  it("reports the gateway as off by choice, and answers 200", async () => {
    const env = { CLAWSHAKE_GATEWAY_PATH: "none", CLAWSHAKE_HTTP_PORT: String(await freePort()) };
    const { gateway } = await createGateway(loadConfig(env), pino({ enabled: false }));
    const driver = await new ConsoleDriver(gateway, env).start();
    try {
      const response = await fetch(`http://127.0.0.1:${env.CLAWSHAKE_HTTP_PORT}/healthz`);
      assert.equal(response.status, 200);
      const body = (await response.json()) as {
        checks: Record<string, { ok: boolean; status: string }>;
      };
      assert.equal(body.checks.gateway?.ok, true);
      assert.match(body.checks.gateway?.status ?? "", /CLAWSHAKE_GATEWAY_PATH=none/);
      assert.equal(body.checks.store?.ok, true);
    } finally {
      await driver.stop();
    }
  });
});
