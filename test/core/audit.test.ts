import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type AuditRecord, auditRecords, disconnectionRecords } from "../../src/core/audit.ts";
import {
  auditCsv,
  auditJsonLines,
  auditTable,
  csvField,
  parseSince,
} from "../../src/core/audit-export.ts";
import { decide, open } from "../../src/core/machine.ts";
import { Secret } from "../../src/core/secret.ts";
import { capabilitySubject, deviceSubject, shownSubject } from "../../src/core/subject.ts";
import type { Event, Mode, Session } from "../../src/core/types.ts";
import { alice, bob, carol, dave } from "../support/actors.ts";

const T0 = 1_700_000_000_000;
const TOKEN = "tok_audit_secret_1a2b3c4d5e6f";
const CODE = "setup_code_audit_secret_7a8b9c";
const FP = "85544cd42bcfa0b15e50c3f0f6f0b274d89f4ed292119918494290fad3582ea7";
const DEVICE = { requestId: "req-1", deviceId: "dev-1", remoteIp: "203.0.113.7", displayName: "n" };
const CAPABILITY = {
  requestId: "cap-1",
  nodeId: "dev-1",
  commands: ["system.run", "system.which"],
};

/** Opens a session and applies the events a second apart, collecting the records each written change makes. */
function walk(mode: Mode, events: Event[]): { session: Session; records: AuditRecord[] } {
  let session = open(
    {
      id: "s1",
      mode,
      channel: { platform: "discord", id: "c1" },
      origin: {
        place: { kind: "server", id: "g1", name: "Team" },
        channel: { id: "c1", name: "ops" },
        handle: "bob_h",
      },
      displayName: "build-box",
      reason: "runs the nightly builds",
      requester: { ...bob, platform: "discord" },
      ttlMs: 30 * 60_000,
      allowSelfApproval: false,
    },
    T0,
  ).session;
  const records = auditRecords(undefined, session, undefined);
  let now = T0;
  for (const event of events) {
    now += 1000;
    // The session's people are on its platform (a click from elsewhere is refused).
    const e =
      "actor" in event
        ? ({ ...event, actor: { ...event.actor, platform: "discord" } } as Event)
        : event;
    const pressed =
      (e.type === "approveDevice" || e.type === "approveCapability") && !e.shown
        ? ({
            ...e,
            shown: shownSubject(
              e.type === "approveDevice" ? "devicePairingApproval" : "capabilityApproval",
              session,
            ),
          } as Event)
        : e;
    const next = decide(session, pressed, now).session;
    if (next.version !== session.version) records.push(...auditRecords(session, next, pressed));
    session = next;
  }
  return { session, records };
}

const SHARED_TOKEN: Event[] = [
  { type: "claimGatewayOperator", actor: carol },
  {
    type: "submitCredentials",
    actor: carol,
    host: "gw.example.com",
    port: "18789",
    fingerprint: FP,
    token: new Secret(TOKEN),
  },
  { type: "preflightDone", result: { ok: true, fingerprint: FP, at: T0 } },
  { type: "devicePairingRequested", request: { ...DEVICE, seenAt: T0 } },
  { type: "approveDevice", actor: alice },
  { type: "deviceResolved", requestId: "req-1", approved: true },
  { type: "capabilityRequested", request: { ...CAPABILITY, seenAt: T0 } },
  { type: "approveCapability", actor: dave },
  { type: "capabilityResolved", requestId: "cap-1", approved: true },
  { type: "nodeConnected", nodeId: "dev-1" },
];

