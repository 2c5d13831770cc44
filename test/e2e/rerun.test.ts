// The re-run step through the console, the real flows and a real SQLite store: the node operator is told to run the
// node again only when it has not carried on by itself a few seconds after the device approval. The steady tick is
// set to its longest (10 minutes), so the reminder arriving on time shows the bot wakes up for it.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { RERUN_GRACE_MS } from "../../src/core/machine.ts";
import { ConsoleDriver, codeBlocks } from "../support/console-driver.ts";
import { capabilityRequested, pairingRequested } from "../support/gateway-events.ts";
import { ScriptedGateway } from "../support/scripted-gateway.ts";
import { withTlsGateway } from "../support/tls-gateway.ts";

const TOKEN = "tok_7c1d9e2f3a4b5c6d7e8f9a0b1c2d3e4f";
const RERUN = "The device was approved. The node stays paused";

describe("the re-run step", () => {
  const gateway = new ScriptedGateway({ canMint: false });
  const driver = new ConsoleDriver(gateway, {
    CLAWSHAKE_MODE: "shared-token",
    CLAWSHAKE_TICK_SECONDS: "600",
  });
  const tls = withTlsGateway(driver);

  /** Opens a session for `name`, sends bob the credentials, and has alice approve the node's device. */
  async function approveDevice(name: string, deviceId: string): Promise<void> {
    driver.type("/as bob", `/connect-node ${name}`);
    await driver.seeText(`Connect node “${name}”`, "channel");
    driver.type("/as carol", String(driver.button("I'm the gateway operator", "channel")));
    await driver.seeText(`Gateway details for “${name}”`, "reply", "carol");
    driver.type(tls.host, String(tls.port), tls.fingerprint, TOKEN);
    await seeCard(name, "Credentials sent to bob");
    gateway.emit(pairingRequested({ requestId: `req-${deviceId}`, deviceId, displayName: name }));
    await driver.seeText(`Approve device pairing for “${name}”?`, "dm", "alice");
    driver.type("/as alice", String(driver.button("Approve device", "dm", "alice")));
    await seeCard(name, "Waiting a few seconds for the node to carry on by itself");
  }

  /** The card of `name` showing `text` (the transcript keeps every earlier card too). */
  const seeCard = (name: string, text: string) =>
    driver.see(
      (l) => l.where === "channel" && l.text.includes(`“${name}”`) && l.text.includes(text),
      `the card of ${name} to say “${text}”`,
    );

  const rerunDms = () =>
    driver.chat.transcript.filter(
      (l) => l.where === "dm" && l.to === "bob" && l.text.includes(RERUN),
    );

  it("says nothing of a re-run when the node carries on by itself right after the approval", async () => {
    await approveDevice("fast-1", "dev-f1");
    gateway.emit(
      capabilityRequested({ requestId: "cap-f1", nodeId: "dev-f1", commands: ["system.run"] }),
    );
    await driver.seeText("Approve the commands of “fast-1”?", "dm", "dave");
    // Past the time the reminder would have been due: still none.
    await sleep(RERUN_GRACE_MS + 1000);
    assert.deepEqual(rerunDms(), []);
  });

  it("tells the node operator to re-run, with the command and without the token, once the node has paused; and takes it back when the node returns", async () => {
    const approvedAt = Date.now();
    await approveDevice("slow-1", "dev-s1");
    const dm = await driver.seeText(RERUN, "dm", "bob");
    assert.ok(Date.now() - approvedAt >= RERUN_GRACE_MS, "the reminder waits for the grace time");
    const [posix] = codeBlocks(dm.text);
    assert.match(
      posix ?? "",
      new RegExp(
        `openclaw node run --host '${tls.host}' --port ${tls.port} --tls --tls-fingerprint '${tls.fingerprint}' --display-name='slow-1'`,
      ),
    );
    assert.ok(!dm.text.includes(TOKEN) && !dm.text.includes("OPENCLAW_GATEWAY_TOKEN="));
    await seeCard("slow-1", "bob must run the node command again");

    // bob runs it again; the node asks for its commands, and the reminder says it is done.
    gateway.emit(
      capabilityRequested({ requestId: "cap-s1", nodeId: "dev-s1", commands: ["system.run"] }),
    );
    await driver.seeText("Approve the commands of “slow-1”?", "dm", "dave");
    const edited = await driver.seeText("Not needed any more", "dm", "bob");
    assert.match(edited.text, /^\(updated\).*Run the node again for “slow-1”/);
    assert.doesNotMatch(edited.text, /openclaw node run/);
  });
});
