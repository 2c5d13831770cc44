import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { sharedTokenScript } from "../../src/core/commands.ts";
import {
  adviceFor,
  DIAGNOSIS_CODES,
  type DiagnosisCode,
  diagnose,
  diagnosisToJson,
} from "../../src/core/diagnose.ts";
import { LANGS } from "../../src/core/i18n/index.ts";
import { Secret } from "../../src/core/secret.ts";
import {
  CAPABILITY_REQUEST_ID,
  IDENTITY_REQUEST_ID,
  NODE_LOG,
  PAIRING_REQUEST_ID,
  REPORTED_NODE_LOG,
} from "../fixtures/node-logs.ts";

const table: { name: string; line: string; code: DiagnosisCode; requestId?: string }[] = [
  { name: "a successful connection", line: NODE_LOG.connected, code: "CONNECTED" },
  { name: "a wrong fingerprint", line: NODE_LOG.fingerprintMismatch, code: "FINGERPRINT_MISMATCH" },
  {
    name: "a value that is no fingerprint",
    line: NODE_LOG.fingerprintInvalid,
    code: "FINGERPRINT_INVALID",
  },
  { name: "a wrong token", line: NODE_LOG.tokenMismatch, code: "TOKEN_MISMATCH" },
  { name: "no token", line: NODE_LOG.tokenMissing, code: "TOKEN_MISSING" },
  { name: "nothing listening", line: NODE_LOG.connectionRefused, code: "CONNECTION_REFUSED" },
  { name: "no --tls against a TLS gateway", line: NODE_LOG.tlsExpected, code: "TLS_EXPECTED" },
  { name: "an unknown host", line: NODE_LOG.hostNotFound, code: "HOST_NOT_FOUND" },
  { name: "a seed-style node.json", line: NODE_LOG.nodeStateRetired, code: "NODE_STATE_RETIRED" },
  {
    name: "a used or expired setup code",
    line: NODE_LOG.setupCodeInvalid,
    code: "SETUP_CODE_INVALID",
  },
  {
    name: "a new device's pairing request",
    line: NODE_LOG.pairingRequired,
    code: "PAIRING_REQUIRED",
    requestId: PAIRING_REQUEST_ID,
  },
  {
    name: "the node pausing for pairing",
    line: NODE_LOG.pairingPaused,
    code: "PAIRING_REQUIRED",
    requestId: PAIRING_REQUEST_ID,
  },
  {
    name: "commands awaiting approval",
    line: NODE_LOG.capabilityPending,
    code: "CAPABILITY_APPROVAL_PENDING",
    requestId: CAPABILITY_REQUEST_ID,
  },
  {
    name: "a changed device identity (reported)",
    line: REPORTED_NODE_LOG.identityChanged,
    code: "DEVICE_IDENTITY_CHANGED",
    requestId: IDENTITY_REQUEST_ID,
  },
  {
    name: "a proxy answering 400 (reported)",
    line: REPORTED_NODE_LOG.proxyRejected,
    code: "PROXY_REJECTED",
  },
  {
    name: "a stale device token (reported)",
    line: REPORTED_NODE_LOG.deviceTokenMismatch,
    code: "DEVICE_TOKEN_MISMATCH",
  },
  { name: "DNS that does not answer", line: REPORTED_NODE_LOG.dnsTryAgain, code: "HOST_NOT_FOUND" },
  {
    name: "a bare AUTH_TOKEN_MISMATCH detail",
    line: "detail=AUTH_TOKEN_MISMATCH",
    code: "TOKEN_MISMATCH",
  },
  {
    name: "a bare AUTH_TOKEN_MISSING detail",
    line: "detail=AUTH_TOKEN_MISSING",
    code: "TOKEN_MISSING",
  },
  {
    name: "a plain 'connection refused'",
    line: "curl: (7) Connection refused",
    code: "CONNECTION_REFUSED",
  },
];