describe("audit records, derived from each change", () => {
  it("tell a shared-token handshake: who asked where, each decision with what was shown, the gateway, the connection", () => {
    const { session, records } = walk("sharedToken", SHARED_TOKEN);
    assert.equal(session.stage, "connected");
    assert.deepEqual(
      records.map((r) => r.kind),
      ["request", "decision", "gateway", "decision", "gateway", "connected"],
    );
    assert.deepEqual(records[0], {
      at: T0,
      sessionId: "s1",
      displayName: "build-box",
      kind: "request",
      by: { platform: "discord", id: "bob", name: "bob", handle: "bob_h" },
      mode: "sharedToken",
      reason: "runs the nightly builds",
      where: {
        platform: "discord",
        channelId: "c1",
        place: { kind: "server", id: "g1", name: "Team" },
        channel: { id: "c1", name: "ops" },
      },
    });
    const device = records[1] as Extract<AuditRecord, { kind: "decision" }>;
    assert.deepEqual(device.by, { platform: "discord", id: "alice", name: "alice" });
    assert.equal(device.approved, true);
    assert.deepEqual(device.shown, {
      step: "device",
      requestId: "req-1",
      deviceId: "dev-1",
      address: "203.0.113.7",
      deviceName: "n",
      subject: deviceSubject({ ...DEVICE, seenAt: T0 }),
    });
    assert.deepEqual(records[2], {
      at: T0 + 6000,
      sessionId: "s1",
      displayName: "build-box",
      kind: "gateway",
      action: "approveDevice",
      ok: true,
      approved: true,
      requestId: "req-1",
      deviceId: "dev-1",
    });
    const capability = records[3] as Extract<AuditRecord, { kind: "decision" }>;
    assert.equal(capability.by !== "elsewhere" && capability.by.id, "dave");
    assert.deepEqual(capability.shown, {
      step: "capability",
      requestId: "cap-1",
      nodeId: "dev-1",
      commands: ["system.run", "system.which"],
      subject: capabilitySubject({ ...CAPABILITY, seenAt: T0 }),
    });
    assert.deepEqual(records[5], {
      at: T0 + 10_000,
      sessionId: "s1",
      displayName: "build-box",
      kind: "connected",
      nodeId: "dev-1",
      elapsedMs: 10_000,
    });
    assert.ok(!JSON.stringify(records).includes(TOKEN));
  });

  it("tell a setup link: the request's approval, the mint (without the code), the redemption", () => {
    const { records } = walk("setupLink", [
      { type: "approveRequest", actor: alice },
      {
        type: "setupCodeMinted",
        setupId: "set-1",
        code: new Secret(CODE),
        expiresAt: T0 + 600_000,
      },
      { type: "setupCompleted", setupId: "set-1", deviceId: "dev-1" },
    ]);
    assert.deepEqual(
      records.slice(1).map((r) => [r.kind, "shown" in r ? r.shown : "action" in r ? r.action : ""]),
      [
        ["decision", { step: "request", mode: "setupLink" }],
        ["gateway", "mintSetupCode"],
        ["gateway", "setupCompleted"],
      ],
    );
    assert.ok(!JSON.stringify(records).includes(CODE));
  });

  it("record a decision made outside the chat as 'elsewhere', and a rejection's end", () => {
    const { records } = walk("sharedToken", [
      ...SHARED_TOKEN.slice(0, 4),
      { type: "deviceResolved", requestId: "req-1", approved: false },
    ]);
    const tail = records.slice(-3);
    assert.deepEqual(
      tail.map((r) => r.kind),
      ["decision", "gateway", "ended"],
    );
    assert.equal((tail[0] as Extract<AuditRecord, { kind: "decision" }>).by, "elsewhere");
    assert.deepEqual(
      { ...tail[2], at: 0 },
      {
        at: 0,
        sessionId: "s1",
        displayName: "build-box",
        kind: "ended",
        outcome: "failed",
        reason: "deviceRejected",
      },
    );
  });

  it("record a failed gateway action by its typed problem only, and who cancelled", () => {
    const { records } = walk("sharedToken", [
      ...SHARED_TOKEN.slice(0, 5),
      {
        type: "gatewayFailed",
        action: "approveDevice",
        problem: "unauthorized",
        message: "unauthorized: gateway token mismatch (set OPENCLAW_GATEWAY_TOKEN)",
      },
      { type: "cancel", actor: { ...bob, platform: "discord" } },
    ]);
    const failed = records.find((r) => r.kind === "gateway");
    assert.deepEqual(failed && { ...failed, at: 0 }, {
      at: 0,
      sessionId: "s1",
      displayName: "build-box",
      kind: "gateway",
      action: "approveDevice",
      ok: false,
      problem: "unauthorized",
      requestId: "req-1",
      deviceId: "dev-1",
    });
    assert.doesNotMatch(JSON.stringify(records), /OPENCLAW_|mismatch/);
    const end = records.at(-1);
    assert.equal(end?.kind, "ended");
    assert.deepEqual(end?.kind === "ended" && end.by, {
      platform: "discord",
      id: "bob",
      name: "bob",
      handle: "bob_h",
    });
  });

  it("record an expiry", () => {
    let session = walk("sharedToken", []).session;
    const expired = decide(session, { type: "tick" }, session.expiresAt + 1).session;
    const records = auditRecords(session, expired, { type: "tick" });
    assert.deepEqual(
      records.map((r) => (r.kind === "ended" ? r.outcome : r.kind)),
      ["expired"],
    );
    session = expired;
  });
});

