import assert from "node:assert/strict";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { CliGateway, parseOpenClawVersion } from "../../../src/adapters/openclaw/cli.ts";
import { OpenClawError } from "../../../src/adapters/openclaw/errors.ts";
import type { GatewayEvent } from "../../../src/core/ports.ts";
import { Secret } from "../../../src/core/secret.ts";
import {
  createNetns,
  type Gateway as HarnessGateway,
  type Netns,
  type NodeProcess,
  OPENCLAW_BIN,
  OPENCLAW_VERSION,
  openclawEnv,
  runNode,
  sharedTokenNodeArgs,
  startGateway,
} from "../../openclaw/harness.ts";
import { waitFor } from "../../support/wait.ts";
import { EventRecorder } from "./real-gateway.ts";

/** A stand-in `openclaw` that records its arguments, notices overlapping runs, and answers what the test says. */
function fakeOpenclaw(dir: string, body: string): string {
  const bin = join(dir, "openclaw");
  writeFileSync(
    bin,
    `#!/bin/sh
echo "$@" >> "${dir}/args"
echo "token=$OPENCLAW_GATEWAY_TOKEN url=$OPENCLAW_GATEWAY_URL" >> "${dir}/env"
if [ -e "${dir}/lock" ]; then echo overlap >> "${dir}/overlaps"; fi
touch "${dir}/lock"
${body}
status=$?
rm -f "${dir}/lock"
exit $status
`,
  );
  chmodSync(bin, 0o755);
  return bin;
}