describe("diagnose: one line per outcome", () => {
  for (const row of table) {
    it(`recognises ${row.name} as ${row.code}`, () => {
      const result = diagnose(row.line);
      assert.equal(result.code, row.code);
      assert.equal(result.requestId, row.requestId);
      assert.equal(result.findings.length, 1, "one line yields exactly one finding");
      assert.deepEqual(result.findings[0], {
        code: row.code,
        line: row.line,
        lineNumber: 1,
        ...(row.requestId ? { requestId: row.requestId } : {}),
      });
    });
  }

  it("finds nothing in an empty log or in unrelated text", () => {
    assert.deepEqual(diagnose(""), { code: "UNKNOWN", findings: [] });
    assert.deepEqual(diagnose("hello\nworld\n\n"), { code: "UNKNOWN", findings: [] });
  });

  it("matches the node's phrases whatever their case", () => {
    assert.equal(diagnose("NODE HOST GATEWAY CONNECTED: wss://10.0.0.2:18789").code, "CONNECTED");
    assert.equal(diagnose("connect econnrefused 10.0.0.2:18789").code, "CONNECTION_REFUSED");
  });

  it("does not take a socket hang-up outside the gateway connection for a missing --tls", () => {
    const result = diagnose("node host update supervisor readiness failed: Error: socket hang up");
    assert.equal(result.code, "UNKNOWN");
  });
});

describe("diagnose: the latest state wins", () => {
  it("reads a mismatch followed by a connection as CONNECTED", () => {
    const result = diagnose([NODE_LOG.fingerprintMismatch, NODE_LOG.connected].join("\n"));
    assert.equal(result.code, "CONNECTED");
    assert.deepEqual(
      result.findings.map((f) => [f.code, f.lineNumber]),
      [
        ["FINGERPRINT_MISMATCH", 1],
        ["CONNECTED", 2],
      ],
    );
  });

  it("reads a node that refused its --commands as COMMANDS_UNAVAILABLE, with advice", () => {
    const log = ["[openclaw] The CLI command failed.", NODE_LOG.commandsUnavailable].join("\n");
    const result = diagnose(log);
    assert.equal(result.code, "COMMANDS_UNAVAILABLE");
    assert.equal(result.findings[0]?.lineNumber, 2);
  });

  it("reads a removed device and the token it then refuses as DEVICE_REMOVED, not a token problem", () => {
    const log = [NODE_LOG.connected, NODE_LOG.deviceRemoved, NODE_LOG.removedTokenRefused];
    const result = diagnose(log.join("\n"));
    assert.equal(result.code, "DEVICE_REMOVED");
    assert.deepEqual(
      result.findings.map((f) => f.code),
      ["CONNECTED", "DEVICE_REMOVED", "DEVICE_TOKEN_MISMATCH"],
    );
    assert.equal(diagnose(NODE_LOG.deviceRemoved).code, "DEVICE_REMOVED");
    // A token refused with no removal before it stays a token problem; a new connection after a removal wins.
    assert.equal(diagnose(NODE_LOG.removedTokenRefused).code, "DEVICE_TOKEN_MISMATCH");
    assert.equal(
      diagnose(
        [NODE_LOG.deviceRemoved, NODE_LOG.connected, NODE_LOG.removedTokenRefused].join("\n"),
      ).code,
      "DEVICE_TOKEN_MISMATCH",
    );
    assert.equal(diagnose([...log, NODE_LOG.connected].join("\n")).code, "CONNECTED");
  });

  it("reads a connection followed by a pairing request as PAIRING_REQUIRED", () => {
    const result = diagnose([NODE_LOG.connected, "", NODE_LOG.pairingPaused].join("\n"));
    assert.equal(result.code, "PAIRING_REQUIRED");
    assert.equal(result.requestId, PAIRING_REQUEST_ID);
    assert.equal(result.findings[1]?.lineNumber, 3);
  });

  it("drops the pairing request id once the node has moved on to another state", () => {
    const result = diagnose([NODE_LOG.pairingRequired, NODE_LOG.connected].join("\n"));
    assert.equal(result.code, "CONNECTED");
    assert.equal(result.requestId, undefined);
    assert.equal(result.findings[0]?.requestId, PAIRING_REQUEST_ID);
  });

  it("takes the capability approval's id, not the pairing's, after the re-run", () => {
    const log = [
      NODE_LOG.pairingRequired,
      NODE_LOG.pairingPaused,
      NODE_LOG.connected,
      NODE_LOG.capabilityPending,
    ];
    const result = diagnose(log.join("\n"));
    assert.equal(result.code, "CAPABILITY_APPROVAL_PENDING");
    assert.equal(result.requestId, CAPABILITY_REQUEST_ID);
  });

  it("gives no request id when the latest pairing line names none", () => {
    const result = diagnose([NODE_LOG.capabilityPending, "detail=PAIRING_REQUIRED"].join("\n"));
    assert.equal(result.code, "PAIRING_REQUIRED");
    assert.equal(result.requestId, undefined);
  });
});

