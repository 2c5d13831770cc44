import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { parseJsonOutput } from "../../../src/adapters/openclaw/cli.ts";
import {
  CliFailureSchema,
  DevicesListSchema,
  NodeDescribeSchema,
  NodePairListSchema,
  NodesPendingSchema,
  NodesStatusSchema,
  parseShape,
  SetupCodeSchema,
  SetupStatusSchema,
  toCapabilityApproval,
  toNodeDescription,
  toNodeStatus,
  toPairingRequest,
} from "../../../src/adapters/openclaw/schemas.ts";

const FIXTURES = join(import.meta.dirname, "..", "..", "fixtures", "openclaw-2026.9.6");
const fixture = (name: string): unknown =>
  parseJsonOutput(readFileSync(join(FIXTURES, name), "utf8"));

describe("OpenClaw 2026.9.6 CLI output", () => {
  it("reads a shared-token node's first-stage request from `devices list --json`", () => {
    const list = parseShape(
      DevicesListSchema,
      fixture("devices-list-pending.json"),
      "devices list",
    );
    assert.equal(list.pending.length, 1);
    const [pending] = list.pending;
    assert.ok(pending);
    assert.deepEqual(toPairingRequest(pending, 0), {
      requestId: "8e200352-5ecc-4d78-81aa-d8e71b9d14d3",
      deviceId: "245ce83c54faec6fbd609d793561af4b8d2251eb66ae75dec76af4183def2574",
      displayName: "Token Node",
      remoteIp: "10.77.65.182",
      platform: "linux",
      seenAt: 1795683076398,
    });
    assert.equal(list.paired[0]?.approvedVia, "bootstrap");
  });

  it("keeps fields it does not know, so a newer OpenClaw does not break the bot", () => {
    const list = parseShape(
      DevicesListSchema,
      fixture("devices-list-pending.json"),
      "devices list",
    );
    assert.equal((list.pending[0] as Record<string, unknown>).clientId, "node-host");
    assert.ok((list.paired[0] as Record<string, unknown>).nodeSurface);
  });

  it("reads the capability approval and its commands from `nodes pending --json`", () => {
    const pending = parseShape(NodesPendingSchema, fixture("nodes-pending.json"), "nodes pending");
    const [request] = pending;
    assert.ok(request);
    const approval = toCapabilityApproval(request, 0);
    assert.equal(approval.requestId, "c80d5338-9e9e-42b2-8e86-2513cd671d2f");
    assert.equal(
      approval.nodeId,
      "245ce83c54faec6fbd609d793561af4b8d2251eb66ae75dec76af4183def2574",
    );
    assert.equal(approval.displayName, "Token Node");
    assert.ok(approval.commands.includes("system.run"));
  });

  it("reads `nodes status --json`: pending approval is not approved even while connected", () => {
    const pending = parseShape(
      NodesStatusSchema,
      fixture("nodes-status-pending-approval.json"),
      "nodes status",
    );
    const token = pending.nodes.map(toNodeStatus).find((node) => node.displayName === "Token Node");
    assert.deepEqual(token, {
      nodeId: "245ce83c54faec6fbd609d793561af4b8d2251eb66ae75dec76af4183def2574",
      displayName: "Token Node",
      approved: false,
      connected: true,
    });
    const approved = parseShape(
      NodesStatusSchema,
      fixture("nodes-status-approved.json"),
      "nodes status",
    );
    const byName = new Map(
      approved.nodes.map(toNodeStatus).map((node) => [node.displayName, node]),
    );
    assert.deepEqual(
      [
        byName.get("Token Node")?.approved,
        byName.get("Token Node")?.connected,
        byName.get("Link Node")?.connected,
      ],
      [true, true, false],
    );
  });

  it("reads a minted setup code and both answers of `device.pair.setupStatus`", () => {
    const minted = parseShape(SetupCodeSchema, fixture("setup-code.json"), "setupCode");
    assert.equal(minted.setupId, "ca9f113c-6415-4e69-af36-a336e2a8d006");
    assert.equal(typeof minted.expiresAtMs, "number");
    assert.deepEqual(
      parseShape(SetupStatusSchema, fixture("setup-status-pending.json"), "setupStatus"),
      {},
    );
    const completed = parseShape(
      SetupStatusSchema,
      fixture("setup-status-completed.json"),
      "setupStatus",
    );
    assert.equal(completed.completion?.deviceName, "Link Node");
  });

  it("reads OpenClaw's failure JSON (the loopback-only refusal to mint)", () => {
    const failure = CliFailureSchema.parse(fixture("mint-loopback-refused.json"));
    assert.equal(failure.error.type, "gateway_request_error");
    assert.equal(failure.error.code, "INVALID_REQUEST");
    assert.match(failure.error.message, /only bound to loopback/);
  });

  it("names the wrong field when the shape is not what the bot expects, without echoing the data", () => {
    assert.throws(
      () =>
        parseShape(SetupCodeSchema, { setupId: "s", setupCode: 42, expiresAtMs: 1 }, "setupCode"),
      (error: Error) =>
        error.message.includes("setupCode: unexpected shape (setupCode:") &&
        !error.message.includes("42"),
    );
  });

  it("reads what `node.describe` / `nodes describe --json` says a node may run, sorted and without duplicates", () => {
    // As 2026.9.6 answered for a node started with `--commands system.which,browser.proxy,canvas.present,camera.list`.
    const described = parseShape(
      NodeDescribeSchema,
      {
        ts: 1795992622957,
        nodeId: "918ec5bb9267b995f85cdd951932c3917ead892c33f18aee79eda4b93aedefee",
        displayName: "Multi Node",
        platform: "linux",
        version: "2026.9.6",
        clientId: "node-host",
        clientMode: "node",
        deviceFamily: "Linux",
        remoteIp: "10.77.188.82",
        caps: ["browser", "system"],
        commands: ["system.which", "browser.proxy", "system.which"],
        sessionHost: false,
        nodePluginTools: [],
        approvalState: "approved",
        approvedAtMs: 1795992615278,
        paired: true,
        connected: true,
      },
      "node.describe",
    );
    assert.deepEqual(toNodeDescription(described), {
      nodeId: "918ec5bb9267b995f85cdd951932c3917ead892c33f18aee79eda4b93aedefee",
      connected: true,
      commands: ["browser.proxy", "system.which"],
    });
    assert.deepEqual(
      toNodeDescription(parseShape(NodeDescribeSchema, { nodeId: "n" }, "node.describe")),
      { nodeId: "n", connected: false, commands: [] },
    );
  });

  it("counts what the gateway approved for a node, not only what it runs with now", () => {
    // A node that first connected without --commands (approved: everything) and now runs with them is described with
    // only those while connected (openclaw 2026.9.6, node-catalog: live commands); its pairing still holds the rest,
    // which it gets back, unasked, the next time it starts without them.
    const described = parseShape(
      NodeDescribeSchema,
      { nodeId: "n", connected: true, commands: ["system.which"] },
      "node.describe",
    );
    const paired = parseShape(
      NodePairListSchema,
      { pending: [], paired: [{ nodeId: "n", commands: ["system.run", "system.which"] }] },
      "node.pair.list",
    );
    assert.deepEqual(toNodeDescription(described, paired), {
      nodeId: "n",
      connected: true,
      commands: ["system.run", "system.which"],
    });
    // Another node's pairing says nothing about this one.
    const other = parseShape(
      NodePairListSchema,
      { paired: [{ nodeId: "m", commands: ["system.run"] }] },
      "node.pair.list",
    );
    assert.deepEqual(toNodeDescription(described, other).commands, ["system.which"]);
  });

  it("finds the JSON after anything openclaw prints before it", () => {
    assert.deepEqual(parseJsonOutput('warning: something\n{\n  "ok": true\n}\n'), { ok: true });
    assert.deepEqual(parseJsonOutput("[]"), []);
    assert.equal(parseJsonOutput(""), undefined);
  });
});