describe("the audit export", () => {
  const { records } = walk("sharedToken", SHARED_TOKEN);

  it("reads --since as a date or a date and time, UTC unless a zone is given, and refuses anything else", () => {
    assert.equal(parseSince("2026-11-01"), Date.UTC(2026, 10, 1));
    assert.equal(parseSince("2026-11-01T09:30"), Date.UTC(2026, 10, 1, 9, 30));
    assert.equal(parseSince("2026-11-01T09:30:15Z"), Date.UTC(2026, 10, 1, 9, 30, 15));
    assert.equal(parseSince("2026-11-01T09:30:00+08:00"), Date.UTC(2026, 10, 1, 1, 30));
    assert.equal(parseSince("2026-11-01T09:30:00.250Z"), Date.UTC(2026, 10, 1, 9, 30, 0, 250));
    for (const bad of [
      "yesterday",
      "2026-02-30",
      "2026-13-01",
      "2026-11-01T25:00",
      "1700000000",
      "",
    ])
      assert.equal(parseSince(bad), undefined, bad);
  });

  it("prints JSON lines, one parseable record per line, with an ISO time", () => {
    const lines = auditJsonLines(records).trimEnd().split("\n");
    assert.equal(lines.length, records.length);
    const first = JSON.parse(lines[0] ?? "");
    assert.equal(first.kind, "request");
    assert.equal(first.time, new Date(T0).toISOString());
  });

  it("writes RFC 4180 CSV and defuses cells a spreadsheet would run", () => {
    assert.equal(csvField('=HYPERLINK("x")'), '"\'=HYPERLINK(""x"")"');
    assert.equal(csvField("+1"), "'+1");
    assert.equal(csvField("-1"), "'-1");
    assert.equal(csvField("@SUM(A1)"), "'@SUM(A1)");
    assert.equal(csvField("\tx"), "'\tx");
    assert.equal(csvField("\rx"), '"\'\rx"');
    assert.equal(csvField("a,b"), '"a,b"');
    assert.equal(csvField("plain"), "plain");
    const csv = auditCsv(records);
    const lines = csv.split("\r\n");
    assert.equal(lines.at(-1), "");
    assert.equal(lines.length, records.length + 2);
    assert.match(lines[0] ?? "", /^time,session,node,kind,/);
    assert.match(csv, /system\.run system\.which/);
  });

  it("draws a table a person reads, one line per record", () => {
    const table = auditTable(records);
    assert.equal(table.trimEnd().split("\n").length, records.length + 1);
    assert.match(
      table,
      /alice \[discord:alice\] approved device pairing request req-1 \(device dev-1, address 203\.0\.113\.7\)/,
    );
    assert.match(table, /commands: system\.run, system\.which/);
    assert.equal(auditTable([]), "No audit records.\n");
  });
});

describe("a node taken away", () => {
  it("records the removal once for each session that had enrolled it, or once with no session", () => {
    const by = { platform: "console" as const, id: "alice", name: "alice" };
    const two = disconnectionRecords({
      nodeId: "dev-1",
      displayName: "build-1",
      by,
      at: 5,
      sessionIds: ["s1", "s2"],
    });
    assert.deepEqual(
      two.map((r) => [r.kind, r.sessionId, r.displayName, r.at]),
      [
        ["disconnected", "s1", "build-1", 5],
        ["disconnected", "s2", "build-1", 5],
      ],
    );
    const elsewhere = disconnectionRecords({ nodeId: "dev-9", by, at: 6, sessionIds: [] });
    assert.equal(elsewhere.length, 1);
    assert.equal(elsewhere[0]?.sessionId, "");
  });
});
