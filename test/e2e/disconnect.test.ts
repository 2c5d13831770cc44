// /nodes and /disconnect-node against the real OpenClaw (npm openclaw@2026.9.6): a node enrolled through the bot with
// a setup link is listed, removed after an approver's confirmation, cannot come back with its old credentials, and
// /diagnose on its log says it was removed.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runScript } from "../openclaw/harness.ts";
import { ConsoleDriver, codeBlocks } from "../support/console-driver.ts";
import { operatorConnection } from "../support/operator-connection.ts";
import { realGatewaySuite } from "../support/real-gateway-suite.ts";

// As in openclaw.test.ts: a wait lasts while the bot, the gateway or the node does something new.
const PATIENCE = { idleMs: 180_000, maxMs: 480_000 };
const NODE_IDLE_MS = 180_000;
const NAME = "remote-gone";

describe("/nodes and /disconnect-node with the real OpenClaw gateway", () => {
  const real = realGatewaySuite();

  it("lists a node enrolled through the bot, removes it after a private confirmation, and it stays out", async () => {
    const dir = real.tempDir();
    const events = await operatorConnection(real.gw, dir, {
      pausedRetryMs: 500,
      statusPollMs: 500,
    });
    const driver = await new ConsoleDriver(events).start();
    driver.patience = PATIENCE;
    driver.progress.text(() => real.gw.logs());
    try {
      driver.type("/as bob", `/connect-node ${NAME}`);
      await driver.seeText(`Approve a new node “${NAME}”?`, "dm", "alice");
      driver.type("/as alice", String(driver.button("Approve: all commands", "dm", "alice")));
      const dm = await driver.seeText("openclaw node run --pair", "dm", "bob");
      const node = runScript({ netns: real.netns, script: codeBlocks(dm.text)[0] ?? "" });
      real.track(node);
      driver.progress.text(node.output);
      await driver.see(
        (l) => l.where === "channel" && l.text.includes(`✅ Node “${NAME}” is connected`),
        "the card to turn green",
      );
      const status = (await real.gw.cli(["nodes", "status"], { json: true })).json as {
        nodes: { nodeId: string; displayName?: string; remoteIp?: string }[];
      };
      const listed = status.nodes.find((n) => n.displayName === NAME);
      assert.ok(listed, "the gateway lists the node");
      const nodeId = listed.nodeId;

      // Anyone may list: bob sees the node, connected, who asked and who approved, but not its id or address.
      driver.type("/as bob", "/nodes");
      const forBob = await driver.seeText(NAME, "reply", "bob");
      assert.ok(forBob.text.includes(`${NAME}: connected · approved`), forBob.text);
      assert.match(forBob.text, /Asked by bob · approved by alice/);
      assert.ok(!forBob.text.includes(nodeId), "no device id for someone who is no approver");
      // An approver sees its device id (and address), privately.
      driver.type("/as alice", "/nodes");
      const forAlice = await driver.seeText(nodeId, "reply", "alice");
      if (listed.remoteIp) assert.ok(forAlice.text.includes(listed.remoteIp));

      // bob may not disconnect; alice confirms exactly this node, privately.
      driver.type("/as bob", `/disconnect-node ${NAME}`);
      await driver.seeText("Only an approver may disconnect a node.", "reply", "bob");
      driver.type("/as alice", `/disconnect-node ${NAME}`);
      const confirm = await driver.seeText(`Disconnect node “${NAME}”?`, "dm", "alice");
      assert.ok(confirm.text.includes(nodeId));
      const before = node.output().length;
      driver.type(String(driver.button("Disconnect", "dm", "alice")));
      await driver.seeText(`Node “${NAME}” was removed from the gateway`, "reply", "alice");

      // The node is told it was removed, and its old device token no longer works: it waits, asking nothing.
      await node.waitFor("device removed", NODE_IDLE_MS, before);
      await node.waitFor("AUTH_DEVICE_TOKEN_MISMATCH", NODE_IDLE_MS, before);
      await driver.see(
        (l) => l.where === "channel" && l.text.includes("Disconnected by alice"),
        "the card to say who disconnected the node",
      );
      const removed = (await driver.app.store.auditRecords()).filter(
        (r) => r.kind === "disconnected",
      );
      assert.deepEqual(
        removed.map((r) => [r.kind === "disconnected" && r.nodeId, r.displayName]),
        [[nodeId, NAME]],
        "the removal is in the audit",
      );
      const after = (await real.gw.cli(["nodes", "status"], { json: true })).json as {
        nodes: { nodeId: string; connected?: boolean }[];
      };
      assert.ok(!after.nodes.some((n) => n.nodeId === nodeId && n.connected));
      const devices = (await real.gw.cli(["devices", "list"], { json: true })).json as {
        pending?: { deviceId?: string }[];
        paired?: { deviceId: string }[];
      };
      assert.ok(!(devices.paired ?? []).some((d) => d.deviceId === nodeId), "device removed");
      assert.ok(!(devices.pending ?? []).some((d) => d.deviceId === nodeId), "no new request");

      // The gateway may still know the node's name for a while; it is never listed as connected and approved again.
      const shown = driver.chat.transcript.length;
      driver.type("/as bob", "/nodes");
      const gone = await driver.see(
        (l) =>
          driver.chat.transcript.indexOf(l) >= shown &&
          l.where === "reply" &&
          l.to === "bob" &&
          l.text.includes("Nodes on the gateway"),
        "/nodes after the removal",
      );
      assert.ok(!gone.text.includes(`${NAME}: connected`), gone.text);
      // A second click on the old confirmation finds the node gone and removes nothing.
      driver.type("/as alice", String(driver.button("Disconnect", "dm", "alice")));
      await driver.seeText("This node changed since the confirmation was shown", "reply", "alice");

      driver.type("/as bob", "/diagnose", node.output(), ".");
      await driver.seeText("DEVICE_REMOVED", "reply", "bob");
    } finally {
      await driver.stop();
      await events.stop();
    }
  });
});
