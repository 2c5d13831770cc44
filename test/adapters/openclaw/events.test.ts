import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { OpenClawError } from "../../../src/adapters/openclaw/errors.ts";
import { EventGateway } from "../../../src/adapters/openclaw/events.ts";
import { Secret } from "../../../src/core/secret.ts";
import {
  createNetns,
  type Gateway as HarnessGateway,
  type Netns,
  type NodeProcess,
  OPENCLAW_VERSION,
  openclawEnv,
  runNode,
  sharedTokenNodeArgs,
  startGateway,
} from "../../openclaw/harness.ts";
import { EventRecorder, eventually, Relay } from "./real-gateway.ts";

describe("EventGateway without a gateway", () => {
  it("throws a typed OpenClawError from describeNode, not undefined, when it cannot ask", async () => {
    const dir = mkdtempSync(join(tmpdir(), "clawshake-events-none-"));
    const token = "tok-none-0123456789";
    // Port 9 (discard) has no gateway: the connection never comes up within the request's budget.
    const bot = new EventGateway({
      url: "wss://127.0.0.1:9",
      token: new Secret(token),
      dataDir: dir,
      requestTimeoutMs: 300,
    });
    try {
      await assert.rejects(bot.describeNode("n1"), (error: OpenClawError) => {
        assert.ok(error instanceof OpenClawError);
        // The connection's own failure (ECONNREFUSED), with the reason the flows decide on.
        assert.ok(error.problem, "a typed problem");
        assert.ok(!error.message.includes(token));
        return true;
      });
    } finally {
      await bot.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("EventGateway against a real OpenClaw gateway", () => {
  let netns: Netns;
  let gateway: HarnessGateway;
  let loopbackGateway: HarnessGateway;
  let relay: Relay;
  let dataDir: string;
  let bot: EventGateway;
  const recorder = new EventRecorder();
  const nodes: NodeProcess[] = [];
  let unwatch = () => {};

  before(async () => {
    netns = await createNetns();
    [gateway, loopbackGateway] = await Promise.all([
      startGateway({ bindHost: netns.hostIp }),
      startGateway({}),
    ]);
    // The bot reaches the gateway through a relay the tests can cut; the gateway still sees a non-loopback peer.
    relay = new Relay(gateway.host, gateway.port);
    await relay.listen();
    dataDir = mkdtempSync(join(tmpdir(), "clawshake-events-"));
    bot = new EventGateway({
      url: `wss://127.0.0.1:${relay.port}`,
      token: new Secret(gateway.token),
      fingerprint: gateway.fingerprint,
      dataDir,
      configPath: gateway.configPath,
      pausedRetryMs: 300,
      statusPollMs: 300,
    });
    unwatch = bot.watch(recorder.listener, () => true);
  });

  after(async () => {
    unwatch();
    await bot?.stop();
    await Promise.all(nodes.map((node) => node.stop()));
    await relay?.close();
    await Promise.all([gateway?.stop(), loopbackGateway?.stop()]);
    await netns?.destroy();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  function node(args: string[], env?: Record<string, string>, home?: string): NodeProcess {
    const started = runNode({ netns, args, ...(env ? { env } : {}), ...(home ? { home } : {}) });
    nodes.push(started);
    return started;
  }

  it("waits for the gateway's admin to approve its own device once, showing the requestId, then connects", async () => {
    await bot.ready(60_000);
    const state = await eventually(
      () => {
        const current = bot.state();
        return current.status === "pairingRequired" ? current : undefined;
      },
      60_000,
      "pairing required",
    );
    assert.ok(state.requestId);
    assert.equal(state.deviceId, bot.deviceId);
    await assert.rejects(bot.mintSetupCode(), (error: OpenClawError) => {
      return (
        error.kind === "pairingRequired" &&
        error.hint?.includes(`openclaw devices approve ${state.requestId}`) === true
      );
    });
    const approved = await gateway.cli(["devices", "approve", state.requestId], { json: true });
    assert.equal(approved.exitCode, 0);
    await eventually(
      () => (bot.state().status === "connected" ? true : undefined),
      30_000,
      "connected",
    );
  });

  it("says setup links work on a gateway bound beyond loopback, and links to the Devices page", async () => {
    const info = await bot.info();
    assert.equal(info.path, "events");
    assert.equal(info.canMint, true);
    assert.equal(info.webUiUrl, `https://127.0.0.1:${relay.port}/settings/devices`);
    // The hello's server.version: what the scripts ask the node's openclaw to be.
    assert.equal(info.version, OPENCLAW_VERSION);
  });

  it("mints a setup code, then sees the node redeem it and come up approved and connected", async () => {
    const minted = await bot.mintSetupCode();
    assert.equal(String(minted.code), "[redacted]");
    assert.ok(minted.expiresAt > Date.now());
    const from = recorder.events.length;
    node([
      "node",
      "run",
      "--pair",
      `oc-pair://${minted.code.reveal()}`,
      "--display-name",
      "Link Node",
    ]);
    const completed = await recorder.waitFor(
      "setupCompleted",
      (event) => event.setupId === minted.setupId,
      60_000,
      from,
    );
    assert.equal(completed.deviceName, "Link Node");
    assert.ok(completed.deviceId);
    await recorder.waitFor(
      "nodeStatus",
      (event) =>
        event.nodes.some((n) => n.nodeId === completed.deviceId && n.approved && n.connected),
      30_000,
      from,
    );
  });

  it("describes nodes: the link node enrolled without --commands may run system.run, one started with --commands system.which only that, a made-up id is unknown", async () => {
    const minted = await bot.mintSetupCode();
    const whichNode = node([
      "node",
      "run",
      "--pair",
      `oc-pair://${minted.code.reveal()}`,
      "--display-name",
      "Which Node",
      "--commands",
      "system.which",
    ]);
    // While the node starts (40–130 s on a busy machine), the node enrolled without --commands.
    const listed = (await bot.listNodes()).find((n) => n.displayName === "Link Node");
    assert.ok(listed, "the link node is listed");
    const link = await bot.describeNode(listed.nodeId);
    assert.ok(link, "the gateway knows the link node");
    assert.equal(link.connected, true);
    assert.ok(link.commands.includes("system.run"), link.commands.join(", "));
    assert.deepEqual(link.commands, [...new Set(link.commands)].sort());
    assert.equal(await bot.describeNode("0".repeat(64)), undefined);

    await whichNode.waitFor("node host gateway connected", 180_000);
    const whichId = (await bot.listNodes()).find((n) => n.displayName === "Which Node")?.nodeId;
    assert.ok(whichId, "the node is listed");
    assert.deepEqual(await bot.describeNode(whichId), {
      nodeId: whichId,
      connected: true,
      commands: ["system.which"],
    });
  });

  let tokenNode: NodeProcess;
  let tokenNodeId: string;

  it("announces a shared-token node's pairing request, approves it, and calls a second approval alreadyDecided", async () => {
    const from = recorder.events.length;
    tokenNode = node(sharedTokenNodeArgs(gateway, "Token Node"), {
      OPENCLAW_GATEWAY_TOKEN: gateway.token,
    });
    const requested = await recorder.waitFor(
      "devicePairingRequested",
      (event) => event.request.displayName === "Token Node",
      60_000,
      from,
    );
    assert.equal(requested.request.remoteIp, netns.nsIp);
    assert.equal(requested.request.platform, "linux");
    assert.ok(requested.request.deviceId);
    tokenNodeId = requested.request.deviceId;
    assert.equal(await bot.approveDevice(requested.request.requestId), "done");
    assert.equal(await bot.approveDevice(requested.request.requestId), "alreadyDecided");
    assert.equal(await bot.rejectDevice(requested.request.requestId), "alreadyDecided");
    await recorder.waitFor(
      "deviceResolved",
      (event) => event.requestId === requested.request.requestId && event.approved,
      10_000,
      from,
    );
  });

  it("announces the node's capability approval with its commands, and sees the node connected after approving it", async () => {
    // Approved within a second, the node goes on to the capability stage by itself; otherwise it needs a re-run.
    let capability = await recorder
      .waitFor("capabilityRequested", (event) => event.request.nodeId === tokenNodeId, 20_000)
      .catch(() => undefined);
    if (!capability) {
      await tokenNode.stop({ keepHome: true });
      node(
        sharedTokenNodeArgs(gateway, "Token Node"),
        { OPENCLAW_GATEWAY_TOKEN: gateway.token },
        tokenNode.home,
      );
      capability = await recorder.waitFor(
        "capabilityRequested",
        (event) => event.request.nodeId === tokenNodeId,
      );
    }
    assert.ok(capability.request.commands.includes("system.run"));
    assert.equal(capability.request.displayName, "Token Node");
    const from = recorder.events.length;
    assert.equal(await bot.approveCapability(capability.request.requestId), "done");
    assert.equal(await bot.rejectCapability(capability.request.requestId), "alreadyDecided");
    await recorder.waitFor(
      "capabilityResolved",
      (event) => event.requestId === capability.request.requestId,
      10_000,
      from,
    );
    await recorder.waitFor(
      "nodeStatus",
      (event) => event.nodes.some((n) => n.nodeId === tokenNodeId && n.approved && n.connected),
      30_000,
      from,
    );
  });

  it("in the shared-token flow, a node started with --commands asks for only those; described connected with none until approved, then exactly those", async () => {
    const args = [
      ...sharedTokenNodeArgs(gateway, "Token Which Node"),
      "--commands",
      "system.which",
    ];
    const env = { OPENCLAW_GATEWAY_TOKEN: gateway.token };
    const from = recorder.events.length;
    const first = node(args, env);
    const requested = await recorder.waitFor(
      "devicePairingRequested",
      (event) => event.request.displayName === "Token Which Node",
      180_000,
      from,
    );
    const nodeId = requested.request.deviceId as string;
    assert.equal(await bot.approveDevice(requested.request.requestId), "done");
    // As above: approved within a second the node goes on by itself, else it waits for a re-run.
    let capability = await recorder
      .waitFor("capabilityRequested", (event) => event.request.nodeId === nodeId, 20_000, from)
      .catch(() => undefined);
    if (!capability) {
      await first.stop({ keepHome: true });
      node(args, env, first.home);
      capability = await recorder.waitFor(
        "capabilityRequested",
        (event) => event.request.nodeId === nodeId,
        180_000,
        from,
      );
    }
    assert.deepEqual(capability.request.commands, ["system.which"]);
    // Measured on 2026.9.6: the node is connected while its commands wait, and may run none of them yet. Its request
    // can reach the bot a moment before its connection is registered, so the connection is waited for.
    let waiting = await bot.describeNode(nodeId);
    for (const deadline = Date.now() + 120_000; !waiting?.connected && Date.now() < deadline; ) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      waiting = await bot.describeNode(nodeId);
    }
    assert.deepEqual(waiting, { nodeId, connected: true, commands: [] });
    const approvedFrom = recorder.events.length;
    assert.equal(await bot.approveCapability(capability.request.requestId), "done");
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

  it("reconnects by itself after its connection was cut, and re-announces what became pending meanwhile", async () => {
    relay.drop(true);
    await eventually(
      () => (bot.state().status !== "connected" ? true : undefined),
      10_000,
      "disconnected",
    );
    const from = recorder.events.length;
    const late = node(sharedTokenNodeArgs(gateway, "Late Node"), {
      OPENCLAW_GATEWAY_TOKEN: gateway.token,
    });
    await late.waitFor("device pairing required", 60_000);
    assert.equal(recorder.events.length, from, "nothing can arrive while the connection is down");
    relay.unblock();
    const requested = await recorder.waitFor(
      "devicePairingRequested",
      (event) => event.request.displayName === "Late Node",
      60_000,
      from,
    );
    assert.equal(bot.state().status, "connected");
    assert.equal(await bot.rejectDevice(requested.request.requestId), "done");
    await recorder.waitFor(
      "deviceResolved",
      (event) => event.requestId === requested.request.requestId && !event.approved,
      10_000,
      from,
    );
  });

  it("fills host, port, fingerprint and token from the gateway host's own files", async () => {
    const filled = await new EventGateway({
      url: gateway.url,
      dataDir,
      autofill: {
        configPath: gateway.configPath,
        env: openclawEnv(gateway.home),
        publicHost: "gw.example.com",
      },
    }).autofill();
    assert.deepEqual(
      {
        host: filled.host,
        port: filled.port,
        fingerprint: filled.fingerprint,
        token: filled.token.reveal(),
      },
      {
        host: "gw.example.com",
        port: gateway.port,
        fingerprint: gateway.fingerprint,
        token: gateway.token,
      },
    );
  });

  it("is paired silently from loopback, and learns from a loopback-only gateway's refusal that it cannot mint", async () => {
    const loopbackDir = mkdtempSync(join(tmpdir(), "clawshake-events-lo-"));
    const local = new EventGateway({
      url: loopbackGateway.url,
      token: new Secret(loopbackGateway.token),
      fingerprint: loopbackGateway.fingerprint,
      dataDir: loopbackDir,
    });
    try {
      assert.equal((await local.ready(60_000)).status, "connected");
      assert.equal(
        (await local.info()).canMint,
        true,
        "without its config, only the gateway's answer tells",
      );
      await assert.rejects(local.mintSetupCode(), (error: OpenClawError) => {
        assert.ok(error instanceof OpenClawError);
        assert.equal(error.kind, "mintRefusedLoopback");
        assert.equal(error.code, "INVALID_REQUEST");
        return true;
      });
      const info = await local.info();
      assert.equal(info.canMint, false);
      assert.match(info.mintUnavailableReason ?? "", /only bound to loopback/);
    } finally {
      await local.stop();
      rmSync(loopbackDir, { recursive: true, force: true });
    }
  });

  it("mints with CLAWSHAKE_PUBLIC_URL as publicUrl: a loopback-only gateway then mints, and the code carries that address", async () => {
    const publicDir = mkdtempSync(join(tmpdir(), "clawshake-events-pub-"));
    const publicUrl = "wss://gateway.clawshake.test:8443";
    const local = new EventGateway({
      url: loopbackGateway.url,
      token: new Secret(loopbackGateway.token),
      fingerprint: loopbackGateway.fingerprint,
      dataDir: publicDir,
      publicUrl,
    });
    try {
      assert.equal((await local.ready(60_000)).status, "connected");
      const minted = await local.mintSetupCode();
      // base64url JSON { url, bootstrapToken, expiresAtMs, tlsFingerprint }; only the address is looked at.
      const payload = JSON.parse(Buffer.from(minted.code.reveal(), "base64url").toString("utf8"));
      assert.equal(payload.url, publicUrl);
    } finally {
      await local.stop();
      rmSync(publicDir, { recursive: true, force: true });
    }
  });
});
