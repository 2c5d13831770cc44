// Two machines ask under one display name, against the real OpenClaw (npm openclaw@2026.9.6): the approver's click
// on the first request's message must not pair the second machine, which the gateway keeps pending beside the first.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import {
  createNetns,
  type Gateway,
  type Netns,
  type NodeProcess,
  runScript,
  startGateway,
} from "../openclaw/harness.ts";
import { ConsoleDriver, codeBlocks } from "../support/console-driver.ts";
import { operatorConnection } from "../support/operator-connection.ts";

const NAME = "same-name";

interface DeviceList {
  pending: { requestId: string; deviceId: string; displayName?: string }[];
  paired: { deviceId: string }[];
}

describe("two machines under one display name, with the real OpenClaw gateway", () => {
  let netns: Netns;
  let gw: Gateway;
  let dir: string;
  const nodes: NodeProcess[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "clawshake-e2e-"));
    netns = await createNetns();
    gw = await startGateway({ bindHost: netns.hostIp });
  });
  after(async () => {
    for (const node of nodes) await node.stop();
    await gw?.stop();
    await netns?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  const devices = async (): Promise<DeviceList> =>
    (await gw.cli(["devices", "list"], { json: true })).json as DeviceList;

  it("refuses the first message's click once a second device asks, and pairs only the device an approver was shown", async () => {
    const events = await operatorConnection(gw, dir, { pausedRetryMs: 500, statusPollMs: 500 });
    const driver = await new ConsoleDriver(events, { CLAWSHAKE_MODE: "shared-token" }).start();
    // A node under load takes 40–130 s to start: wait while the bot, the gateway or a node does something new.
    driver.patience = { idleMs: 180_000, maxMs: 480_000 };
    driver.progress.text(() => gw.logs());
    try {
      driver.type("/as bob", `/connect-node ${NAME}`);
      await driver.seeText(`Connect node “${NAME}”`, "channel");
      driver.type("/as carol", String(driver.button("I'm the gateway operator", "channel")));
      await driver.seeText(`Gateway details for “${NAME}”`, "reply", "carol");
      driver.type(gw.host, String(gw.port), gw.fingerprint, gw.token);
      const dm = await driver.seeText("openclaw node run --host", "dm", "bob");
      const script = codeBlocks(dm.text.slice(dm.text.indexOf("Run this on the node machine")))[0];
      assert.ok(script);

      // The node operator's machine asks first; the approver is shown its device.
      const first = runScript({ netns, script });
      nodes.push(first);
      driver.progress.text(first.output);
      const firstDm = await driver.seeText(`Approve device pairing for “${NAME}”?`, "dm", "alice");
      const firstDevice = /Device id: (\S+)/.exec(firstDm.text)?.[1] as string;
      assert.ok(firstDevice, firstDm.text);
      const firstButton = driver.button("Approve device", "dm", "alice");

      // Another machine (its own identity) runs the same command under the same name before anyone clicks.
      const second = runScript({ netns, script });
      nodes.push(second);
      driver.progress.text(second.output);
      const secondDm = await driver.seeText("A different device, from", "dm", "alice");
      const secondDevice = /Device id: (\S+)/.exec(secondDm.text)?.[1] as string;
      assert.ok(secondDevice && secondDevice !== firstDevice, secondDm.text);
      const pending = (await devices()).pending.filter((p) => p.displayName === NAME);
      assert.deepEqual(
        pending.map((p) => p.deviceId).sort(),
        [firstDevice, secondDevice].sort(),
        "the gateway keeps both requests pending",
      );

      // The approver presses the button of the message they read first: refused, nothing paired.
      driver.type("/as alice", String(firstButton));
      await driver.seeText("this request was replaced by a newer one", "reply", "alice");
      await driver.seeText("was replaced by a newer one with other details", "dm", "alice");
      const afterRefusal = await devices();
      assert.ok(
        !afterRefusal.paired.some((d) => d.deviceId === firstDevice || d.deviceId === secondDevice),
        "a refused click pairs nothing",
      );

      // The approver decides on the message that shows the second device: exactly that device is paired.
      driver.type(String(driver.button("Approve device", "dm", "alice")));
      await driver.seeText("The device was approved. The node stays paused", "dm", "bob");
      const paired = await devices();
      assert.ok(paired.paired.some((d) => d.deviceId === secondDevice));
      assert.ok(!paired.paired.some((d) => d.deviceId === firstDevice));
      assert.ok(
        paired.pending.some((p) => p.deviceId === firstDevice),
        "the first stays pending",
      );

      const traces = driver.publicTraces();
      for (const [where, text] of Object.entries(traces))
        assert.ok(!text.includes(gw.token), `the gateway token leaked into the ${where}`);
    } finally {
      await driver.stop();
      await events.stop();
    }
  });
});
