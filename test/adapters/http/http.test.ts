import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ConsoleDriver } from "../../support/console-driver.ts";
import { freePort } from "../../support/redis-server.ts";
import { ScriptedGateway } from "../../support/scripted-gateway.ts";

describe("the operations endpoint", () => {
  let driver: ConsoleDriver;
  let base: string;
  before(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    driver = await new ConsoleDriver(
      new ScriptedGateway({ canMint: true }),
      { CLAWSHAKE_HTTP_PORT: String(port) },
      {
        routes: {
          "/broken": async () => {
            throw new Error("a route that fails");
          },
        },
      },
    ).start();
  });
  after(() => driver.stop());

  it("reports the store, the gateway and each platform on /healthz", async () => {
    const response = await fetch(`${base}/healthz`);
    assert.equal(response.status, 200);
    const body = (await response.json()) as {
      ok: boolean;
      checks: Record<string, { ok: boolean; status: string }>;
    };
    assert.equal(body.ok, true);
    assert.deepEqual(Object.keys(body.checks).sort(), ["console", "gateway", "store"]);
    assert.equal(body.checks.gateway?.status, "events, setup links");
  });

  it("counts live sessions by stage and transitions on /metrics", async () => {
    driver.type("/connect-node metrics-node");
    await driver.seeText("Connect node “metrics-node”", "channel");
    const text = await (await fetch(`${base}/metrics`)).text();
    assert.match(text, /clawshake_sessions_active\{stage="awaitingApproval"\} 1/);
    assert.match(text, /# TYPE clawshake_handshake_seconds histogram/);
    assert.ok(!text.includes("metrics-node"), "a display name is not a label");
  });

  it("answers 500 when an extra route (the Telegram webhook) fails, and goes on serving", async () => {
    assert.equal((await fetch(`${base}/broken`)).status, 500);
    assert.equal((await fetch(`${base}/healthz`)).status, 200);
  });

  it("answers 404 with a hint elsewhere", async () => {
    const response = await fetch(`${base}/`);
    assert.equal(response.status, 404);
    assert.match(await response.text(), /\/healthz/);
  });
});