describe("diagnose: pasted logs as people paste them", () => {
  it("strips colours, timestamps and Windows line endings from the evidence", () => {
    const log = [
      "\x1b[2m2026-09-06T10:00:00.000Z\x1b[0m \x1b[31mnode host gateway connect failed: gateway tls fingerprint mismatch\x1b[0m",
      "\x1b]0;openclaw node\x07[node] 10:00:03 \x1b[32mnode host gateway connected: wss://10.0.0.2:18789\x1b[39m",
    ].join("\r\n");
    const result = diagnose(log);
    assert.equal(result.code, "CONNECTED");
    assert.deepEqual(
      result.findings.map((f) => f.line),
      [
        "2026-09-06T10:00:00.000Z node host gateway connect failed: gateway tls fingerprint mismatch",
        "[node] 10:00:03 node host gateway connected: wss://10.0.0.2:18789",
      ],
    );
    assert.deepEqual(
      result.findings.map((f) => f.lineNumber),
      [1, 2],
    );
  });

  it("treats a lone CR as a line end and tolerates tabs inside a phrase", () => {
    const result = diagnose(`starting\r\tnode host\tgateway  connected: wss://h:1 \r`);
    assert.equal(result.code, "CONNECTED");
    assert.equal(result.findings[0]?.lineNumber, 2);
    assert.equal(result.findings[0]?.line, "node host gateway  connected: wss://h:1");
  });

  it("reads a journalctl line with its prefix", () => {
    const line = `Sep 06 10:00:00 host openclaw[4242]: ${NODE_LOG.pairingPaused}`;
    const result = diagnose(line);
    assert.equal(result.code, "PAIRING_REQUIRED");
    assert.equal(result.requestId, PAIRING_REQUEST_ID);
  });

  it("reads an upper-case request id as the same id", () => {
    const result = diagnose(
      `device pairing required (requestId: ${PAIRING_REQUEST_ID.toUpperCase()})`,
    );
    assert.equal(result.requestId, PAIRING_REQUEST_ID);
  });

  it("cuts a very long evidence line to 500 characters", () => {
    const result = diagnose(`${NODE_LOG.connected} ${"x".repeat(3000)}`);
    const line = result.findings[0]?.line ?? "";
    assert.equal(result.code, "CONNECTED");
    assert.ok(line.length <= 500);
    assert.ok(line.endsWith("…"));
  });

  it("redacts a setup link or a token pasted on a matching line", () => {
    const line = `$ OPENCLAW_GATEWAY_TOKEN=abcdef0123456789 openclaw node run --pair "oc-pair://eyJzZWNyZXQiOjF9" # ${NODE_LOG.setupCodeInvalid}`;
    const evidence = diagnose(line).findings[0]?.line ?? "";
    assert.ok(!evidence.includes("abcdef0123456789"));
    assert.ok(!evidence.includes("eyJzZWNyZXQiOjF9"));
    assert.match(evidence, /OPENCLAW_GATEWAY_TOKEN=\[redacted\]/);
  });

  it("stores no control characters or lone surrogates in the evidence", () => {
    const result = diagnose(`\u0000\ud800${NODE_LOG.connected}\u0007\udc00`);
    const line = result.findings[0]?.line ?? "";
    assert.equal(result.code, "CONNECTED");
    assert.ok(line.isWellFormed());
    // biome-ignore lint/suspicious/noControlCharactersInRegex: asserting their absence
    assert.doesNotMatch(line, /[\x00-\x1f]/);
  });
});

