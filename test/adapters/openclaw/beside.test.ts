// The bot's own device against a REAL gateway bound to a non-loopback address (a network namespace's veth address).
// Beside its gateway the bot is wired exactly as `clawshake run` wires it (the gateway's HOME and config file), and must
// be paired silently over loopback; a bot elsewhere must say, where its operator looks, which command approves it.

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { pino } from "pino";
import { OPERATOR_SCOPES } from "../../../src/adapters/openclaw/events.ts";
import { DeviceIdentityStore } from "../../../src/adapters/openclaw/identity.ts";
import { loadConfig } from "../../../src/config.ts";
import { createGateway, type GatewayChoice } from "../../../src/gateway.ts";
import {
  createNetns,
  type Gateway as HarnessGateway,
  type Netns,
  startGateway,
} from "../../openclaw/harness.ts";

const CLI = join(import.meta.dirname, "..", "..", "..", "src", "cli.ts");

interface DeviceEntry {
  requestId?: string;
  deviceId: string;
  [field: string]: unknown;
}

/** The gateway's own view of device pairing (`openclaw devices list --json`). */
async function devices(
  gw: HarnessGateway,
): Promise<{ pending: DeviceEntry[]; paired: DeviceEntry[] }> {
  const listed = await gw.cli(["devices", "list"], { json: true });
  assert.equal(listed.exitCode, 0, listed.stdout + listed.stderr);
  return listed.json as { pending: DeviceEntry[]; paired: DeviceEntry[] };
}

/** Runs `clawshake <args>` as its operator would, with only `env` (and PATH); stdin is closed at once. */
function clawshake(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
}

/** Every `openclaw devices approve <id>` in a text. */
function approveCommands(text: string): string[] {
  return [...text.matchAll(/openclaw devices approve (<requestId>|[\w-]+)/g)].map(
    (match) => match[1] as string,
  );
}

