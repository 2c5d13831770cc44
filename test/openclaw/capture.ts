// `npm run fixtures:capture`: records what the real openclaw prints for each outcome into test/fixtures/openclaw-<version>/.
// It never writes a token, setup code or bootstrap token into a fixture: each is replaced by "<redacted>" before saving.

import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  createNetns,
  freePort,
  type Gateway,
  mintSetupCode,
  type NodeProcess,
  OPENCLAW_VERSION,
  runNode,
  seedNodeHome,
  sharedTokenNodeArgs,
  startGateway,
} from "./harness.ts";

const OUT = join(import.meta.dirname, "..", "fixtures", `openclaw-${OPENCLAW_VERSION}`);
const REDACTED = "<redacted>";
const SECRET_KEYS = new Set(["setupCode", "bootstrapToken", "token", "deviceToken"]);

const secrets = new Set<string>();
const readme: { file: string; what: string; command: string }[] = [];
const timings: string[] = [];

function redactText(text: string): string {
  let result = text;
  for (const secret of secrets) result = result.replaceAll(secret, REDACTED);
  return result;
}

function redactJson(value: unknown): unknown {
  if (typeof value === "string") return redactText(value);
  if (Array.isArray(value)) return value.map(redactJson);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([key, field]) => [
        key,
        SECRET_KEYS.has(key) && typeof field === "string" ? REDACTED : redactJson(field),
      ]),
    );
  }
  return value;
}

function save(file: string, content: string, what: string, command: string): void {
  writeFileSync(join(OUT, file), redactText(content));
  readme.push({ file, what, command: redactText(command) });
  console.log(`saved ${file}`);
}

function saveJson(file: string, value: unknown, what: string, command: string): void {
  save(file, `${JSON.stringify(redactJson(value), null, 2)}\n`, what, command);
}

