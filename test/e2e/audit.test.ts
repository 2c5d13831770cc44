// The audit trail end to end: a shared-token handshake walked through the console, the bot stopped, and the records
// read back by `clawshake audit` from the same data directory: the decisions with what each approver was shown, and
// the token in no record and nowhere in the SQLite file.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, it } from "node:test";
import { ConsoleDriver } from "../support/console-driver.ts";
import { capabilityRequested, nodeConnected, pairingRequested } from "../support/gateway-events.ts";
import { ScriptedGateway } from "../support/scripted-gateway.ts";
import { withTlsGateway } from "../support/tls-gateway.ts";

const TOKEN = "tok_audit_e2e_7c6d5e4f3a2b1c0d9e8f";
const CLI = join(import.meta.dirname, "..", "..", "src", "cli.ts");

function audit(dataDir: string, ...args: string[]) {
  const result = spawnSync(process.execPath, [CLI, "audit", ...args], {
    encoding: "utf8",
    env: { PATH: process.env.PATH, HOME: process.env.HOME, CLAWSHAKE_DATA_DIR: dataDir },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("the audit trail of a console handshake, after a restart", () => {
  const gateway = new ScriptedGateway({ canMint: false });
  const driver = new ConsoleDriver(gateway);
  const tls = withTlsGateway(driver);

  it("exports the request, each decision with what was shown, the gateway's results and the connection; never the token", async () => {
    driver.type("/as bob", "/connect-node audit-1");
    await driver.seeText("Connect node “audit-1”", "channel");
    driver.type("/as carol", String(driver.button("I'm the gateway operator", "channel")));
    await driver.seeText("Gateway details for “audit-1”", "reply", "carol");
    driver.type(tls.host, String(tls.port), tls.fingerprint, TOKEN);
    await driver.seeText(`export OPENCLAW_GATEWAY_TOKEN='${TOKEN}'`, "dm", "bob");

    gateway.emit(
      pairingRequested({
        requestId: "req-a1",
        deviceId: "dev-a1",
        displayName: "audit-1",
        remoteIp: "10.77.0.9",
        platform: "linux",
      }),
    );
    await driver.seeText("Approve device pairing for “audit-1”?", "dm", "alice");
    driver.type("/as alice", String(driver.button("Approve device", "dm", "alice")));
    await driver.seeText("The device was approved. The node stays paused", "dm", "bob");
    gateway.emit(
      capabilityRequested({
        requestId: "cap-a1",
        nodeId: "dev-a1",
        commands: ["system.run", "system.which"],
      }),
    );
    await driver.seeText("Approve the commands of “audit-1”?", "dm", "dave");
    driver.type("/as dave", String(driver.button("Approve commands", "dm", "dave")));
    await driver.seeText(
      "Approved. Waiting for the gateway to show the node connected.",
      "channel",
    );
    gateway.emit(nodeConnected("dev-a1", "audit-1"));
    await driver.seeText("✅ Node “audit-1” is connected", "channel");

    // A restart: the bot stops; the command line opens the same data directory.
    await driver.stopBot();
    const exported = audit(driver.dir, "--json");
    assert.equal(exported.code, 0, exported.stderr);
    const records = exported.stdout
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line));
    assert.deepEqual(
      records.map((r) => r.kind),
      ["request", "decision", "gateway", "decision", "gateway", "connected"],
    );
    const [request, device, approvedDevice, capability, approvedCapability, connected] = records;
    assert.equal(request.by.id, "bob");
    assert.equal(request.displayName, "audit-1");
    assert.equal(request.mode, "sharedToken");
    assert.equal(request.where.platform, "console");
    assert.equal(device.by.id, "alice");
    assert.equal(device.approved, true);
    assert.deepEqual(
      [device.shown.step, device.shown.requestId, device.shown.deviceId, device.shown.address],
      ["device", "req-a1", "dev-a1", "10.77.0.9"],
    );
    assert.deepEqual(
      [approvedDevice.action, approvedDevice.ok, approvedDevice.requestId, approvedDevice.deviceId],
      ["approveDevice", true, "req-a1", "dev-a1"],
    );
    assert.equal(capability.by.id, "dave");
    assert.deepEqual(capability.shown.commands, ["system.run", "system.which"]);
    assert.equal(capability.shown.requestId, "cap-a1");
    assert.deepEqual(
      [approvedCapability.action, approvedCapability.requestId, approvedCapability.nodeId],
      ["approveCapability", "cap-a1", "dev-a1"],
    );
    assert.equal(connected.nodeId, "dev-a1");
    assert.ok(connected.elapsedMs >= 0);

    assert.ok(!exported.stdout.includes(TOKEN), "the token is in an audit record");
    const csv = audit(driver.dir, "--csv");
    const table = audit(driver.dir);
    assert.equal(csv.code, 0);
    assert.equal(table.code, 0);
    assert.match(table.stdout, /dave \[console:dave\] approved capability request cap-a1/);
    for (const text of [csv.stdout, table.stdout]) assert.ok(!text.includes(TOKEN));
    assert.ok(
      !driver.publicTraces().database.includes(TOKEN),
      "the token is in the SQLite file in plain text",
    );
  });
});