describe("adviceFor", () => {
  it("shows the token set exactly as the bot's scripts set it, quotes and all", () => {
    const input = {
      host: "gw.example.com",
      port: 18789,
      fingerprint: "ab".repeat(32),
      displayName: "build-1",
      token: new Secret("<token>"),
    };
    for (const lang of LANGS)
      for (const code of ["TOKEN_MISMATCH", "TOKEN_MISSING"] as const) {
        const { advice } = adviceFor(code, lang);
        for (const shell of ["posix", "powershell"] as const) {
          const set = sharedTokenScript(input, "run", shell, lang)
            .text.split("\n")
            .find((line) => line.includes("OPENCLAW_GATEWAY_TOKEN") && !line.startsWith("#"))
            ?.trim();
          assert.ok(set, `${shell} script sets the token`);
          assert.ok(advice.includes(`\`${set}\``), `${code} ${lang} shows \`${set}\``);
        }
        assert.doesNotMatch(advice, /no quotes|不要加引号/);
      }
  });

  it("puts the known pairing request id into the approve command", () => {
    const { advice } = adviceFor("PAIRING_REQUIRED", "en", { requestId: PAIRING_REQUEST_ID });
    assert.ok(advice.includes(`openclaw devices approve ${PAIRING_REQUEST_ID}`));
    assert.ok(advice.includes("openclaw devices list"));
    assert.match(advice, /run the same command again/);
  });

  it("puts the known capability request id into the nodes approve command", () => {
    for (const lang of LANGS) {
      const { advice } = adviceFor("CAPABILITY_APPROVAL_PENDING", lang, {
        requestId: CAPABILITY_REQUEST_ID,
      });
      assert.ok(advice.includes(`openclaw nodes approve ${CAPABILITY_REQUEST_ID}`), lang);
    }
  });

  it("uses a <requestId> placeholder when the id is unknown", () => {
    const { advice } = adviceFor("PAIRING_REQUIRED", "zh-CN");
    assert.ok(advice.includes("openclaw devices approve <requestId>"));
    assert.ok(!advice.includes("{requestId}"));
  });

  it("never puts something that is not a request id into a command", () => {
    const { advice } = adviceFor("PAIRING_REQUIRED", "en", { requestId: "x; rm -rf ~" });
    assert.ok(!advice.includes("rm -rf"));
    assert.ok(advice.includes("openclaw devices approve <requestId>"));
  });

  it("gives each code a non-empty text and advice in every language", () => {
    for (const code of DIAGNOSIS_CODES) {
      for (const lang of LANGS) {
        const { text, advice } = adviceFor(code, lang, { requestId: PAIRING_REQUEST_ID });
        assert.ok(text.trim().length > 0, `${code} ${lang} text`);
        assert.ok(advice.trim().length > 0, `${code} ${lang} advice`);
        assert.doesNotMatch(
          `${text} ${advice}`,
          /\{\w+\}/,
          `${code} ${lang} has an unfilled parameter`,
        );
        assert.ok(!text.startsWith("diagnose."), `${code} ${lang} text is a missing key`);
      }
    }
  });

  it("writes the Chinese advice in Chinese", () => {
    for (const code of DIAGNOSIS_CODES) {
      assert.match(adviceFor(code, "zh-CN").advice, /[\u4e00-\u9fff]/, code);
    }
  });

  it("gives the commands the real OpenClaw uses", () => {
    const en = (code: DiagnosisCode) => adviceFor(code, "en").advice;
    assert.ok(
      en("FINGERPRINT_MISMATCH").includes(
        "openssl x509 -in ~/.openclaw/gateway/tls/gateway-cert.pem",
      ),
    );
    assert.ok(en("TOKEN_MISMATCH").includes("OPENCLAW_GATEWAY_TOKEN"));
    assert.ok(en("TOKEN_MISMATCH").includes("gateway.auth.token"));
    assert.ok(en("TOKEN_MISSING").includes("OPENCLAW_GATEWAY_TOKEN"));
    assert.ok(en("TLS_EXPECTED").includes("--tls --tls-fingerprint"));
    assert.ok(en("NODE_STATE_RETIRED").includes("openclaw doctor --fix"));
    assert.ok(en("NODE_STATE_RETIRED").includes("~/.openclaw/node.json"));
    assert.ok(en("SETUP_CODE_INVALID").includes("10 minutes"));
    assert.match(en("CAPABILITY_APPROVAL_PENDING"), /retries by itself/);
    assert.ok(!en("PAIRING_REQUIRED").includes("approve it with `openclaw nodes"));
  });
});

