import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { startTlsGateway, type TlsGateway } from "./support/tls-gateway.ts";

const CLI = join(import.meta.dirname, "..", "src", "cli.ts");
const FIXTURES = join(import.meta.dirname, "fixtures", "openclaw-2026.9.6");

function clawshake(args: string[], options: { input?: string; env?: Record<string, string> } = {}) {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    input: options.input ?? "",
    encoding: "utf8",
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      CLAWSHAKE_DATA_DIR: join(tmpdir(), "clawshake-cli-test"),
      ...options.env,
    },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The same, without blocking this process: for a command that talks to a server this test process runs. */
function clawshakeAsync(
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
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

/** Every command `clawshake --help` lists. */
const COMMANDS = [
  "run",
  "console",
  "diagnose",
  "fingerprint",
  "commands",
  "check",
  "register-commands",
];

describe("clawshake (the command line)", () => {
  let tls: TlsGateway;
  const dir = mkdtempSync(join(tmpdir(), "clawshake-cli-"));
  before(async () => {
    tls = await startTlsGateway();
  });
  after(async () => {
    await tls.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("lists its commands with --help and exits 0; with nothing, exits 2", () => {
    const help = clawshake(["--help"]);
    assert.equal(help.code, 0);
    for (const command of COMMANDS) assert.match(help.stdout, new RegExp(`\\n  ${command} `));
    assert.equal(clawshake([]).code, 2);
  });

  it("has --help for every command", () => {
    for (const command of COMMANDS) {
      const result = clawshake([command, "--help"]);
      assert.equal(result.code, 0, command);
      assert.match(result.stdout, /Usage: clawshake /);
    }
  });

  it("exits 2 with the usage on an unknown command or option", () => {
    const unknown = clawshake(["frobnicate"]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown command “frobnicate”/);
    const badOption = clawshake(["diagnose", "--colour"]);
    assert.equal(badOption.code, 2);
    assert.match(badOption.stderr, /Usage: clawshake diagnose/);
  });

  it("diagnoses a real node log as JSON, exiting 1 on a problem and 0 when connected", () => {
    const mismatch = clawshake([
      "diagnose",
      join(FIXTURES, "node-wrong-fingerprint.log"),
      "--json",
    ]);
    assert.equal(mismatch.code, 1);
    const json = JSON.parse(mismatch.stdout) as {
      code: string;
      findings: { code: string; line: string; text: string; advice: string }[];
    };
    assert.equal(json.code, "FINGERPRINT_MISMATCH");
    assert.ok(json.findings.every((f) => f.line && f.text && f.advice));
    const connected = clawshake(["diagnose", "-", "--lang", "zh-CN"], {
      input: readFileSync(join(FIXTURES, "node-connected.log"), "utf8"),
    });
    assert.equal(connected.code, 0);
    assert.match(connected.stdout, /CONNECTED/);
  });

  it("diagnoses a log file or stdin longer than the cap from its end, saying that its start was not read", () => {
    const mismatch = readFileSync(join(FIXTURES, "node-wrong-fingerprint.log"), "utf8");
    const connected = readFileSync(join(FIXTURES, "node-connected.log"), "utf8");
    const log = `${mismatch}\n${`${"x".repeat(99)}\n`.repeat(60_000)}${connected}`;
    const file = join(dir, "long-node.log");
    writeFileSync(file, log);
    for (const run of [
      clawshake(["diagnose", file, "--json"]),
      clawshake(["diagnose", "-", "--json"], { input: log }),
    ]) {
      assert.equal(run.code, 0, run.stderr);
      const json = JSON.parse(run.stdout) as {
        code: string;
        truncated?: boolean;
        findings: { code: string }[];
      };
      assert.equal(json.code, "CONNECTED");
      assert.equal(json.truncated, true);
      assert.ok(
        json.findings.every((f) => f.code !== "FINGERPRINT_MISMATCH"),
        "the start was cut",
      );
    }
  });

  it("normalises a pasted fingerprint, reads one from a certificate, and from a live TLS handshake", async () => {
    const colons = tls.fingerprint.toUpperCase().match(/../g)?.join(":") as string;
    assert.equal(
      clawshake(["fingerprint", "--normalize", `SHA256 Fingerprint=${colons}`]).stdout,
      `${tls.fingerprint}\n`,
    );
    const cert = join(dir, "cert.pem");
    writeFileSync(cert, tls.certPem);
    assert.equal(clawshake(["fingerprint", "--cert", cert]).stdout, `${tls.fingerprint}\n`);
    const probed = await clawshakeAsync(["fingerprint", "--probe", `${tls.host}:${tls.port}`]);
    assert.equal(probed.code, 0);
    assert.equal(probed.stdout, `${tls.fingerprint}\n`);
    const bad = clawshake(["fingerprint", "--normalize", "abc"]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /64 hex digits; this one has 3/);
    assert.equal(clawshake(["fingerprint", "--probe", "gw.example.com"]).code, 2);
  });

  it("prints a script that bash runs as it is, with the token only from the environment", () => {
    const script = clawshake(
      [
        "commands",
        "--host",
        "gw.example.com",
        "--fingerprint",
        tls.fingerprint,
        "--name",
        "it's mine",
      ],
      { env: { OPENCLAW_GATEWAY_TOKEN: "tok_cli_secret" } },
    );
    assert.equal(script.code, 0);
    assert.match(
      script.stdout,
      /openclaw node run --host 'gw.example.com' --port 18789 --tls --tls-fingerprint/,
    );
    assert.match(script.stdout, /export OPENCLAW_GATEWAY_TOKEN='tok_cli_secret'/);
    const check = spawnSync("bash", ["-n"], { input: script.stdout });
    assert.equal(check.status, 0, "the script parses in bash");
    const link = clawshake([
      "commands",
      "--setup-code",
      "eyJhIjoxfQ",
      "--name",
      "n1",
      "--service",
      "--gateway-version",
      "2026.9.6",
    ]);
    assert.match(link.stdout, /^ CLAWSHAKE_SETUP_CODE='oc-pair:\/\/eyJhIjoxfQ'$/m);
    assert.match(link.stdout, /openclaw connect "\$CLAWSHAKE_SETUP_CODE" --service/);
    assert.match(link.stdout, /npm install -g openclaw@2026\.9\.6/);
  });

  it("says which value is wrong and how a right one looks", () => {
    const result = clawshake([
      "commands",
      "--host",
      "https://gw",
      "--port",
      "99999",
      "--fingerprint",
      "xyz",
      "--name",
      "n",
    ]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--host: Leave out “https:\/\/”/);
    assert.match(result.stderr, /--port: 99999 is out of range/);
    assert.match(result.stderr, /--fingerprint: .*remove “xyz”/);
  });

  it("check says when a chat platform has no channel or group list, and what that means", () => {
    const home = mkdtempSync(join(tmpdir(), "clawshake-check-home-"));
    try {
      const result = clawshake(["check"], {
        env: {
          HOME: home,
          OPENCLAW_BIN: join(home, "no-openclaw"),
          DISCORD_TOKEN: "fake-token",
          DISCORD_APPROVER_IDS: "1234567890123456789",
          TELEGRAM_BOT_TOKEN: "123456789:AAExampleExampleExampleExample",
          TELEGRAM_APPROVER_IDS: "12345678",
        },
      });
      assert.match(
        result.stdout,
        /Discord: no DISCORD_CHANNEL_IDS: \/connect-node works in any server where a configured approver is a member\n\s+→ set DISCORD_CHANNEL_IDS/,
      );
      assert.match(
        result.stdout,
        /Telegram: no TELEGRAM_CHAT_IDS: \/connect_node works in any group where a configured approver is a member\n\s+→ set TELEGRAM_CHAT_IDS/,
      );
      const listed = clawshake(["check"], {
        env: {
          HOME: home,
          OPENCLAW_BIN: join(home, "no-openclaw"),
          DISCORD_TOKEN: "fake-token",
          DISCORD_CHANNEL_IDS: "1234567890123456789",
          TELEGRAM_BOT_TOKEN: "123456789:AAExampleExampleExampleExample",
        },
      });
      assert.match(listed.stdout, /✓ Discord: \/connect-node works in 1 listed channel\n/);
      assert.match(
        listed.stdout,
        /✗ Telegram: no TELEGRAM_CHAT_IDS and no approver: \/connect_node works nowhere/,
      );
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it("refuses to start on a bad setting, one line per problem naming the variable and a good example", () => {
    const result = clawshake(["run"], {
      env: {
        CLAWSHAKE_SESSION_TTL_MINUTES: "soon",
        CLAWSHAKE_STORE: "postgres",
        TELEGRAM_BOT_TOKEN: "nope",
      },
    });
    assert.equal(result.code, 1);
    assert.match(
      result.stderr,
      /CLAWSHAKE_SESSION_TTL_MINUTES: must be a whole number from 1 to 1440, not “soon” \(for example CLAWSHAKE_SESSION_TTL_MINUTES=30\)/,
    );
    assert.match(result.stderr, /CLAWSHAKE_STORE: .*\(for example CLAWSHAKE_STORE=sqlite\)/);
    assert.match(result.stderr, /TELEGRAM_BOT_TOKEN: must look like 123456789:AA/);
    assert.ok(!result.stderr.includes("nope"), "a rejected token is not echoed");
  });
});