describe("the bot's own device on a gateway bound beyond loopback (real OpenClaw)", () => {
  let netns: Netns;
  let gw: HarnessGateway;
  const dirs: string[] = [];
  const dir = (prefix: string) => {
    const made = mkdtempSync(join(tmpdir(), prefix));
    dirs.push(made);
    return made;
  };
  let beside: GatewayChoice | undefined;

  before(async () => {
    netns = await createNetns();
    gw = await startGateway({ bindHost: netns.hostIp });
  });

  after(async () => {
    await beside?.gateway.stop?.();
    await gw?.stop();
    await netns?.destroy();
    for (const made of dirs) rmSync(made, { recursive: true, force: true });
  });

  it("beside its gateway, connects over loopback: paired silently with the operator scopes, no `devices approve`, path events", async () => {
    // The gateway's certificate names neither 127.0.0.1 nor the bound address: only the pin can vouch for it.
    const cert = new X509Certificate(readFileSync(gw.certPath));
    assert.equal(cert.checkIP("127.0.0.1"), undefined);
    assert.equal(cert.checkIP(netns.hostIp), undefined);

    const dataDir = dir("clawshake-beside-");
    const logged: string[] = [];
    const log = pino({ level: "debug" }, { write: (line: string) => void logged.push(line) });
    const config = loadConfig({
      CLAWSHAKE_DATA_DIR: dataDir,
      OPENCLAW_BIN: join(dataDir, "no-openclaw-here"),
    });
    // As `clawshake run` on the gateway host: the gateway's user, so its HOME and its ~/.openclaw/openclaw.json.
    const home = process.env.HOME;
    process.env.HOME = gw.home;
    try {
      beside = await createGateway(config, log);
    } finally {
      process.env.HOME = home;
    }

    assert.equal(beside.path, "events", `${beside.reason}\n${logged.join("")}`);
    const events = beside.events;
    assert.ok(events);
    assert.equal(beside.beside, true);
    assert.equal(beside.approval, undefined);
    const state = events.state();
    assert.equal(state.status, "connected", JSON.stringify(state));
    for (const scope of OPERATOR_SCOPES)
      assert.ok(state.scopes.includes(scope), `${scope} granted: ${JSON.stringify(state)}`);
    const bot = events.deviceId;
    assert.deepEqual(
      (await devices(gw)).pending.filter((request) => request.deviceId === bot),
      [],
      "no request of the bot's device waits",
    );

    // The scopes work: deciding a pairing request needs operator.pairing (an unknown one is "already decided", not
    // "missing scope"), minting a setup code operator.admin.
    assert.equal(
      await events.approveDevice("00000000-0000-4000-8000-000000000000"),
      "alreadyDecided",
    );
    const minted = await events.mintSetupCode();
    assert.ok(minted.setupId);

    // What people open is still the address the gateway is bound to, not the bot's loopback.
    const info = await beside.gateway.info();
    assert.equal(info.webUiUrl, `https://${netns.hostIp}:${gw.port}/settings/devices`);
    assert.ok(!logged.join("").includes(gw.token), "the token is never logged");

    // `clawshake check` run as the gateway's user says the same, with another data dir (a device of its own).
    const checked = await clawshake(["check"], {
      HOME: gw.home,
      CLAWSHAKE_DATA_DIR: dir("clawshake-beside-check-"),
      OPENCLAW_BIN: join(dataDir, "no-openclaw-here"),
    });
    assert.match(
      checked.stdout,
      new RegExp(
        `✓ gateway 127\\.0\\.0\\.1:${gw.port} answers over TLS; .*\\(pinned\\); over loopback`,
      ),
      checked.stdout,
    );
    assert.match(
      checked.stdout,
      /✓ operator connection up \(.*scopes operator\.read, operator\.pairing, operator\.admin\)/,
    );
    assert.doesNotMatch(checked.stdout, /devices approve/);
    assert.ok(!(checked.stdout + checked.stderr).includes(gw.token), "the token is never shown");
  });

  it("not beside its gateway, says which `openclaw devices approve` to run: start-up log, console, check", async () => {
    const dataDir = dir("clawshake-remote-");
    const env = {
      HOME: dir("clawshake-remote-home-"),
      CLAWSHAKE_DATA_DIR: dataDir,
      OPENCLAW_BIN: join(dataDir, "no-openclaw-here"),
      OPENCLAW_GATEWAY_URL: gw.url,
      OPENCLAW_GATEWAY_TOKEN: gw.token,
      OPENCLAW_GATEWAY_FINGERPRINT: gw.fingerprint,
    };
    const pendingOfBot = async () => {
      const bot = new DeviceIdentityStore(dataDir).loadOrCreate().deviceId;
      return (await devices(gw)).pending
        .filter((request) => request.deviceId === bot)
        .map((request) => request.requestId);
    };

    // The console: its operator reads the terminal; the start-up log line goes to the log file beside the data.
    const consoleRun = await clawshake(["console"], env);
    const pending = await pendingOfBot();
    assert.ok(pending.length > 0, "the gateway holds a request of the bot's device");
    const shown = approveCommands(consoleRun.stdout);
    assert.ok(
      shown.length > 0 && shown.every((id) => pending.includes(id)),
      `the console names the request: ${consoleRun.stdout}`,
    );
    const logText = readFileSync(join(dataDir, "clawshake.log"), "utf8");
    const logged = approveCommands(logText);
    assert.ok(
      logged.length > 0 && logged.every((id) => pending.includes(id)),
      `the start-up log names the request: ${logText}`,
    );

    // `clawshake check` marks it ✗ with the command.
    const checked = await clawshake(["check"], env);
    assert.equal(checked.code, 1, checked.stdout);
    assert.match(checked.stdout, /✗ the bot's own device \(\w+…\) waits for approval/);
    const fromCheck = approveCommands(checked.stdout);
    const stillPending = await pendingOfBot();
    assert.ok(
      fromCheck.length > 0 && fromCheck.every((id) => stillPending.includes(id)),
      `check names the request: ${checked.stdout}`,
    );

    // The command, run as shown, is all it takes.
    const approved = await gw.cli(["devices", "approve", fromCheck[0] as string], { json: true });
    assert.equal(approved.exitCode, 0, approved.stdout + approved.stderr);
    const again = await clawshake(["check"], env);
    assert.match(again.stdout, /✓ operator connection up/, again.stdout);
    for (const output of [consoleRun, checked, again])
      assert.ok(!(output.stdout + output.stderr).includes(gw.token), "the token is never shown");
    assert.ok(!logText.includes(gw.token), "the token is never logged");
  });
});