/** `openclaw …` as a shell line, for the README. */
function shellLine(args: string[], env: Record<string, string> = {}): string {
  const quote = (arg: string) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg}'`);
  const prefix = Object.keys(env).map((key) => `${key}=${REDACTED} `);
  return `${prefix.join("")}openclaw ${args.map(quote).join(" ")}`;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function timed<T>(what: string, work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  const result = await work();
  timings.push(`${what}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return result;
}

/** Lets a node print a little more after the line we waited for (or exit), then stops it. */
async function settleAndStop(node: NodeProcess, ms = 3000, keepHome = false): Promise<string> {
  await Promise.race([node.exited, sleep(ms)]);
  await node.stop({ keepHome });
  return node.output();
}

async function cliJson(gateway: Gateway, args: string[]): Promise<unknown> {
  const result = await gateway.cli(args, { json: true });
  return result.json;
}

function setupCodeArgs(): string[] {
  return [
    "gateway",
    "call",
    "device.pair.setupCode",
    "--params",
    JSON.stringify({ bootstrapProfile: "node", includeQr: false }),
  ];
}

/** A setup code is base64url JSON; its bootstrap token is a secret of its own. */
function rememberSetupCode(setupCode: string): void {
  secrets.add(setupCode);
  try {
    const decoded = JSON.parse(Buffer.from(setupCode, "base64url").toString("utf8")) as {
      bootstrapToken?: string;
    };
    if (decoded.bootstrapToken) secrets.add(decoded.bootstrapToken);
  } catch {
    // not JSON: the code itself is already redacted
  }
}

async function waitForNodeStatus(
  gateway: Gateway,
  displayName: string,
  wanted: (node: Record<string, unknown>) => boolean,
): Promise<unknown> {
  const deadline = Date.now() + 60_000;
  let json: unknown;
  while (Date.now() < deadline) {
    json = await cliJson(gateway, ["nodes", "status"]);
    const node = (json as { nodes: Record<string, unknown>[] }).nodes.find(
      (entry) => entry.displayName === displayName,
    );
    if (node && wanted(node)) return json;
    await sleep(500);
  }
  throw new Error(`nodes status never showed the wanted state; last: ${JSON.stringify(json)}`);
}

async function main(): Promise<void> {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const netns = await createNetns();
  const started = Date.now();
  const [gateway, loopbackGateway] = await Promise.all([
    startGateway({ bindHost: netns.hostIp }),
    startGateway(),
  ]);
  timings.push(
    `two gateways started side by side (temp HOME, config file written, TLS handshake accepted): ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  secrets.add(gateway.token);
  secrets.add(loopbackGateway.token);
  const nodes: NodeProcess[] = [];
  const node = (opts: Parameters<typeof runNode>[0]) => {
    const started = runNode(opts);
    nodes.push(started);
    return started;
  };
  const tokenEnv = { OPENCLAW_GATEWAY_TOKEN: gateway.token };

  try {
    // A loopback-only gateway refuses to mint.
    const refused = await timed("CLI call (gateway call device.pair.setupCode, refused)", () =>
      loopbackGateway.cli(setupCodeArgs(), { json: true }),
    );
    saveJson(
      "mint-loopback-refused.json",
      refused.json,
      `Minting on a gateway bound to loopback only (exit code ${refused.exitCode}, JSON on stdout).`,
      shellLine([...setupCodeArgs(), "--json"]),
    );

    // Setup link: mint, redeem from the namespace, reuse.
    await cliJson(gateway, ["devices", "list"]); // creates the CLI's own operator device first
    const minted = await timed("CLI call (gateway call device.pair.setupCode)", () =>
      mintSetupCode(gateway),
    );
    rememberSetupCode(minted.setupCode);
    saveJson(
      "setup-code.json",
      minted,
      "A minted node setup code (setupCode and any token redacted). gatewayUrl comes from gateway.port and the bind host.",
      shellLine([...setupCodeArgs(), "--json"]),
    );
    const statusArgs = [
      "gateway",
      "call",
      "device.pair.setupStatus",
      "--params",
      JSON.stringify({ setupId: minted.setupId }),
    ];
    saveJson(
      "setup-status-pending.json",
      await cliJson(gateway, statusArgs),
      "device.pair.setupStatus before any node redeemed the code.",
      shellLine([...statusArgs, "--json"]),
    );

    const pairArgs = [
      "node",
      "run",
      "--pair",
      `oc-pair://${minted.setupCode}`,
      "--display-name",
      "Link Node",
    ];
    const linked = node({ netns, args: pairArgs });
    const linkStarted = Date.now();
    await linked.waitFor("node host gateway connected:", 90_000);
    timings.push(
      `setup link: node run --pair → "node host gateway connected:": ${((Date.now() - linkStarted) / 1000).toFixed(1)} s`,
    );
    const linkedStatus = await waitForNodeStatus(
      gateway,
      "Link Node",
      (entry) => entry.approvalState === "approved" && entry.connected === true,
    );
    timings.push(
      `setup link: node run --pair → nodes status approved+connected: ${((Date.now() - linkStarted) / 1000).toFixed(1)} s`,
    );
    saveJson(
      "nodes-status-setup-link.json",
      linkedStatus,
      "nodes status right after a node redeemed a setup link: approved and connected, no approval step.",
      shellLine(["nodes", "status", "--json"]),
    );
    saveJson(
      "setup-status-completed.json",
      await cliJson(gateway, statusArgs),
      "device.pair.setupStatus after the node redeemed the code.",
      shellLine([...statusArgs, "--json"]),
    );
    saveJson(
      "devices-list-setup-link.json",
      await cliJson(gateway, ["devices", "list"]),
      "devices list after a setup-link node: paired (approvedVia bootstrap), nothing pending.",
      shellLine(["devices", "list", "--json"]),
    );
    save(
      "node-connected.log",
      await settleAndStop(linked),
      "Outcome connected: a node in another network namespace redeems a setup link (no token in its environment).",
      shellLine(pairArgs),
    );

    const reuseArgs = [...pairArgs.slice(0, 4), "--display-name", "Second Node"];
    const reused = node({ netns, args: reuseArgs });
    await reused.waitFor("setup code invalid, expired, revoked, or already used", 60_000);
    save(
      "node-setup-code-reused.log",
      await settleAndStop(reused),
      "Outcome setup code reused: a second node (new device) runs the same, already redeemed, setup link.",
      shellLine(reuseArgs),
    );

    // Shared token (method A): device pairing, re-run, capability approval.
    const tokenArgs = sharedTokenNodeArgs(gateway, "Token Node");
    const first = node({ netns, env: tokenEnv, args: tokenArgs });
    const requestLine = await first.waitFor("device pairing required (requestId: ", 60_000);
    const pairingRequest = /requestId: ([0-9a-f-]{36})/.exec(requestLine)?.[1] ?? "";
    await first.waitFor("waiting for operator action", 60_000);
    saveJson(
      "devices-list-pending.json",
      await timed("CLI call (devices list)", () => cliJson(gateway, ["devices", "list"])),
      "devices list with the first-stage pairing request of a shared-token node (pending).",
      shellLine(["devices", "list", "--json"]),
    );
    saveJson(
      "devices-approve.json",
      await cliJson(gateway, ["devices", "approve", pairingRequest]),
      "Approving that device pairing request.",
      shellLine(["devices", "approve", "<requestId>", "--json"]),
    );
    await sleep(5000); // long enough to show that the paused node does not resume by itself
    save(
      "node-pairing-required.log",
      await settleAndStop(first, 0, true),
      "Outcome pairing required: a shared-token node's first connection from a non-loopback address; the log runs on for 5 s after `devices approve` and shows the node does not resume.",
      shellLine(tokenArgs, tokenEnv),
    );

    const rerun = node({ netns, env: tokenEnv, home: first.home, args: tokenArgs });
    const surfaceLine = await rerun.waitFor(
      "node capability surface is awaiting operator approval",
      60_000,
    );
    const capabilityApproval = /nodes approve ([0-9a-f-]{36})/.exec(surfaceLine)?.[1] ?? "";
    saveJson(
      "nodes-pending.json",
      await timed("CLI call (nodes pending)", () => cliJson(gateway, ["nodes", "pending"])),
      "nodes pending with the second-stage capability approval of the re-run node.",
      shellLine(["nodes", "pending", "--json"]),
    );
    saveJson(
      "nodes-status-pending-approval.json",
      await timed("CLI call (nodes status)", () => cliJson(gateway, ["nodes", "status"])),
      "nodes status while the capability approval is pending.",
      shellLine(["nodes", "status", "--json"]),
    );
    saveJson(
      "devices-list-paired-pending-surface.json",
      await cliJson(gateway, ["devices", "list"]),
      "devices list at the same moment: the device is paired and carries pendingNodeSurface.",
      shellLine(["devices", "list", "--json"]),
    );
    const approveStarted = Date.now();
    saveJson(
      "nodes-approve.json",
      await cliJson(gateway, ["nodes", "approve", capabilityApproval]),
      "Approving the capability approval.",
      shellLine(["nodes", "approve", "<requestId>", "--json"]),
    );
    saveJson(
      "nodes-status-approved.json",
      await waitForNodeStatus(
        gateway,
        "Token Node",
        (entry) => entry.approvalState === "approved" && entry.connected === true,
      ),
      "nodes status after the capability approval: approved and connected.",
      shellLine(["nodes", "status", "--json"]),
    );
    timings.push(
      `nodes approve → nodes status approved+connected: ${((Date.now() - approveStarted) / 1000).toFixed(1)} s`,
    );
    save(
      "node-capability-approval-pending.log",
      await settleAndStop(rerun),
      "Outcome capability approval pending: the re-run after `devices approve`; it connects, waits for `nodes approve`, and the log continues a few seconds past that approval.",
      shellLine(tokenArgs, tokenEnv),
    );

    // Connection failures, all from the namespace against the gateway's host-side address.
    const closedPort = await freePort(netns.hostIp);
    const seedHome = seedNodeHome(gateway);
    const failures: {
      file: string;
      what: string;
      args: string[];
      env?: Record<string, string>;
      home?: string;
      until: string;
    }[] = [
      {
        file: "node-wrong-fingerprint.log",
        what: "Outcome wrong fingerprint: a well-formed SHA-256 fingerprint that is not the gateway's.",
        args: sharedTokenNodeArgs(gateway, "Wrong Fingerprint", { fingerprint: "0".repeat(64) }),
        env: tokenEnv,
        until: "gateway tls fingerprint mismatch",
      },
      {
        file: "node-wrong-token.log",
        what: "Outcome wrong token: OPENCLAW_GATEWAY_TOKEN set to another value.",
        args: sharedTokenNodeArgs(gateway, "Wrong Token"),
        env: { OPENCLAW_GATEWAY_TOKEN: "f".repeat(32) },
        until: "AUTH_TOKEN_MISMATCH",
      },
      {
        file: "node-no-token.log",
        what: "Outcome no token: no OPENCLAW_GATEWAY_TOKEN in the environment.",
        args: sharedTokenNodeArgs(gateway, "No Token"),
        until: "AUTH_TOKEN_MISSING",
      },
      {
        file: "node-nothing-listening.log",
        what: "Outcome nothing listening: the right host, a port where nothing listens.",
        args: sharedTokenNodeArgs(gateway, "Closed Port", { port: closedPort }),
        env: tokenEnv,
        until: "ECONNREFUSED",
      },
      {
        file: "node-no-tls.log",
        what: "Outcome no --tls: the node connects in plain WebSocket to the TLS gateway.",
        args: sharedTokenNodeArgs(gateway, "No TLS", { tls: false }),
        env: tokenEnv,
        until: "connect failed",
      },
      {
        file: "node-unknown-host.log",
        what: "Outcome unknown host: a `.invalid` name (the namespace's DNS answers NXDOMAIN).",
        args: sharedTokenNodeArgs(gateway, "Unknown Host", { host: "gateway.invalid" }),
        env: tokenEnv,
        until: "ENOTFOUND",
      },
      {
        file: "node-invalid-fingerprint.log",
        what: "Outcome invalid fingerprint value: not a SHA-256 fingerprint at all.",
        args: sharedTokenNodeArgs(gateway, "Bad Fingerprint", { fingerprint: "not-a-fingerprint" }),
        env: tokenEnv,
        until: "Invalid TLS fingerprint",
      },
      {
        file: "node-seed-node-json.log",
        what: "Outcome seed-style node.json (method C): the seed's ~/.openclaw/node.json, then a plain `node run`.",
        args: ["node", "run"],
        env: tokenEnv,
        home: seedHome,
        until: "retired node-host state",
      },
    ];
    // Three at a time: each node is a ~200 MB Node process that takes seconds to start.
    for (let i = 0; i < failures.length; i += 3) {
      await Promise.all(
        failures.slice(i, i + 3).map(async (failure) => {
          const started = node({
            netns,
            args: failure.args,
            ...(failure.env ? { env: failure.env } : {}),
            ...(failure.home ? { home: failure.home } : {}),
          });
          await started.waitFor(failure.until, 60_000);
          save(
            failure.file,
            await settleAndStop(started),
            failure.what,
            shellLine(failure.args, failure.env),
          );
        }),
      );
    }
    const doctor = await runToEnd(
      node({ netns, env: tokenEnv, home: seedHome, args: ["doctor", "--fix"] }),
    );
    save(
      "doctor-fix-seed-node-json.log",
      doctor,
      "What `openclaw doctor --fix` says about the seed-style node.json (the fix the retired-state message suggests).",
      shellLine(["doctor", "--fix"]),
    );
    rmSync(seedHome, { recursive: true, force: true });
  } finally {
    await Promise.all(nodes.map((started) => started.stop()));
    await Promise.all([gateway.stop(), loopbackGateway.stop()]);
    await netns.destroy();
  }

  writeReadme();
  assertNoSecretSaved();
  console.log(timings.join("\n"));
}

async function runToEnd(started: NodeProcess, timeoutMs = 120_000): Promise<string> {
  await Promise.race([started.exited, sleep(timeoutMs)]);
  await started.stop();
  return started.output();
}

function writeReadme(): void {
  const rows = readme
    .sort((a, b) => a.file.localeCompare(b.file))
    .map(
      (entry) =>
        `| \`${entry.file}\` | ${entry.what} | \`${entry.command.replaceAll("|", "\\|")}\` |`,
    );
  const text = `# Recorded output of openclaw@${OPENCLAW_VERSION}

Recorded by \`npm run fixtures:capture\` (test/openclaw/capture.ts) on ${new Date().toISOString().slice(0, 10)}
against the real package: a gateway in a temp HOME (TLS on, token auth, \`gateway.bind custom\` on the
host side of a veth pair), nodes in a network namespace (so they connect from a non-loopback address),
and a second gateway bound to loopback only.

- Logs (\`node-*.log\`) are the node's raw stdout+stderr, ANSI colours included, as a bot would read them.
- JSON files are the CLI's stdout with \`--json\`.
- Secrets are replaced by \`${REDACTED}\`: the gateway token, setup codes and their bootstrap tokens
  (and any \`token\`/\`setupCode\`/\`bootstrapToken\` field). Addresses (10.77.x.y), ports, ids and temp
  paths are real values of that run.
- In the commands, \`OPENCLAW_GATEWAY_TOKEN=${REDACTED}\` means the token was in the node's environment;
  without it the environment had no OPENCLAW_* variable at all.

| file | what | command |
|---|---|---|
${rows.join("\n")}

## Timings measured by this capture

${timings.map((line) => `- ${line}`).join("\n")}
`;
  writeFileSync(join(OUT, "README.md"), text);
  // The root .gitignore ignores *.log; these logs are data.
  writeFileSync(join(OUT, ".gitignore"), "!*.log\n");
}

function assertNoSecretSaved(): void {
  for (const file of readdirSync(OUT)) {
    const content = readFileSync(join(OUT, file), "utf8");
    for (const secret of secrets) {
      if (content.includes(secret)) throw new Error(`${file} contains a secret: fix the redaction`);
    }
  }
}

await main();