describe("diagnosisToJson", () => {
  it("gives the code, the request id and each finding with its text and advice", () => {
    const d = diagnose([NODE_LOG.connected, NODE_LOG.pairingRequired].join("\n"));
    const json = diagnosisToJson(d, "en");
    assert.equal(json.code, "PAIRING_REQUIRED");
    assert.equal(json.requestId, PAIRING_REQUEST_ID);
    assert.equal(json.findings.length, 2);
    assert.deepEqual(Object.keys(json.findings[0] ?? {}).sort(), [
      "advice",
      "code",
      "line",
      "text",
    ]);
    assert.equal(json.findings[0]?.text, adviceFor("CONNECTED", "en").text);
    assert.ok(json.findings[1]?.advice.includes(`openclaw devices approve ${PAIRING_REQUEST_ID}`));
    assert.deepEqual(JSON.parse(JSON.stringify(json)), json);
  });

  it("leaves requestId out when there is none", () => {
    const json = diagnosisToJson(diagnose(""), "zh-CN");
    assert.deepEqual(json, { code: "UNKNOWN", findings: [] });
    assert.ok(!("requestId" in json));
  });
});

describe("diagnose: any input", () => {
  const knownLines = fc.constantFrom(
    ...Object.values(NODE_LOG),
    ...Object.values(REPORTED_NODE_LOG),
  );
  const noise = fc.oneof(
    fc.string({ unit: "grapheme" }),
    fc.string({ unit: "binary" }),
    fc.string({
      unit: fc.constantFrom(
        "\x1b",
        "[",
        "]",
        "\r",
        "\n",
        "\t",
        "\x07",
        "\\",
        "m",
        "0",
        ";",
        "\u0000",
        "\ud800",
        "\udc00",
        "\u009b",
      ),
    }),
  );

  it("never throws and always returns a known code", () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(noise, knownLines)),
        fc.constantFrom("\n", "\r\n", "\r", ""),
        (parts, eol) => {
          const result = diagnose(parts.join(eol));
          assert.ok(DIAGNOSIS_CODES.includes(result.code));
          for (const finding of result.findings) {
            assert.ok(DIAGNOSIS_CODES.includes(finding.code));
            assert.ok(finding.lineNumber >= 1);
            assert.ok(finding.line.length <= 500);
          }
          // The latest finding decides, except that token mismatches after a device removal mean the removal.
          const latest = result.findings.at(-1)?.code ?? "UNKNOWN";
          const beforeMismatches = result.findings.findLast(
            (f) => f.code !== "DEVICE_TOKEN_MISMATCH",
          )?.code;
          assert.equal(
            result.code,
            latest === "DEVICE_TOKEN_MISMATCH" && beforeMismatches === "DEVICE_REMOVED"
              ? "DEVICE_REMOVED"
              : latest,
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it("finds a known line wherever it sits among arbitrary text", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "binary" }),
        knownLines,
        fc.string({ unit: "binary" }),
        (before, line, after) => {
          const result = diagnose(`${before}\n${line}\n${after.replace(/[\r\n]/g, " ")}`);
          const expected = diagnose(line).code;
          assert.ok(result.findings.some((f) => f.code === expected));
        },
      ),
      { numRuns: 200 },
    );
  });

  it("finds in a whole log exactly what each of its lines says alone, at that line's number", () => {
    const line = fc.array(fc.oneof(noise, knownLines, fc.constantFrom("İ", "\u212a", "  ", "\t")), {
      maxLength: 4,
    });
    fc.assert(
      fc.property(
        fc.array(line.map((parts) => parts.join("").replace(/[\r\n]/g, " "))),
        fc.constantFrom("\n", "\r\n", "\r"),
        (lines, eol) => {
          const whole = diagnose(lines.join(eol));
          const alone = lines.flatMap((text, i) =>
            diagnose(text).findings.map((f) => ({ ...f, lineNumber: i + 1 })),
          );
          assert.deepEqual(whole.findings, alone.slice(-100));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("serialises any diagnosis to JSON in both languages", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(noise, knownLines)), (parts) => {
        const d = diagnose(parts.join("\n"));
        for (const lang of LANGS)
          assert.doesNotThrow(() => JSON.stringify(diagnosisToJson(d, lang)));
      }),
      { numRuns: 100 },
    );
  });
});

