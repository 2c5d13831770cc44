// Measured against the real openclaw gateway: what happens to a node's pending capability request when its operator
// restarts the node with a smaller `--commands` set (same device, same HOME). The bot relies on the answer: a stale
// approval must not grant the wider set. Reads the gateway's raw `node.pair.*` frames beside the bot's own events.

import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { GatewayClient } from "@openclaw/gateway-client";
import type { EventFrame } from "@openclaw/gateway-protocol";
import { EventGateway, OPERATOR_SCOPES } from "../../../src/adapters/openclaw/events.ts";
import { DeviceIdentityStore } from "../../../src/adapters/openclaw/identity.ts";
import { Secret } from "../../../src/core/secret.ts";
import {
  createNetns,
  type Gateway as HarnessGateway,
  type Netns,
  type NodeProcess,
  runNode,
  sharedTokenNodeArgs,
  startGateway,
} from "../../openclaw/harness.ts";
import { EventRecorder, eventually } from "./real-gateway.ts";

describe("a pending capability request narrowed by restarting the node with --commands (real gateway)", () => {
  let netns: Netns;
  let gateway: HarnessGateway;
  let dataDir: string;
  let bot: EventGateway;
  let raw: GatewayClient | undefined;
  const frames: EventFrame[] = [];
  const recorder = new EventRecorder();
  const nodes: NodeProcess[] = [];
  let unwatch = () => {};

  before(async () => {
    netns = await createNetns();
    gateway = await startGateway({ bindHost: netns.hostIp });
    dataDir = mkdtempSync(join(tmpdir(), "clawshake-narrow-"));
    bot = new EventGateway({
      url: gateway.url,
      token: new Secret(gateway.token),
      fingerprint: gateway.fingerprint,
      dataDir,
      configPath: gateway.configPath,
      statusPollMs: 300,
    });
    unwatch = bot.watch(recorder.listener, () => true);
    await bot.ready(60_000);
    const pairing = await eventually(
      () => {
        const state = bot.state();
        return state.status === "pairingRequired" ? state : undefined;
      },
      60_000,
      "bot pairing required",
    );
    assert.ok(pairing.requestId);
    assert.equal(
      (await gateway.cli(["devices", "approve", pairing.requestId], { json: true })).exitCode,
      0,
    );
    await eventually(
      () => (bot.state().status === "connected" ? true : undefined),
      30_000,
      "bot connected",
    );
    // A second connection with the bot's now-paired identity records the gateway's frames as sent (decision included).
    const identity = new DeviceIdentityStore(dataDir);
    const hello = Promise.withResolvers<void>();
    raw = new GatewayClient({
      url: gateway.url,
      role: "operator",
      scopes: OPERATOR_SCOPES,
      clientName: "gateway-client",
      clientDisplayName: "clawshake-test-raw",
      mode: "backend",
      minProtocol: 4,
      maxProtocol: 4,
      deviceIdentity: identity.loadOrCreate(),
      hostDeps: identity.hostDeps(),
      tlsFingerprint: gateway.fingerprint,
      onHelloOk: () => hello.resolve(),
      onEvent: (frame) => {
        if (frame.event.startsWith("node.pair.")) frames.push(frame);
      },
    });
    raw.start();
    await hello.promise;
  });

  after(async () => {
    unwatch();
    raw?.stop();
    await bot?.stop();
    await Promise.all(nodes.map((node) => node.stop()));
    await gateway?.stop();
    await netns?.destroy();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  function node(args: string[], home?: string): NodeProcess {
    const started = runNode({
      netns,
      args,
      env: { OPENCLAW_GATEWAY_TOKEN: gateway.token },
      ...(home ? { home } : {}),
    });
    nodes.push(started);
    return started;
  }

  it("replaces the wide request with a new requestId for the smaller set, resolves the old one as rejected (the bot tells it as replaced), refuses a stale approval, and grants exactly the smaller set", async () => {
    const wideArgs = sharedTokenNodeArgs(gateway, "Narrow Node");
    const first = node(wideArgs);
    const device = await recorder.waitFor(
      "devicePairingRequested",
      (event) => event.request.displayName === "Narrow Node",
      180_000,
    );
    const nodeId = device.request.deviceId as string;
    assert.equal(await bot.approveDevice(device.request.requestId), "done");
    // Approved within a second the node goes on by itself, else it waits for a re-run (as in events.test.ts).
    let wide = await recorder
      .waitFor("capabilityRequested", (event) => event.request.nodeId === nodeId, 20_000)
      .catch(() => undefined);
    let running = first;
    if (!wide) {
      await first.stop({ keepHome: true });
      running = node(wideArgs, first.home);
      wide = await recorder.waitFor(
        "capabilityRequested",
        (event) => event.request.nodeId === nodeId,
        180_000,
      );
    }
    assert.ok(wide.request.commands.includes("system.run"), wide.request.commands.join(", "));
    const oldId = wide.request.requestId;

    // The operator stops the node and starts it again, same HOME, asking for less.
    await running.stop({ keepHome: true });
    const from = recorder.events.length;
    const rawFrom = frames.length;
    node([...wideArgs, "--commands", "system.which"], first.home);
    const narrow = await recorder.waitFor(
      "capabilityRequested",
      (event) => event.request.nodeId === nodeId && event.request.requestId !== oldId,
      180_000,
      from,
    );
    const newId = narrow.request.requestId;
    // 1. A new request, only the smaller set; the old one no longer pending.
    assert.notEqual(newId, oldId);
    assert.deepEqual(narrow.request.commands, ["system.which"]);
    const pending = (await gateway.cli(["nodes", "pending"], { json: true })).json as {
      requestId: string;
      nodeId: string;
      commands: string[];
    }[];
    assert.deepEqual(
      pending
        .filter((request) => request.nodeId === nodeId)
        .map(({ requestId, commands }) => ({ requestId, commands })),
      [{ requestId: newId, commands: ["system.which"] }],
    );
    // 2. What the operator connection saw: the old request resolved as rejected, then the new one requested. The bot
    // tells that as a replacement (the new request), never as a rejection (checked after its next call, below).
    await eventually(
      () =>
        frames.slice(rawFrom).some((f) => f.event === "node.pair.requested") ? true : undefined,
      30_000,
      "raw node.pair.requested",
    );
    const seen = frames.slice(rawFrom).map(({ event, payload }) => {
      const { requestId, nodeId: of, decision, commands } = payload as Record<string, unknown>;
      return { event, requestId, nodeId: of, decision, commands };
    });
    assert.deepEqual(seen, [
      {
        event: "node.pair.resolved",
        requestId: oldId,
        nodeId,
        decision: "rejected",
        commands: undefined,
      },
      {
        event: "node.pair.requested",
        requestId: newId,
        nodeId,
        decision: undefined,
        commands: ["system.which"],
      },
    ]);
    // 3. A stale approval of the old request grants nothing: the gateway no longer knows it.
    assert.ok(raw);
    await assert.rejects(raw.request("node.pair.approve", { requestId: oldId }), (error: Error) => {
      assert.equal(error.message, "unknown requestId");
      assert.equal((error as Error & { gatewayCode?: string }).gatewayCode, "INVALID_REQUEST");
      return true;
    });
    assert.equal(await bot.approveCapability(oldId), "alreadyDecided");
    const stale = await gateway.cli(["nodes", "approve", oldId]);
    assert.equal(stale.exitCode, 1);
    assert.match(stale.stderr, new RegExp(`Unknown node pairing requestId: ${oldId}`));
    assert.match(stale.stderr, new RegExp(`Pending requestIds: ${newId}`));
    assert.deepEqual(await bot.describeNode(nodeId), { nodeId, connected: true, commands: [] });
    // The bot's own calls are answered in order, so its look at the pending list (made when the old request was
    // resolved) has been answered by now: it told no rejection.
    assert.ok(
      !recorder.events
        .slice(from)
        .some((event) => event.type === "capabilityResolved" && event.requestId === oldId),
      "the replaced request is not told as rejected",
    );
    // 4. Approving the new one: connected with exactly the smaller set.
    const approvedFrom = recorder.events.length;
    assert.equal(await bot.approveCapability(newId), "done");
    await recorder.waitFor(
      "nodeStatus",
      (event) => event.nodes.some((n) => n.nodeId === nodeId && n.approved && n.connected),
      60_000,
      approvedFrom,
    );
    assert.deepEqual(await bot.describeNode(nodeId), {
      nodeId,
      connected: true,
      commands: ["system.which"],
    });
  });
});
