// Two bot instances on one Redis: a click handled by either works, only one watches the gateway at a time, and the
// other takes over when it stops.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { eventFor } from "../../src/core/actions.ts";
import { person } from "../support/actors.ts";
import { ConsoleDriver } from "../support/console-driver.ts";
import { type RedisServer, startRedis } from "../support/redis-server.ts";
import { ScriptedGateway } from "../support/scripted-gateway.ts";
import { waitFor } from "../support/wait.ts";

describe("two bot instances sharing one Redis", () => {
  let redis: RedisServer;
  const gatewayA = new ScriptedGateway({ canMint: true });
  const gatewayB = new ScriptedGateway({ canMint: true });
  let a: ConsoleDriver;
  let b: ConsoleDriver;

  before(async () => {
    redis = await startRedis();
    const env = { CLAWSHAKE_STORE: "redis", CLAWSHAKE_REDIS_URL: redis.url };
    a = await new ConsoleDriver(gatewayA, env, { leaseMs: 600 }).start();
    b = await new ConsoleDriver(gatewayB, env, { leaseMs: 600 }).start();
  });
  after(async () => {
    await b?.stop();
    await a?.stop().catch(() => {});
    await redis.stop();
  });

  it("watch the gateway from one instance only", () => {
    assert.equal(Number(gatewayA.watching) + Number(gatewayB.watching), 1);
  });

  it("carry on a session opened on one instance from a click on the other", async () => {
    a.type("/as bob", "/connect-node shared-1");
    await a.seeText("Connect node “shared-1”", "channel");
    const [session] = await b.app.store.activeNamed("shared-1");
    assert.ok(session, "instance B sees the session instance A opened");
    await b.app.handshake.dispatch(
      session.id,
      eventFor("approveRequest", person("alice", { approver: true }, "dm")),
    );
    await waitFor(
      async () => (await a.app.store.get(session.id))?.stage === "linkSent",
      "the link to be sent",
    );
    assert.equal(
      gatewayA.mintedCodes.length + gatewayB.mintedCodes.length,
      1,
      "one link minted, by one instance",
    );
  });

  it("hand the gateway to the other instance when the watching one stops", async () => {
    const [watching, other] = gatewayA.watching ? [a, gatewayB] : [b, gatewayA];
    await watching.stop();
    await waitFor(
      () => other.watching,
      "the other instance to take over the gateway",
      undefined,
      // The takeover waits for the lease to run out: a matter of seconds on the clock, so a plain, generous deadline.
      { idleMs: 30_000 },
    );
  });
});