describe("CliGateway with a stand-in binary", () => {
  const dirs: string[] = [];
  const dir = () => {
    const made = mkdtempSync(join(tmpdir(), "clawshake-cli-"));
    dirs.push(made);
    return made;
  };
  after(() => {
    for (const made of dirs) rmSync(made, { recursive: true, force: true });
  });

  it("runs one openclaw process at a time, however many calls are made at once", async () => {
    const work = dir();
    const bin = fakeOpenclaw(work, `sleep 0.2; echo '{"pending":[],"paired":[]}'`);
    const cli = new CliGateway({ bin, env: { PATH: process.env.PATH ?? "" } });
    await Promise.all([cli.devicesList(), cli.devicesList(), cli.devicesList()]);
    assert.equal(readFileSync(join(work, "args"), "utf8").trim().split("\n").length, 3);
    assert.equal(existsSync(join(work, "overlaps")), false);
  });

  it("passes the token in the environment, never on the command line", async () => {
    const work = dir();
    const bin = fakeOpenclaw(work, `echo '[]'`);
    const cli = new CliGateway({
      bin,
      env: { PATH: process.env.PATH ?? "" },
      url: "wss://gw.example.com:18789",
      token: new Secret("tok-0123456789"),
    });
    await cli.nodesPending();
    assert.equal(readFileSync(join(work, "args"), "utf8").trim(), "nodes pending --json");
    assert.equal(
      readFileSync(join(work, "env"), "utf8").trim(),
      "token=tok-0123456789 url=wss://gw.example.com:18789",
    );
  });

  it("gives openclaw only what it needs from the bot's environment: never a chat token, the sealing key or the store URL", async () => {
    const work = dir();
    // A stand-in that records its whole environment (NUL-separated) and its arguments.
    const bin = join(work, "openclaw");
    writeFileSync(
      bin,
      `#!/bin/sh\necho "$@" > "${work}/argv"\nenv -0 > "${work}/environ"\necho '[]'\n`,
    );
    chmodSync(bin, 0o755);
    const token = "tok-env-0123456789";
    const bot: NodeJS.ProcessEnv = {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: work,
      LANG: "zh_CN.UTF-8",
      LC_ALL: "C.UTF-8",
      LC_MESSAGES: "zh_CN.UTF-8",
      TMPDIR: work,
      TZ: "Asia/Shanghai",
      NODE_EXTRA_CA_CERTS: join(work, "ca.pem"),
      OPENCLAW_STATE_DIR: join(work, "state"),
      OPENCLAW_GATEWAY_TOKEN: token,
      // The bot's own secrets and settings: none of them is openclaw's business.
      DISCORD_TOKEN: "discord-secret-token",
      TELEGRAM_BOT_TOKEN: "123456789:AAtelegram-secret-token-xxxxxxxx",
      CLAWSHAKE_SEALING_KEY: "ab".repeat(32),
      CLAWSHAKE_SEALING_KEYS_PREVIOUS: "cd".repeat(32),
      CLAWSHAKE_REDIS_URL: "redis://:redis-password@127.0.0.1:6379/0",
      HTTPS_PROXY: "http://user:proxy-password@proxy.example:3128",
      NODE_OPTIONS: "--require /tmp/anything.js",
      NODE_TLS_REJECT_UNAUTHORIZED: "0",
      AWS_SECRET_ACCESS_KEY: "aws-secret",
    };
    const cli = new CliGateway({
      bin,
      env: bot,
      url: "wss://gw.example.com:18789",
      token: new Secret(token),
    });
    await cli.nodesPending();
    const child = Object.fromEntries(
      readFileSync(join(work, "environ"), "utf8")
        .split("\0")
        .filter(Boolean)
        .map((entry) => [entry.slice(0, entry.indexOf("=")), entry.slice(entry.indexOf("=") + 1)]),
    );
    for (const name of [
      "PATH",
      "HOME",
      "LANG",
      "LC_ALL",
      "LC_MESSAGES",
      "TMPDIR",
      "TZ",
      "NODE_EXTRA_CA_CERTS",
      "OPENCLAW_STATE_DIR",
    ])
      assert.equal(child[name], bot[name], `${name} reaches openclaw`);
    assert.equal(child.OPENCLAW_GATEWAY_TOKEN, token, "the gateway token, in the environment");
    assert.equal(child.OPENCLAW_GATEWAY_URL, "wss://gw.example.com:18789");
    for (const name of [
      "DISCORD_TOKEN",
      "TELEGRAM_BOT_TOKEN",
      "CLAWSHAKE_SEALING_KEY",
      "CLAWSHAKE_SEALING_KEYS_PREVIOUS",
      "CLAWSHAKE_REDIS_URL",
      "HTTPS_PROXY",
      "NODE_OPTIONS",
      "NODE_TLS_REJECT_UNAUTHORIZED",
      "AWS_SECRET_ACCESS_KEY",
    ])
      assert.equal(child[name], undefined, `${name} does not reach openclaw`);
    const argv = readFileSync(join(work, "argv"), "utf8");
    assert.equal(argv.trim(), "nodes pending --json");
    assert.ok(!argv.includes(token), "the token is not on the command line");
  });

  it("turns OpenClaw's failure JSON into an OpenClawError with its type, code, message, command and exit code", async () => {
    const bin = fakeOpenclaw(
      dir(),
      `echo '{"ok":false,"error":{"type":"gateway_request_error","code":"INVALID_REQUEST","message":"Gateway is only bound to loopback. Set gateway.bind=lan, enable tailscale serve, or configure plugins.entries.device-pair.config.publicUrl."}}'; exit 1`,
    );
    const cli = new CliGateway({ bin, env: { PATH: process.env.PATH ?? "" } });
    await assert.rejects(cli.mintSetupCode(), (error: OpenClawError) => {
      assert.ok(error instanceof OpenClawError);
      assert.equal(error.type, "gateway_request_error");
      assert.equal(error.code, "INVALID_REQUEST");
      assert.equal(error.kind, "mintRefusedLoopback");
      assert.equal(error.problem, "loopbackOnly");
      assert.equal(error.exitCode, 1);
      assert.match(error.command ?? "", /^openclaw gateway call device\.pair\.setupCode --params/);
      return true;
    });
    const info = await cli.info();
    assert.equal(info.canMint, false);
    assert.match(info.mintUnavailableReason ?? "", /only bound to loopback.*publicUrl/);
    assert.equal(info.mintUnavailable, "loopbackOnly");
  });

  it("reads `No pending device request matches` (plain text, exit 1) as already decided", async () => {
    const bin = fakeOpenclaw(
      dir(),
      `echo 'No pending device request matches r1. Run openclaw devices list and retry with the current request ID.' >&2; exit 1`,
    );
    const cli = new CliGateway({ bin, env: { PATH: process.env.PATH ?? "" } });
    assert.equal(await cli.approveDevice("r1"), "alreadyDecided");
  });

  it("describes a node with `nodes describe --node`: an unknown node, or an answer about another one, is undefined; other failures throw", async () => {
    const work = dir();
    // What openclaw 2026.9.6 prints (shortened); the node id decides which answer.
    const bin = fakeOpenclaw(
      work,
      `case "$*" in
  "nodes describe --node n1 --json") echo '{"ts":1,"nodeId":"n1","displayName":"A","caps":["system"],"commands":["system.which","system.run","system.which"],"approvalState":"approved","paired":true,"connected":true}' ;;
  "nodes describe --node byname --json") echo '{"nodeId":"other","commands":[],"connected":true}' ;;
  "nodes describe --node gone --json") echo '{"ok":false,"error":{"type":"cli_error","message":"unknown node: gone (known: A)"}}'; exit 1 ;;
  "gateway call node.pair.list --params {} --json") echo '{"pending":[],"paired":[{"nodeId":"n1","commands":["fs.listDir"]}]}' ;;
  *) echo '{"ok":false,"error":{"type":"cli_error","message":"gateway closed (1006 abnormal closure)"}}'; exit 1 ;;
esac`,
    );
    const cli = new CliGateway({ bin, env: { PATH: process.env.PATH ?? "" } });
    assert.deepEqual(await cli.describeNode("n1"), {
      nodeId: "n1",
      connected: true,
      // What it runs with now, and what its pairing holds besides.
      commands: ["fs.listDir", "system.run", "system.which"],
    });
    assert.equal(await cli.describeNode("byname"), undefined);
    assert.equal(await cli.describeNode("gone"), undefined);
    await assert.rejects(cli.describeNode("n2"), (error: OpenClawError) => {
      assert.ok(error instanceof OpenClawError);
      assert.equal(error.problem, "other");
      assert.match(error.message, /^openclaw nodes describe --node n2 --json: gateway closed/);
      return true;
    });
    await assert.rejects(cli.describeNode("--url=wss://evil"), /not a node id/);
    assert.ok(!readFileSync(join(work, "args"), "utf8").includes("evil"));
  });

  it("refuses a request id that would reach the command line as an option", async () => {
    const work = dir();
    const cli = new CliGateway({
      bin: fakeOpenclaw(work, "echo '{}'"),
      env: { PATH: process.env.PATH ?? "" },
    });
    await assert.rejects(cli.approveDevice("--url=wss://evil"), /not a request id/);
    assert.equal(existsSync(join(work, "args")), false);
  });

  it("gives up on a call that does not answer in time", async () => {
    const cli = new CliGateway({
      bin: fakeOpenclaw(dir(), "exec sleep 5"),
      env: { PATH: process.env.PATH ?? "" },
      timeoutMs: 300,
    });
    await assert.rejects(cli.nodesStatus(), (error: OpenClawError) => error.kind === "timeout");
  });

  it("says how to fix a missing binary", async () => {
    const cli = new CliGateway({ bin: join(dir(), "missing", "openclaw"), env: {} });
    await assert.rejects(cli.devicesList(), (error: OpenClawError) => {
      return error.kind === "binaryNotFound" && /Install OpenClaw/.test(error.hint ?? "");
    });
  });

  it("asks about waiting setup links only when a device paired through a setup code appears", async () => {
    const work = dir();
    // Three minted links; `devices` and `completed` (a setup id) are files the test writes between rounds.
    writeFileSync(join(work, "devices"), '{"pending":[],"paired":[]}');
    const bin = fakeOpenclaw(
      work,
      `case "$*" in
  "devices list --json") cat "${work}/devices" ;;
  "nodes pending --json") echo '[]' ;;
  "nodes status --json") echo '{"nodes":[]}' ;;
  "gateway call device.pair.setupCode "*)
    n=$(grep -c setupCode "${work}/args")
    echo '{"setupId":"s'$n'","setupCode":"c'$n'","expiresAtMs":9999999999999}' ;;
  *"setupStatus"*)
    id=$(cat "${work}/completed" 2>/dev/null)
    if [ -n "$id" ] && echo "$*" | grep -q "$id"; then
      echo '{"completion":{"setupId":"'$id'","deviceId":"dev-new","deviceName":"New Node"}}'
    else echo '{}'; fi ;;
esac`,
    );
    const cli = new CliGateway({ bin, env: { PATH: process.env.PATH ?? "" }, pollIntervalMs: 50 });
    const minted = [
      await cli.mintSetupCode(),
      await cli.mintSetupCode(),
      await cli.mintSetupCode(),
    ];
    const events: GatewayEvent[] = [];
    const unwatch = cli.watch(
      (event) => events.push(event),
      () => true,
    );
    const runs = () => readFileSync(join(work, "args"), "utf8").trim().split("\n");
    const rounds = () => runs().filter((run) => run.startsWith("devices list")).length;
    const statusAsks = () => runs().filter((run) => run.includes("setupStatus")).length;
    try {
      await waitFor(() => rounds() >= 4, "four polling rounds");
      assert.equal(statusAsks(), 0, "no redeemed device, no question");

      const redeemed = minted[1]?.setupId as string;
      writeFileSync(join(work, "completed"), redeemed);
      writeFileSync(
        join(work, "devices"),
        JSON.stringify({
          pending: [],
          paired: [{ deviceId: "dev-new", approvedVia: "bootstrap", approvedAtMs: 1 }],
        }),
      );
      await waitFor(
        () => events.some((event) => event.type === "setupCompleted"),
        "the setup link's completion",
      );
      const completed = events.find((event) => event.type === "setupCompleted");
      assert.deepEqual(completed, {
        type: "setupCompleted",
        setupId: redeemed,
        deviceId: "dev-new",
        deviceName: "New Node",
      });
      const asked = statusAsks();
      assert.equal(asked, 3, "each waiting link asked about once");
      const roundsThen = rounds();
      await waitFor(() => rounds() >= roundsThen + 3, "three more rounds");
      assert.equal(statusAsks(), asked, "an explained device is not news again");
    } finally {
      unwatch();
      await cli.stop();
    }
  });

  it("reads the gateway's version from the real openclaw's --version beside it, and none for a remote gateway", async () => {
    const home = dir();
    const beside = new CliGateway({ bin: OPENCLAW_BIN, env: openclawEnv(home) });
    assert.equal((await beside.info()).version, OPENCLAW_VERSION);
    const remote = new CliGateway({
      bin: OPENCLAW_BIN,
      env: openclawEnv(home),
      url: "wss://gw.example.com:18789",
    });
    assert.equal((await remote.info()).version, undefined);
    assert.equal(parseOpenClawVersion("OpenClaw 2026.9.6 (eb377ac)\n"), "2026.9.6");
    assert.equal(
      parseOpenClawVersion("warning: x\nOpenClaw 2026.10.1-beta.2 (abc)"),
      "2026.10.1-beta.2",
    );
    assert.equal(parseOpenClawVersion("command not found"), undefined);
  });

  it("passes publicUrl when minting, and tells a link the gateway spent without confirming delivery", async () => {
    const work = dir();
    writeFileSync(join(work, "devices"), '{"pending":[],"paired":[]}');
    const bin = fakeOpenclaw(
      work,
      `case "$*" in
  "devices list --json") cat "${work}/devices" ;;
  "nodes pending --json") echo '[]' ;;
  "nodes status --json") echo '{"nodes":[]}' ;;
  "gateway call device.pair.setupCode "*) echo '{"setupId":"s1","setupCode":"c1","expiresAtMs":9999999999999}' ;;
  *"setupStatus"*) echo '{"deliveryUncertain":{"setupId":"s1","deviceId":"dev-u","access":"node","ts":1}}' ;;
esac`,
    );
    const cli = new CliGateway({
      bin,
      env: { PATH: process.env.PATH ?? "" },
      pollIntervalMs: 50,
      publicUrl: "wss://gw.example.com",
    });
    const minted = await cli.mintSetupCode();
    const mintArgs = readFileSync(join(work, "args"), "utf8").trim().split("\n")[0] ?? "";
    assert.match(mintArgs, /"publicUrl":"wss:\/\/gw\.example\.com"/);
    const events: GatewayEvent[] = [];
    const unwatch = cli.watch(
      (event) => events.push(event),
      () => true,
    );
    try {
      writeFileSync(
        join(work, "devices"),
        JSON.stringify({
          pending: [],
          paired: [{ deviceId: "dev-u", approvedVia: "bootstrap", approvedAtMs: 1 }],
        }),
      );
      await waitFor(
        () => events.some((event) => event.type === "setupDeliveryUncertain"),
        "the uncertain delivery",
      );
      assert.deepEqual(
        events.find((event) => event.type === "setupDeliveryUncertain"),
        { type: "setupDeliveryUncertain", setupId: minted.setupId },
      );
    } finally {
      unwatch();
      await cli.stop();
    }
  });

  it("does not poll while no session waits", async () => {
    const work = dir();
    const cli = new CliGateway({
      bin: fakeOpenclaw(work, `echo '[]'`),
      env: { PATH: process.env.PATH ?? "" },
      pollIntervalMs: 50,
    });
    const unwatch = cli.watch(
      () => {},
      () => false,
    );
    await new Promise((resolve) => setTimeout(resolve, 400));
    unwatch();
    await cli.stop();
    assert.equal(existsSync(join(work, "args")), false);
  });
});