describe("diagnose: a megabyte pasted", () => {
  const MB = 1024 * 1024;

  it("handles one line of a megabyte", () => {
    const result = diagnose(`${NODE_LOG.connected} ${"a".repeat(MB)}`);
    assert.equal(result.code, "CONNECTED");
  });

  it("handles 70k short lines (just under the cap) and finds the last state", () => {
    const lines = Array.from({ length: 70_000 }, (_, i) => `line ${i} nothing to see`);
    lines[35_000] = NODE_LOG.tokenMismatch;
    lines[69_999] = NODE_LOG.connectionRefused;
    const result = diagnose(lines.join("\n"));
    assert.equal(result.code, "CONNECTION_REFUSED");
    assert.equal(result.truncated, undefined);
    assert.deepEqual(
      result.findings.map((f) => f.lineNumber),
      [35_001, 70_000],
    );
  });

  it("keeps the last 100 recognised lines, whatever chunk of the log they sit in", () => {
    const filler = `${"f".repeat(1000)}\n`;
    const lines: string[] = [];
    for (let i = 0; i < 600; i++) lines.push(i % 3 === 0 ? NODE_LOG.tokenMismatch : filler.trim());
    lines.push(`${"a".repeat(200_000)} ${NODE_LOG.connected}`); // found beyond the examined part: no finding
    lines.push(NODE_LOG.connectionRefused);
    const result = diagnose(lines.join("\r\n"));
    assert.equal(result.code, "CONNECTION_REFUSED");
    assert.equal(result.findings.length, 100);
    assert.deepEqual(
      result.findings.map((f) => f.lineNumber),
      [...Array.from({ length: 99 }, (_, i) => 304 + 3 * i), 602],
    );
  });

  it("handles a megabyte of random text", () => {
    const chars = "ab \t\r\n\x1b[;]0123456789:requestId()-\x07\\";
    let seed = 42;
    let text = "";
    for (let i = 0; i < MB; i++) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      text += chars[(seed >>> 16) % chars.length];
    }
    assert.ok(DIAGNOSIS_CODES.includes(diagnose(text).code));
  });

  it("handles a megabyte of unterminated escape sequences and known phrases", () => {
    const escapes = diagnose("\x1b]".repeat(MB / 2));
    const csi = diagnose(`\x1b[${"0;".repeat(MB / 2)}`);
    const phrases = diagnose("device pairing required (requestId: ".repeat(MB / 36));
    assert.equal(escapes.code, "UNKNOWN");
    assert.equal(csi.code, "UNKNOWN");
    assert.equal(phrases.code, "PAIRING_REQUIRED");
  });
});
