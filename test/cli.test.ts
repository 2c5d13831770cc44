import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { SecretKeeper } from "../src/adapters/store/seal.ts";
import { SqliteStore } from "../src/adapters/store/sqlite.ts";
import { auditRecords } from "../src/core/audit.ts";
import { decide } from "../src/core/machine.ts";
import { shownSubject } from "../src/core/subject.ts";
import { alice, carol } from "./support/actors.ts";
import { sampleSession, TOKEN_VALUE } from "./support/sessions.ts";
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
  "audit",
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

  it("puts --commands into both scripts, and refuses what is not a command id", () => {
    const link = clawshake([
      "commands",
      "--setup-code",
      "eyJhIjoxfQ",
      "--name",
      "n1",
      "--commands",
      "system.which, fs.listDir",
    ]);
    assert.equal(link.code, 0);
    assert.match(link.stdout, /--display-name='n1' --commands='fs\.listDir,system\.which'/);
    assert.equal(spawnSync("bash", ["-n"], { input: link.stdout }).status, 0);
    const token = clawshake(
      [
        "commands",
        "--host",
        "gw.example.com",
        "--fingerprint",
        "a".repeat(64),
        "--name",
        "n1",
      ].concat(["--commands", "system.which", "--shell", "powershell"]),
      { env: { OPENCLAW_GATEWAY_TOKEN: "tok_cli_secret" } },
    );
    assert.match(token.stdout, /'--commands=system\.which'/);
    const bad = clawshake(["commands", "--setup-code", "x", "--name", "n1", "--commands", "a;id"]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--commands: “a;id” is not an OpenClaw command id/);
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

describe("clawshake audit", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "clawshake-audit-"));
  const env = { CLAWSHAKE_DATA_DIR: dataDir };
  const T1 = Date.UTC(2026, 10, 1, 9, 0);
  const T2 = Date.UTC(2026, 10, 3, 9, 0);
  before(async () => {
    // Two sessions written by the store the bot uses, the way the bot writes them; the first asked for by a person
    // whose name a spreadsheet would run as a formula.
    const store = new SqliteStore(join(dataDir, "clawshake.sqlite"), new SecretKeeper());
    const first = sampleSession("one", T1);
    const evil = {
      ...first,
      requester: { ...first.requester, name: '=HYPERLINK("http://x","y")' },
    };
    await store.create(evil, [], auditRecords(undefined, evil, undefined));
    const s = sampleSession("two", T2);
    await store.create(s, [], auditRecords(undefined, s, undefined));
    // The node asked to pair; an approver approves what their message showed.
    const pending = {
      ...s,
      version: 2,
      stage: "devicePairingPending" as const,
      gatewayOperator: carol,
      pairingRequest: {
        requestId: "req-9",
        deviceId: "dev-9",
        remoteIp: "198.51.100.4",
        seenAt: T2,
      },
    };
    await store.commit(pending, 1, []);
    const approve = {
      type: "approveDevice" as const,
      actor: alice,
      shown: shownSubject("devicePairingApproval", pending),
    };
    const approved = decide(pending, approve, T2 + 1000).session;
    assert.equal(approved.decisions.length, 1);
    await store.commit(approved, 2, [], auditRecords(pending, approved, approve));
    await store.close();
  });
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it("prints a table, oldest first", () => {
    const result = clawshake(["audit"], { env });
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trimEnd().split("\n");
    assert.match(lines[0] ?? "", /^TIME\s+NODE\s+KIND\s+WHAT$/);
    assert.match(lines[1] ?? "", /^2026-11-01T09:00:00.000Z\s+node-one\s+request/);
    assert.match(
      result.stdout,
      /alice \[console:alice\] approved device pairing request req-9 \(device dev-9, address 198\.51\.100\.4\)/,
    );
    assert.ok(!result.stdout.includes(TOKEN_VALUE));
  });

  it("prints JSON lines with --json, and only records from --since on", () => {
    const all = clawshake(["audit", "--json"], { env });
    assert.equal(all.code, 0, all.stderr);
    const records = all.stdout
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line));
    assert.deepEqual(
      records.map((r) => `${r.sessionId}:${r.kind}`),
      ["one:request", "two:request", "two:decision"],
    );
    const decision = records[2];
    assert.deepEqual(
      [decision.shown.requestId, decision.shown.deviceId, decision.shown.address, decision.by.id],
      ["req-9", "dev-9", "198.51.100.4", "alice"],
    );
    const since = clawshake(["audit", "--json", "--since", "2026-11-02"], { env });
    assert.equal(since.code, 0);
    assert.deepEqual(
      since.stdout
        .trimEnd()
        .split("\n")
        .map((line) => JSON.parse(line).sessionId),
      ["two", "two"],
    );
    const later = clawshake(["audit", "--json", "--since", "2026-11-03T09:00:01Z"], { env });
    assert.equal(later.stdout.trimEnd().split("\n").length, 1);
  });

  it("writes RFC 4180 CSV with --csv, a name that looks like a formula defused", () => {
    const result = clawshake(["audit", "--csv"], { env });
    assert.equal(result.code, 0, result.stderr);
    const rows = result.stdout.split("\r\n");
    assert.equal(rows.length, 5); // header, three records, the empty end after the last CRLF
    assert.match(rows[0] ?? "", /^time,session,node,kind,by_platform,by_id,by_name,/);
    assert.ok(rows[1]?.includes(`"'=HYPERLINK(""http://x"",""y"")"`), rows[1]);
    assert.ok(!result.stdout.includes(",=HYPERLINK"));
  });

  it("refuses a bad --since or two formats as a usage error (2), and a missing store as a failure (1)", () => {
    const bad = clawshake(["audit", "--since", "last tuesday"], { env });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--since takes a date \(2026-11-01\) or a date and time/);
    assert.match(bad.stderr, /Usage: clawshake audit/);
    assert.equal(clawshake(["audit", "--since", "2026-02-30"], { env }).code, 2);
    assert.equal(clawshake(["audit", "--json", "--csv"], { env }).code, 2);
    const missing = clawshake(["audit"], {
      env: { CLAWSHAKE_DATA_DIR: join(dataDir, "nowhere") },
    });
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /no clawshake store at/);
    const memory = clawshake(["audit"], { env: { ...env, CLAWSHAKE_STORE: "memory" } });
    assert.equal(memory.code, 1);
  });
});
