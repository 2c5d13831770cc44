// Checks diagnose() against what the REAL openclaw node prints when enrolment goes wrong, live and in the captured fixtures.
// It never targets an address other than loopback and the network namespace it creates itself, and leaves no process behind.

import assert from "node:assert/strict";
import { existsSync, globSync, readFileSync, rmSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { after, before, describe, it } from "node:test";
import { type DiagnosisCode, diagnose } from "../../src/core/diagnose.ts";
import {
  createNetns,
  freePort,
  type Gateway,
  type MintedSetupCode,
  mintSetupCode,
  type Netns,
  type NodeProcess,
  OPENCLAW_VERSION,
  runNode,
  seedNodeHome,
  sharedTokenNodeArgs,
  startGateway,
  stripAnsi,
} from "../openclaw/harness.ts";

// How long a node may print nothing new before it counts as stuck (harness `waitFor`): generous, since up to nine
// node processes (~225 MB, seconds of start-up each) share a loaded machine.
const NODE_LINE_MS = 90_000;

/** The node line a case waits for, and the phrase every line diagnosed for it holds. */
interface Expected {
  code: DiagnosisCode;
  /** Default: `phrase`. */
  until?: string;
  phrase: string;
}

/**
 * Diagnoses everything the node printed so far and checks the verdict: the expected code, with the
 * latest finding being a line the node really printed (at the line number the finding names) that
 * holds the phrase, and the line the test waited for among the findings of that code.
 */
function assertDiagnosis(node: NodeProcess, awaitedLine: string, expected: Expected): void {
  const { code, phrase } = expected;
  const output = node.output();
  const diagnosis = diagnose(output);
  assert.equal(diagnosis.code, code, `diagnosed ${diagnosis.code}; node output:\n${output}`);
  const latest = diagnosis.findings.at(-1);
  assert.ok(latest, "a diagnosis with a code has a finding");
  const printed = stripAnsi(output).split(/\r\n|\n|\r/);
  assert.equal(latest.line, printed[latest.lineNumber - 1]?.trim());
  assert.ok(latest.line.includes(phrase), `evidence lacks "${phrase}": ${latest.line}`);
  assert.ok(
    diagnosis.findings.some(
      (finding) => finding.code === code && finding.line === awaitedLine.trim(),
    ),
    `the awaited line is not among the ${code} findings: ${awaitedLine}`,
  );
}

// The cases are independent (own HOME, own display name), so they run side by side: each spends
// most of its time waiting for a node process to start.
describe("diagnosing the real openclaw node's failures", { concurrency: true }, () => {
  let netns: Netns;
  let gateway: Gateway;
  let minted: MintedSetupCode;
  const nodes: NodeProcess[] = [];
  const start = (opts: Parameters<typeof runNode>[0]): NodeProcess => {
    const node = runNode({ netns, ...opts });
    nodes.push(node);
    return node;
  };
  const tokenEnv = () => ({ OPENCLAW_GATEWAY_TOKEN: gateway.token });

  before(async () => {
    netns = await createNetns();
    // Bound to the namespace's host-side address, not loopback: only such a gateway mints setup codes.
    gateway = await startGateway({ bindHost: netns.hostIp });
    // Minted before any node starts: the CLI's call gives up after 10 s, which nine node processes
    // starting on a loaded machine can starve the young gateway of.
    minted = await mintSetupCode(gateway);
  });

  after(async () => {
    await Promise.all(nodes.map((node) => node.stop()));
    await gateway?.stop();
    await netns?.destroy();
  });

  /** Starts a node, waits for its own line, diagnoses its output, and stops it whatever happens. */
  async function expectDiagnosis(
    opts: Parameters<typeof runNode>[0],
    expected: Expected,
  ): Promise<void> {
    const node = start(opts);
    try {
      const line = await node.waitFor(expected.until ?? expected.phrase, NODE_LINE_MS);
      assertDiagnosis(node, line, expected);
    } finally {
      await node.stop();
    }
  }

  it("names a pinned fingerprint that is not the gateway's FINGERPRINT_MISMATCH", async () => {
    await expectDiagnosis(
      {
        env: tokenEnv(),
        args: sharedTokenNodeArgs(gateway, "Wrong Fingerprint", { fingerprint: "0".repeat(64) }),
      },
      {
        code: "FINGERPRINT_MISMATCH",
        phrase: "node host gateway connect failed: gateway tls fingerprint mismatch",
      },
    );
  });

  it("names a token that is not the gateway's TOKEN_MISMATCH", async () => {
    await expectDiagnosis(
      {
        env: { OPENCLAW_GATEWAY_TOKEN: "f".repeat(32) },
        args: sharedTokenNodeArgs(gateway, "Wrong Token"),
      },
      {
        code: "TOKEN_MISMATCH",
        // The paused line; the close that follows it says the same without the detail.
        until: "detail=AUTH_TOKEN_MISMATCH",
        phrase: "unauthorized: gateway token mismatch (provide gateway auth token)",
      },
    );
  });

  it("names a node run without a token TOKEN_MISSING", async () => {
    await expectDiagnosis(
      { args: sharedTokenNodeArgs(gateway, "No Token") },
      {
        code: "TOKEN_MISSING",
        until: "detail=AUTH_TOKEN_MISSING",
        phrase: "unauthorized: gateway token missing (provide gateway auth token)",
      },
    );
  });

  it("names a port where nothing listens CONNECTION_REFUSED", async () => {
    const closedPort = await freePort(netns.hostIp);
    await expectDiagnosis(
      {
        env: tokenEnv(),
        args: sharedTokenNodeArgs(gateway, "Closed Port", { port: closedPort }),
      },
      {
        code: "CONNECTION_REFUSED",
        phrase: `node host gateway connect failed: connect ECONNREFUSED ${netns.hostIp}:${closedPort}`,
      },
    );
  });

  it("names a plain connection to the TLS gateway TLS_EXPECTED", async () => {
    await expectDiagnosis(
      { env: tokenEnv(), args: sharedTokenNodeArgs(gateway, "No TLS", { tls: false }) },
      { code: "TLS_EXPECTED", phrase: "node host gateway connect failed: socket hang up" },
    );
  });

  it("names a setup code that another node already redeemed SETUP_CODE_INVALID", async () => {
    const pairArgs = (displayName: string) => [
      "node",
      "run",
      "--pair",
      `oc-pair://${minted.setupCode}`,
      "--display-name",
      displayName,
    ];
    const first = start({ args: pairArgs("First Node") });
    try {
      await first.waitFor("node host gateway connected:", NODE_LINE_MS);
    } finally {
      // Redeemed for good once connected: stopping it leaves the CPU to the nodes still starting.
      await first.stop();
    }
    await expectDiagnosis(
      { args: pairArgs("Second Node") },
      {
        code: "SETUP_CODE_INVALID",
        phrase: "setup code invalid, expired, revoked, or already used",
      },
    );
  });

  it("names a seed-style ~/.openclaw/node.json (method C) NODE_STATE_RETIRED", async () => {
    const home = seedNodeHome(gateway);
    // A HOME passed in is the caller's to remove.
    try {
      await expectDiagnosis(
        { env: tokenEnv(), home, args: ["node", "run"] },
        { code: "NODE_STATE_RETIRED", phrase: "retired node-host state remains at" },
      );
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it("names a pin that is no SHA-256 fingerprint FINGERPRINT_INVALID", async () => {
    await expectDiagnosis(
      {
        env: tokenEnv(),
        args: sharedTokenNodeArgs(gateway, "Bad Fingerprint", {
          fingerprint: "not-a-fingerprint",
        }),
      },
      {
        code: "FINGERPRINT_INVALID",
        phrase: "Invalid TLS fingerprint; expected a SHA-256 certificate fingerprint.",
      },
    );
  });
});

// What each `npm run fixtures:capture` log records (test/openclaw/capture.ts, the fixture README).
const FIXTURE_CODES: Record<string, DiagnosisCode> = {
  "node-capability-approval-pending.log": "CAPABILITY_APPROVAL_PENDING",
  "node-connected.log": "CONNECTED",
  "node-invalid-fingerprint.log": "FINGERPRINT_INVALID",
  "node-no-tls.log": "TLS_EXPECTED",
  "node-no-token.log": "TOKEN_MISSING",
  "node-nothing-listening.log": "CONNECTION_REFUSED",
  "node-pairing-required.log": "PAIRING_REQUIRED",
  "node-seed-node-json.log": "NODE_STATE_RETIRED",
  "node-setup-code-reused.log": "SETUP_CODE_INVALID",
  "node-unknown-host.log": "HOST_NOT_FOUND",
  "node-wrong-fingerprint.log": "FINGERPRINT_MISMATCH",
  "node-wrong-token.log": "TOKEN_MISMATCH",
};

// The uuid the node asks an approver to act on, in the lines that carry one.
const REQUEST_ID =
  /(?:requestId: |openclaw nodes approve )([0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12})/;

describe("diagnosing the captured openclaw node logs", () => {
  const fixturesDir = join(import.meta.dirname, "..", "fixtures");
  // Every release captured so far, so that a capture for a new release is checked as well.
  const logs = globSync("openclaw-*/node-*.log", { cwd: fixturesDir }).sort();

  it(`has a capture of the pinned release, openclaw@${OPENCLAW_VERSION}`, () => {
    const current = logs.filter((log) => dirname(log) === `openclaw-${OPENCLAW_VERSION}`);
    assert.ok(existsSync(join(fixturesDir, `openclaw-${OPENCLAW_VERSION}`)));
    assert.deepEqual(
      current.map((log) => basename(log)),
      Object.keys(FIXTURE_CODES).sort(),
    );
  });

  for (const log of logs) {
    const expected = FIXTURE_CODES[basename(log)];
    it(`diagnoses ${log} as ${expected ?? "an outcome it knows"}`, () => {
      assert.ok(expected, `no expected code for ${basename(log)}: add it to FIXTURE_CODES`);
      const text = readFileSync(join(fixturesDir, log), "utf8");
      const diagnosis = diagnose(text);
      assert.equal(diagnosis.code, expected);
      const latest = diagnosis.findings.at(-1);
      assert.ok(latest);
      assert.equal(
        latest.line,
        stripAnsi(text)
          .split(/\r\n|\n|\r/)
          [latest.lineNumber - 1]?.trim(),
      );
      // A log that names a request carries its id through to the diagnosis.
      const requestId = REQUEST_ID.exec(latest.line)?.[1];
      assert.equal(diagnosis.requestId, requestId);
    });
  }
});
