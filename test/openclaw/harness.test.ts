// Proves, against the real openclaw package, the behaviour clawshake relies on: setup links, the two-stage shared-token enrolment, loopback refusal.
// It never targets an address other than loopback and the network namespace it creates itself.

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  createNetns,
  type Gateway,
  mintSetupCode,
  type Netns,
  type NodeProcess,
  runNode,
  sharedTokenNodeArgs,
  startGateway,
} from "./harness.ts";

interface NodeStatusEntry {
  nodeId: string;
  displayName?: string;
  approvalState?: string;
  connected?: boolean;
  remoteIp?: string;
  approvedVia?: string;
}

async function nodeStatus(
  gateway: Gateway,
  displayName: string,
): Promise<NodeStatusEntry | undefined> {
  const { json } = await gateway.cli(["nodes", "status"], { json: true });
  const nodes = (json as { nodes: NodeStatusEntry[] }).nodes;
  return nodes.find((node) => node.displayName === displayName);
}

/** Polls `nodes status` until the node is approved and connected (the CLI takes seconds per call). */
async function waitUntilApprovedAndConnected(
  gateway: Gateway,
  displayName: string,
  timeoutMs = 60_000,
): Promise<NodeStatusEntry> {
  const deadline = Date.now() + timeoutMs;
  let last: NodeStatusEntry | undefined;
  while (Date.now() < deadline) {
    last = await nodeStatus(gateway, displayName);
    if (last?.approvalState === "approved" && last.connected === true) return last;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(
    `${displayName} not approved+connected in time; last status: ${JSON.stringify(last)}`,
  );
}

/** The uuid that follows `prefix` in a node's line, e.g. "requestId: " or "openclaw nodes approve ". */
function requestIdAfter(prefix: string, line: string): string {
  const at = line.indexOf(prefix);
  const match = /^[0-9a-f-]{36}/.exec(line.slice(at + prefix.length));
  assert.ok(at >= 0 && match, `no requestId after "${prefix}" in: ${line}`);
  return match[0];
}

// The cases are independent (distinct display names, fresh setup codes), so they run side by side:
// each spends most of its time waiting for a node process to start.
describe("the real openclaw gateway, with nodes in a network namespace", {
  concurrency: true,
}, () => {
  let netns: Netns;
  let gateway: Gateway;
  let loopbackGateway: Gateway;
  const nodes: NodeProcess[] = [];
  const start = (opts: Parameters<typeof runNode>[0]) => {
    const node = runNode(opts);
    nodes.push(node);
    return node;
  };

  before(async () => {
    netns = await createNetns();
    [gateway, loopbackGateway] = await Promise.all([
      startGateway({ bindHost: netns.hostIp }),
      startGateway(),
    ]);
    // The CLI's first call creates the gateway host's own operator device: do it once, before
    // concurrent calls could race to create it.
    await gateway.cli(["devices", "list"], { json: true });
  });

  after(async () => {
    await Promise.all(nodes.map((node) => node.stop()));
    await Promise.all([gateway?.stop(), loopbackGateway?.stop()]);
    await netns?.destroy();
  });

  it("enrols a node from a setup link with no token, approved through the minting itself", async () => {
    const minted = await mintSetupCode(gateway);
    assert.equal(minted.gatewayUrl, gateway.url);
    // The code carries the endpoint, a bootstrap credential and the certificate pin.
    const decoded = JSON.parse(Buffer.from(minted.setupCode, "base64url").toString("utf8"));
    assert.equal(decoded.url, gateway.url);
    assert.equal(decoded.tlsFingerprint, gateway.fingerprint);
    assert.equal(typeof decoded.bootstrapToken, "string");

    const node = start({
      netns,
      args: [
        "node",
        "run",
        "--pair",
        `oc-pair://${minted.setupCode}`,
        "--display-name",
        "Link Node",
      ],
    });
    const line = await node.waitFor("node host gateway connected:", 60_000);
    assert.match(line, new RegExp(`node host gateway connected: ${gateway.url}`));

    const status = await waitUntilApprovedAndConnected(gateway, "Link Node");
    assert.equal(status.remoteIp, netns.nsIp);
  });

  it("refuses a second node that reuses a setup code", async () => {
    const minted = await mintSetupCode(gateway);
    const first = start({
      netns,
      args: ["node", "run", "--pair", `oc-pair://${minted.setupCode}`, "--display-name", "First"],
    });
    await first.waitFor("node host gateway connected:", 60_000);

    const second = start({
      netns,
      args: ["node", "run", "--pair", `oc-pair://${minted.setupCode}`, "--display-name", "Second"],
    });
    const refusal = await second.waitFor(
      "setup code invalid, expired, revoked, or already used",
      60_000,
    );
    assert.match(refusal, /unauthorized/);
  });

  it("enrols a shared-token node in two stages: device pairing, a re-run, then its capability surface", async () => {
    const displayName = "Token Node";
    const env = { OPENCLAW_GATEWAY_TOKEN: gateway.token };
    const first = start({ netns, env, args: sharedTokenNodeArgs(gateway, displayName) });
    const pairingRequest = requestIdAfter(
      "requestId: ",
      await first.waitFor("device pairing required (requestId: ", 60_000),
    );

    const { json: devices } = await gateway.cli(["devices", "list"], { json: true });
    const pending = (devices as { pending: { requestId: string; displayName: string }[] }).pending;
    assert.deepEqual(
      pending.map((request) => [request.requestId, request.displayName]),
      [[pairingRequest, displayName]],
    );

    // The node pauses for good once it says so; approving after that needs a re-run.
    await first.waitFor("waiting for operator action", 60_000);
    const approved = await gateway.cli(["devices", "approve", pairingRequest], { json: true });
    assert.equal(approved.exitCode, 0, approved.stdout + approved.stderr);
    await first.stop({ keepHome: true });

    const rerun = start({
      netns,
      env,
      home: first.home,
      args: sharedTokenNodeArgs(gateway, displayName),
    });
    const capabilityApproval = requestIdAfter(
      "openclaw nodes approve ",
      await rerun.waitFor("node capability surface is awaiting operator approval", 60_000),
    );
    const { json: nodesPending } = await gateway.cli(["nodes", "pending"], { json: true });
    const pendingSurface = (nodesPending as { requestId: string; commands: string[] }[]).find(
      (request) => request.requestId === capabilityApproval,
    );
    assert.ok(pendingSurface, `nodes pending lacks ${capabilityApproval}`);
    assert.ok(pendingSurface.commands.includes("system.run"));
    // Connected already, but its commands wait: "connected" alone does not mean enrolled.
    const waiting = await nodeStatus(gateway, displayName);
    assert.equal(waiting?.approvalState, "pending-approval");
    assert.equal(waiting?.connected, true);

    const approvedSurface = await gateway.cli(["nodes", "approve", capabilityApproval], {
      json: true,
    });
    assert.equal(approvedSurface.exitCode, 0, approvedSurface.stdout + approvedSurface.stderr);
    await waitUntilApprovedAndConnected(gateway, displayName);
  });

  it("refuses to mint a setup code on a gateway bound only to loopback", async () => {
    const result = await loopbackGateway.cli(
      [
        "gateway",
        "call",
        "device.pair.setupCode",
        "--params",
        JSON.stringify({ bootstrapProfile: "node", includeQr: false }),
      ],
      { json: true },
    );
    assert.equal(result.exitCode, 1);
    assert.deepEqual(result.json, {
      ok: false,
      error: {
        type: "gateway_request_error",
        code: "INVALID_REQUEST",
        message:
          "Gateway is only bound to loopback. Set gateway.bind=lan, enable tailscale serve, or configure plugins.entries.device-pair.config.publicUrl.",
        retryable: false,
      },
    });
  });
});