/** A node may go this long without printing anything new while it starts on a busy machine. */
const NODE_IDLE_MS = 180_000;

describe("CliGateway against a real OpenClaw gateway", () => {
  let netns: Netns;
  let gateway: HarnessGateway;
  let cli: CliGateway;
  const recorder = new EventRecorder();
  const nodes: NodeProcess[] = [];
  let unwatch = () => {};

  before(async () => {
    netns = await createNetns();
    gateway = await startGateway({ bindHost: netns.hostIp });
    cli = new CliGateway({
      bin: OPENCLAW_BIN,
      env: openclawEnv(gateway.home),
      configPath: gateway.configPath,
      pollIntervalMs: 200,
    });
    unwatch = cli.watch(recorder.listener, () => true);
  });

  after(async () => {
    unwatch();
    await cli?.stop();
    await Promise.all(nodes.map((node) => node.stop()));
    await gateway?.stop();
    await netns?.destroy();
  });

  it("reads from the gateway's config that it can mint, and where its Devices page is", async () => {
    assert.deepEqual(await cli.info(), {
      path: "cli",
      canMint: true,
      webUiUrl: `https://${gateway.host}:${gateway.port}/settings/devices`,
      version: OPENCLAW_VERSION,
    });
  });

  it("mints a setup code and its poller sees the node redeem it and come up approved and connected", async () => {
    const minted = await cli.mintSetupCode();
    assert.equal(String(minted.code), "[redacted]");
    const from = recorder.events.length;
    const node = runNode({
      netns,
      args: [
        "node",
        "run",
        "--pair",
        `oc-pair://${minted.code.reveal()}`,
        "--display-name",
        "CLI Link Node",
      ],
    });
    nodes.push(node);
    const completed = await recorder.waitFor(
      "setupCompleted",
      (event) => event.setupId === minted.setupId,
      90_000,
      from,
    );
    assert.equal(completed.deviceName, "CLI Link Node");
    await recorder.waitFor(
      "nodeStatus",
      (event) =>
        event.nodes.some((n) => n.nodeId === completed.deviceId && n.approved && n.connected),
      90_000,
      from,
    );
  });

  it("describes the link node, enrolled without --commands: connected, and allowed system.run among the rest", async () => {
    const listed = (await cli.listNodes()).find((n) => n.displayName === "CLI Link Node");
    assert.ok(listed, "the link node is listed");
    const described = await cli.describeNode(listed.nodeId);
    assert.ok(described, "the gateway knows the node");
    assert.equal(described.nodeId, listed.nodeId);
    assert.equal(described.connected, true);
    assert.ok(described.commands.includes("system.run"), described.commands.join(", "));
    assert.deepEqual(described.commands, [...new Set(described.commands)].sort());
  });

  it("lists the link node with its address and removes it with `devices remove`: the node is told, a second removal finds nothing", async () => {
    const listed = (await cli.listNodes()).find((n) => n.displayName === "CLI Link Node");
    assert.ok(listed?.connected && listed.approved, "the link node is listed, connected");
    assert.equal(listed.remoteIp, netns.nsIp);
    const node = nodes[0] as NodeProcess;
    const before = node.output().length;
    assert.equal(await cli.removeNode(listed.nodeId), "done");
    await node.waitFor("device removed", 90_000, before);
    await node.waitFor("AUTH_DEVICE_TOKEN_MISMATCH", 90_000, before);
    assert.equal(await cli.removeNode(listed.nodeId), "alreadyGone");
    assert.ok(!(await cli.listNodes()).some((n) => n.nodeId === listed.nodeId && n.connected));
    assert.equal(await cli.describeNode(listed.nodeId), undefined, "a removed node is unknown");
  });

  it("describes nodes started with --commands as allowed exactly the ids they have, and no made-up node", async () => {
    // Minted and started together: a node takes 40–130 s to start on a busy machine.
    const which = await cli.mintSetupCode();
    const several = await cli.mintSetupCode();
    const linkNode = (code: string, name: string, commands: string) =>
      runNode({
        netns,
        args: [
          "node",
          "run",
          "--pair",
          `oc-pair://${code}`,
          "--display-name",
          name,
          "--commands",
          commands,
        ],
      });
    const whichNode = linkNode(which.code.reveal(), "CLI Which Node", "system.which");
    // canvas.present and camera.list do not exist on a headless Linux node.
    const severalNode = linkNode(
      several.code.reveal(),
      "CLI Several Node",
      "system.which,browser.proxy,canvas.present,camera.list",
    );
    nodes.push(whichNode, severalNode);
    await Promise.all([
      whichNode.waitFor("node host gateway connected", NODE_IDLE_MS),
      severalNode.waitFor("node host gateway connected", NODE_IDLE_MS),
    ]);
    const listed = await cli.listNodes();
    const idOf = (name: string) => listed.find((n) => n.displayName === name)?.nodeId ?? "";
    const whichId = idOf("CLI Which Node");
    const severalId = idOf("CLI Several Node");
    assert.deepEqual(await cli.describeNode(whichId), {
      nodeId: whichId,
      connected: true,
      commands: ["system.which"],
    });
    assert.deepEqual(await cli.describeNode(severalId), {
      nodeId: severalId,
      connected: true,
      commands: ["browser.proxy", "system.which"],
    });
    assert.doesNotMatch(severalNode.output(), /retained no available commands/);
    assert.equal(await cli.describeNode("0".repeat(64)), undefined);
  });

  it("sees a shared-token node's pairing request, approves it, and calls a second approval alreadyDecided", async () => {
    const from = recorder.events.length;
    nodes.push(
      runNode({
        netns,
        args: sharedTokenNodeArgs(gateway, "CLI Token Node"),
        env: { OPENCLAW_GATEWAY_TOKEN: gateway.token },
      }),
    );
    const requested = await recorder.waitFor(
      "devicePairingRequested",
      (event) => event.request.displayName === "CLI Token Node",
      90_000,
      from,
    );
    assert.equal(requested.request.remoteIp, netns.nsIp);
    assert.equal(await cli.approveDevice(requested.request.requestId), "done");
    assert.equal(await cli.approveDevice(requested.request.requestId), "alreadyDecided");
    await recorder.waitFor(
      "deviceResolved",
      (event) => event.requestId === requested.request.requestId && event.approved,
      90_000,
      from,
    );
  });
});
