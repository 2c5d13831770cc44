// Two machines ask under one display name, against the real OpenClaw (npm openclaw@2026.9.6): the approver's click
// on the first request's message must not pair the second machine, which the gateway keeps pending beside the first.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runScript } from "../openclaw/harness.ts";
import { ConsoleDriver, codeBlocks } from "../support/console-driver.ts";
import { operatorConnection } from "../support/operator-connection.ts";
import { realGatewaySuite } from "../support/real-gateway-suite.ts";

const NAME = "same-name";

interface DeviceList {
  pending: { requestId: string; deviceId: string; displayName?: string }[];
  paired: { deviceId: string }[];
}

describe("two machines under one display name, with the real OpenClaw gateway", () => {
  const real = realGatewaySuite();

  const devices = async (): Promise<DeviceList> =>
    (await real.gw.cli(["devices", "list"], { json: true })).json as DeviceList;

  it("refuses the first message's click once a second device asks, and pairs only the device an approver was shown", async () => {
    const events = await operatorConnection(real.gw, real.tempDir(), {
      pausedRetryMs: 500,
      statusPollMs: 500,
    });
    const driver = await new ConsoleDriver(events, { CLAWSHAKE_MODE: "shared-token" }).start();
    // A node under load takes 40–130 s to start: wait while the bot, the gateway or a node does something new.
    driver.patience = { idleMs: 180_000, maxMs: 480_000 };
    driver.progress.text(() => real.gw.logs());
    try {
      driver.type("/as bob", `/connect-node ${NAME}`);
      await driver.seeText(`Connect node “${NAME}”`, "channel");
      driver.type("/as carol", String(driver.button("I'm the gateway operator", "channel")));
      await driver.seeText(`Gateway details for “${NAME}”`, "reply", "carol");
      driver.type(real.gw.host, String(real.gw.port), real.gw.fingerprint, real.gw.token);
      const dm = await driver.seeText("openclaw node run --host", "dm", "bob");
      const script = codeBlocks(dm.text.slice(dm.text.indexOf("Run this on the node machine")))[0];
      assert.ok(script);

      // The node operator's machine asks first; the approver is shown its device.
      const first = runScript({ netns: real.netns, script });
      real.track(first);
      driver.progress.text(first.output);
      const firstDm = await driver.seeText(`Approve device pairing for “${NAME}”?`, "dm", "alice");
      const firstDevice = /Device id: (\S+)/.exec(firstDm.text)?.[1] as string;
      assert.ok(firstDevice, firstDm.text);
      const firstButton = driver.button("Approve device", "dm", "alice");

      // Another machine (its own identity) runs the same command under the same name before anyone clicks.
      const second = runScript({ netns: real.netns, script });
      real.track(second);
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
        assert.ok(!text.includes(real.gw.token), `the gateway token leaked into the ${where}`);
    } finally {
      await driver.stop();
      await events.stop();
    }
  });
});
