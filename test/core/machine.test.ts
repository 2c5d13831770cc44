import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { decide, dueAt, open, RERUN_GRACE_MS } from "../../src/core/machine.ts";
import { Secret } from "../../src/core/secret.ts";
import { shownSubject } from "../../src/core/subject.ts";
import type {
  Decision,
  Effect,
  Event,
  Mode,
  PairingRequest,
  Session,
} from "../../src/core/types.ts";
import { cardView, dmView } from "../../src/core/views.ts";
import { alice, bob, carol, dave, eve, inChannel, person } from "../support/actors.ts";
import { press } from "../support/press.ts";
import { opened } from "../support/sessions.ts";

const T0 = 1_700_000_000_000;
const FP = "85544cd42bcfa0b15e50c3f0f6f0b274d89f4ed292119918494290fad3582ea7";
const TOKEN = new Secret("0123456789abcdef0123456789abcdef");

function start(
  mode: Mode = "setupLink",
  extra: Partial<Parameters<typeof opened>[0]> = {},
): Session {
  return opened(extra, mode, T0);
}

/** Applies events in order, one second apart; returns the last decision. */
function run(session: Session, ...events: Event[]): Decision {
  let decision: Decision = { session, effects: [] };
  events.forEach((event, i) => {
    decision = decide(decision.session, event, T0 + (i + 1) * 1000);
  });
  return decision;
}

function types(effects: Effect[]): string[] {
  return effects.map((e) =>
    e.type === "gateway"
      ? `gateway:${e.action}`
      : e.type === "dm" ||
          e.type === "refreshDms" ||
          e.type === "dmApprovers" ||
          e.type === "dmGatewayOperators"
        ? `${e.type}:${e.message}`
        : e.type === "notice"
          ? `notice:${e.notice.key}`
          : e.type,
  );
}

const submit = (actor = carol, fingerprint = FP): Event => ({
  type: "submitCredentials",
  actor,
  host: "gw.example.com",
  port: "18789",
  fingerprint,
  token: TOKEN,
});
const pairing: Event = {
  type: "devicePairingRequested",
  request: {
    requestId: "req-1",
    deviceId: "dev-1",
    displayName: "build-1",
    remoteIp: "10.0.0.2",
    seenAt: T0,
  },
};
const capability: Event = {
  type: "capabilityRequested",
  request: { requestId: "cap-1", nodeId: "dev-1", commands: ["system.run"], seenAt: T0 },
};

function sharedTokenUntilCredentialsSent(): Session {
  return run(start("sharedToken"), { type: "claimGatewayOperator", actor: carol }, submit(), {
    type: "preflightDone",
    result: { ok: true, fingerprint: FP, at: T0 },
  }).session;
}

describe("opening a session", () => {
  it("starts a setup-link session by asking the approvers, and posts the card", () => {
    const { session, effects } = open(
      {
        id: "s1",
        mode: "setupLink",
        channel: { platform: "console", id: "team" },
        displayName: "build-1",
        requester: bob,
        ttlMs: 60_000,
        allowSelfApproval: false,
      },
      T0,
    );
    assert.equal(session.stage, "awaitingApproval");
    assert.equal(session.version, 1);
    assert.deepEqual(session.nodeOperator, { platform: "console", id: "bob", name: "bob" });
    assert.equal(session.expiresAt, T0 + 60_000);
    assert.deepEqual(types(effects), ["card", "dmApprovers:approvalRequest"]);
  });

  it("starts a shared-token session waiting for a gateway operator", () => {
    const session = start("sharedToken", { fallbackReason: "loopbackOnly" });
    assert.equal(session.stage, "awaitingGatewayOperator");
    assert.equal(session.fallbackReason, "loopbackOnly");
  });
});

describe("setup link", () => {
  it("mints only after an approver approves by private message", () => {
    const d = run(start(), { type: "approveRequest", actor: alice });
    assert.equal(d.session.stage, "minting");
    assert.deepEqual(types(d.effects), [
      "gateway:mintSetupCode",
      "card",
      "refreshDms:approvalRequest",
      "notice:approved",
      // bob asked: he hears it privately.
      "dm:requestApproved",
    ]);
  });

  it("refuses an approval from someone who is not an approver", () => {
    const before = start();
    const d = run(before, { type: "approveRequest", actor: person("eve", {}, "dm") });
    assert.equal(d.session, before);
    assert.deepEqual(types(d.effects), ["notice:notAuthorized"]);
  });

  it("refuses an approval clicked in the channel", () => {
    const d = run(start(), { type: "approveRequest", actor: inChannel(alice) });
    assert.equal(d.session.stage, "awaitingApproval");
    assert.deepEqual(types(d.effects), ["notice:approveOnlyInDm"]);
  });

  it("refuses an approver approving their own request unless self-approval is allowed", () => {
    const selfAsking = person("alice", { approver: true }, "channel");
    const own = open(
      {
        id: "s1",
        mode: "setupLink",
        channel: { platform: "console", id: "team" },
        displayName: "n",
        requester: selfAsking,
        ttlMs: 60_000,
        allowSelfApproval: false,
      },
      T0,
    ).session;
    assert.deepEqual(types(run(own, { type: "approveRequest", actor: alice }).effects), [
      "notice:selfApproval",
    ]);
    const allowed = { ...own, allowSelfApproval: true };
    assert.equal(run(allowed, { type: "approveRequest", actor: alice }).session.stage, "minting");
  });

  it("approves once when two approvers click at the same time", () => {
    const first = run(start(), { type: "approveRequest", actor: alice });
    const second = decide(first.session, { type: "approveRequest", actor: dave }, T0 + 5000);
    assert.equal(second.session, first.session);
    assert.deepEqual(types(second.effects), ["notice:alreadyApproved"]);
  });

  it("sends the minted link to the node operator privately and never puts it on the card effects", () => {
    const d = run(
      start(),
      { type: "approveRequest", actor: alice },
      {
        type: "setupCodeMinted",
        setupId: "set-1",
        code: new Secret("CODE"),
        expiresAt: T0 + 600_000,
      },
    );
    assert.equal(d.session.stage, "linkSent");
    assert.equal(d.session.secrets.setupCode?.reveal(), "CODE");
    assert.deepEqual(types(d.effects), ["dm:setupLink", "card"]);
    assert.ok(!JSON.stringify(d).includes("CODE"));
  });

  it("expires an unused link, drops it, and lets an approver issue a new one", () => {
    const sent = run(
      start(),
      { type: "approveRequest", actor: alice },
      {
        type: "setupCodeMinted",
        setupId: "set-1",
        code: new Secret("CODE"),
        expiresAt: T0 + 600_000,
      },
    ).session;
    const expired = decide(sent, { type: "tick" }, T0 + 600_000);
    assert.equal(expired.session.stage, "linkExpired");
    assert.equal(expired.session.secrets.setupCode, undefined);
    assert.deepEqual(types(expired.effects), [
      "card",
      "refreshDms:setupLink",
      "dmApprovers:linkExpired",
    ]);
    const reissued = decide(expired.session, { type: "reissueLink", actor: alice }, T0 + 601_000);
    assert.equal(reissued.session.stage, "minting");
    const again = decide(
      reissued.session,
      {
        type: "setupCodeMinted",
        setupId: "set-2",
        code: new Secret("CODE2"),
        expiresAt: T0 + 1_200_000,
      },
      T0 + 602_000,
    );
    assert.equal(again.session.setupLink?.issued, 2);
  });

  it("follows the link to redeemed and then connected, redacting the private message", () => {
    const d = run(
      start(),
      { type: "approveRequest", actor: alice },
      {
        type: "setupCodeMinted",
        setupId: "set-1",
        code: new Secret("CODE"),
        expiresAt: T0 + 600_000,
      },
      { type: "setupCompleted", setupId: "set-1", deviceId: "dev-9" },
    );
    assert.equal(d.session.stage, "redeemed");
    assert.equal(d.session.nodeId, "dev-9");
    assert.equal(d.session.secrets.setupCode, undefined);
    const done = decide(d.session, { type: "nodeConnected", nodeId: "dev-9" }, T0 + 10_000);
    assert.equal(done.session.stage, "connected");
    assert.equal(done.session.connectedAt, T0 + 10_000);
    assert.ok(types(done.effects).includes("refreshDms:setupLink"));
    assert.ok(types(done.effects).includes("dm:connected"));
  });

  it("treats a link the gateway spent without confirming delivery as expired: code dropped, approvers asked to re-issue", () => {
    const sent = run(
      start(),
      { type: "approveRequest", actor: alice },
      {
        type: "setupCodeMinted",
        setupId: "set-1",
        code: new Secret("CODE"),
        expiresAt: T0 + 600_000,
      },
    ).session;
    assert.equal(
      decide(sent, { type: "setupDeliveryUncertain", setupId: "other" }, T0 + 5000).session,
      sent,
    );
    const uncertain = decide(sent, { type: "setupDeliveryUncertain", setupId: "set-1" }, T0 + 5000);
    assert.equal(uncertain.session.stage, "linkExpired");
    assert.equal(uncertain.session.setupLink?.deliveryUncertain, true);
    assert.equal(uncertain.session.secrets.setupCode, undefined);
    assert.deepEqual(types(uncertain.effects), [
      "card",
      "refreshDms:setupLink",
      "dmApprovers:linkExpired",
    ]);
    const reissued = decide(uncertain.session, { type: "reissueLink", actor: alice }, T0 + 6000);
    assert.equal(reissued.session.stage, "minting");
    const again = decide(
      reissued.session,
      {
        type: "setupCodeMinted",
        setupId: "set-2",
        code: new Secret("CODE2"),
        expiresAt: T0 + 700_000,
      },
      T0 + 7000,
    );
    assert.equal(again.session.stage, "linkSent");
    assert.equal(again.session.setupLink?.deliveryUncertain, undefined);
  });

  it("ignores a setup completion for another link", () => {
    const sent = run(
      start(),
      { type: "approveRequest", actor: alice },
      {
        type: "setupCodeMinted",
        setupId: "set-1",
        code: new Secret("CODE"),
        expiresAt: T0 + 600_000,
      },
    ).session;
    assert.equal(
      decide(sent, { type: "setupCompleted", setupId: "other" }, T0 + 5000).session,
      sent,
    );
  });

  it("falls back to the shared token when the gateway refuses to mint because it is loopback-only", () => {
    const d = run(
      start(),
      { type: "approveRequest", actor: alice },
      {
        type: "gatewayFailed",
        action: "mintSetupCode",
        problem: "loopbackOnly",
        message: "Gateway is only bound to loopback.",
        fallbackToSharedToken: true,
      },
    );
    assert.equal(d.session.mode, "sharedToken");
    assert.equal(d.session.stage, "awaitingGatewayOperator");
    assert.equal(d.session.fallbackReason, "loopbackOnly");
  });

  it("fails with the gateway's typed reason when minting fails and there is no fallback; the requester hears of it", () => {
    const d = run(
      start(),
      { type: "approveRequest", actor: alice },
      {
        type: "gatewayFailed",
        action: "mintSetupCode",
        problem: "noGateway",
        message: "the bot cannot reach the gateway: CLAWSHAKE_GATEWAY_PATH=none",
      },
    );
    assert.equal(d.session.stage, "failed");
    assert.deepEqual(d.session.failure, { reason: "gatewayError", problem: "noGateway" });
    assert.ok(!JSON.stringify(d.session).includes("CLAWSHAKE_"), "no free text is kept");
    const notices = d.effects.flatMap((e) => (e.type === "notice" ? [e] : []));
    const toBob = notices.find((n) => n.to.id === "bob");
    assert.equal(toBob?.notice.key, "mintImpossible");
    assert.equal(toBob?.notice.problem, "noGateway");
    assert.ok(!JSON.stringify(toBob).includes("CLAWSHAKE_"), "the requester gets plain words");
    // The approver who approved can fix it: they get the details, privately.
    const toAlice = notices.find((n) => n.to.id === "alice");
    assert.equal(toAlice?.notice.key, "gatewayDetail");
    assert.match(toAlice?.notice.params?.error ?? "", /CLAWSHAKE_GATEWAY_PATH=none/);
  });

  it("ends when an approver rejects the request", () => {
    const d = run(start(), { type: "rejectRequest", actor: alice });
    assert.equal(d.session.stage, "failed");
    assert.equal(d.session.failure?.reason, "requestRejected");
  });
});

describe("shared token", () => {
  it("lets only a configured gateway operator claim the role, and opens the form for them", () => {
    const refused = run(start("sharedToken"), { type: "claimGatewayOperator", actor: eve });
    assert.deepEqual(types(refused.effects), ["notice:notAuthorized"]);
    const claimed = run(start("sharedToken"), { type: "claimGatewayOperator", actor: carol });
    assert.equal(claimed.session.stage, "awaitingCredentials");
    assert.equal(claimed.session.gatewayOperator?.id, "carol");
    assert.deepEqual(types(claimed.effects), ["form", "card", "refreshDms:claimRequest"]);
  });

  it("tells the configured gateway operators of a new request by private message, not only on the card", () => {
    const opened = open(
      {
        id: "s1",
        mode: "sharedToken",
        channel: { platform: "console", id: "team" },
        displayName: "build-1",
        requester: bob,
        ttlMs: 30 * 60_000,
        allowSelfApproval: false,
      },
      T0,
    );
    assert.deepEqual(types(opened.effects), ["card", "dmGatewayOperators:claimRequest"]);
    const withLink = open(
      {
        id: "s2",
        mode: "setupLink",
        channel: { platform: "console", id: "team" },
        displayName: "build-2",
        requester: bob,
        ttlMs: 30 * 60_000,
        allowSelfApproval: false,
      },
      T0,
    );
    assert.ok(!types(withLink.effects).includes("dmGatewayOperators:claimRequest"));
    // A setup link that turns out impossible falls back to the shared token: then they are told too.
    const fellBack = run(start(), press(start(), "approveRequest", alice), {
      type: "gatewayFailed",
      action: "mintSetupCode",
      problem: "loopbackOnly",
      message: "loopback only",
      fallbackToSharedToken: true,
    });
    assert.equal(fellBack.session.stage, "awaitingGatewayOperator");
    assert.ok(types(fellBack.effects).includes("dmGatewayOperators:claimRequest"));
  });

  it("tells a second gateway operator that the role is taken", () => {
    const other = person("oscar", { gatewayOperator: true });
    const d = run(
      start("sharedToken"),
      { type: "claimGatewayOperator", actor: carol },
      { type: "claimGatewayOperator", actor: other },
    );
    assert.deepEqual(types(d.effects), ["notice:alreadyClaimed"]);
  });

  it("refuses credentials from anyone but the gateway operator who claimed", () => {
    const claimed = run(start("sharedToken"), {
      type: "claimGatewayOperator",
      actor: carol,
    }).session;
    const d = decide(claimed, submit(person("oscar", { gatewayOperator: true })), T0 + 5000);
    assert.equal(d.session, claimed);
    // Told who holds the request, not sent to the configuration: oscar has the role already.
    assert.deepEqual(types(d.effects), ["notice:alreadyClaimed"]);
  });

  it("refuses credentials from a gateway operator who lost the role since claiming", () => {
    const claimed = run(start("sharedToken"), {
      type: "claimGatewayOperator",
      actor: carol,
    }).session;
    const demoted = person("carol");
    assert.deepEqual(types(decide(claimed, submit(demoted), T0 + 5000).effects), [
      "notice:notAuthorized",
    ]);
  });

  it("keeps what was typed, but not the token, when a value is wrong", () => {
    const claimed = run(start("sharedToken"), {
      type: "claimGatewayOperator",
      actor: carol,
    }).session;
    const d = decide(
      claimed,
      {
        type: "submitCredentials",
        actor: carol,
        host: "https://gw.example.com",
        port: "99999",
        fingerprint: "abc",
        token: TOKEN,
      },
      T0 + 5000,
    );
    assert.equal(d.session.stage, "awaitingCredentials");
    assert.deepEqual(d.session.draft, {
      host: "https://gw.example.com",
      port: "99999",
      fingerprint: "abc",
    });
    assert.equal(d.session.secrets.token, undefined);
    const notice = d.effects[0];
    assert.ok(notice?.type === "notice");
    assert.deepEqual(
      notice.notice.problems?.map((p) => p.field),
      ["host", "port", "fingerprint"],
    );
  });

  it("probes the gateway before anything is sent", () => {
    const d = run(
      start("sharedToken"),
      { type: "claimGatewayOperator", actor: carol },
      submit(carol, `SHA256 Fingerprint=${FP.toUpperCase().match(/../g)?.join(":")}`),
    );
    assert.equal(d.session.stage, "preflight");
    assert.deepEqual(d.session.endpoint, { host: "gw.example.com", port: 18789, fingerprint: FP });
    assert.deepEqual(d.effects[0], { type: "probe", host: "gw.example.com", port: 18789 });
    assert.ok(!types(d.effects).some((t) => t.startsWith("dm:")));
  });

  it("does not send the credentials when the certificate seen differs, and tells the gateway operator", () => {
    const other = "f".repeat(64);
    const d = run(start("sharedToken"), { type: "claimGatewayOperator", actor: carol }, submit(), {
      type: "preflightDone",
      result: { ok: true, fingerprint: other, at: T0 },
    });
    assert.equal(d.session.stage, "awaitingCredentials");
    assert.deepEqual(d.session.preflight, {
      ok: false,
      problem: "fingerprintMismatch",
      seenFingerprint: other,
      at: T0,
    });
    assert.deepEqual(types(d.effects), ["dm:preflightFailed", "card"]);
    assert.deepEqual(d.effects[0], {
      type: "dm",
      to: { platform: "console", id: "carol", name: "carol" },
      message: "preflightFailed",
      inPlace: true,
    });
  });

  it("refuses a double submit while the probe runs", () => {
    const probing = run(
      start("sharedToken"),
      { type: "claimGatewayOperator", actor: carol },
      submit(),
    ).session;
    const d = decide(probing, submit(), T0 + 9000);
    assert.equal(d.session, probing);
    assert.deepEqual(types(d.effects), ["notice:probing"]);
  });

  it("sends the credentials privately after a matching probe", () => {
    const d = run(start("sharedToken"), { type: "claimGatewayOperator", actor: carol }, submit(), {
      type: "preflightDone",
      result: { ok: true, fingerprint: FP, at: T0 },
    });
    assert.equal(d.session.stage, "credentialsSent");
    // The gateway operator hears the outcome too, after the node operator's message (which it reports on).
    assert.deepEqual(types(d.effects), ["dm:credentials", "card", "dm:preflightPassed"]);
    assert.deepEqual(d.effects[2], {
      type: "dm",
      to: { platform: "console", id: "carol", name: "carol" },
      message: "preflightPassed",
      inPlace: true,
    });
  });

  it("walks both approval stages, telling the node operator to re-run in between", () => {
    let s = sharedTokenUntilCredentialsSent();
    let d = decide(s, pairing, T0 + 10_000);
    assert.equal(d.session.stage, "devicePairingPending");
    assert.deepEqual(types(d.effects), ["card", "dmApprovers:devicePairingApproval"]);
    const click = press(d.session, "approveDevice", alice);
    d = decide(d.session, click, T0 + 11_000);
    assert.deepEqual(types(d.effects), [
      "gateway:approveDevice",
      "card",
      "refreshDms:devicePairingApproval",
      "notice:approved",
    ]);
    const doubleClick = decide(d.session, click, T0 + 11_500);
    assert.deepEqual(types(doubleClick.effects), ["notice:alreadyApproved"]);
    d = decide(
      d.session,
      { type: "deviceResolved", requestId: "req-1", approved: true },
      T0 + 12_000,
    );
    assert.equal(d.session.stage, "awaitingRerun");
    d = decide(d.session, { type: "tick" }, T0 + 12_000 + RERUN_GRACE_MS);
    assert.deepEqual(types(d.effects), ["dm:rerun", "card"]);
    d = decide(d.session, capability, T0 + 20_000);
    assert.equal(d.session.stage, "capabilityPending");
    d = decide(d.session, press(d.session, "approveCapability", dave), T0 + 21_000);
    assert.ok(types(d.effects).includes("gateway:approveCapability"));
    d = decide(
      d.session,
      { type: "capabilityResolved", requestId: "cap-1", approved: true },
      T0 + 22_000,
    );
    assert.equal(d.session.stage, "verifying");
    s = decide(d.session, { type: "nodeConnected", nodeId: "dev-1" }, T0 + 23_000).session;
    assert.equal(s.stage, "connected");
    assert.deepEqual(s.secrets, {});
    assert.deepEqual(
      s.decisions.map((x) => [x.step, x.approved]),
      [
        ["device", true],
        ["capability", true],
      ],
    );
  });

  it("notices an approval made in the WebUI and follows it", () => {
    const pending = decide(sharedTokenUntilCredentialsSent(), pairing, T0 + 10_000).session;
    const d = decide(
      pending,
      { type: "deviceResolved", requestId: "req-1", approved: true },
      T0 + 11_000,
    );
    assert.equal(d.session.stage, "awaitingRerun");
    assert.equal(d.session.decisions.at(-1)?.by, "elsewhere");
  });

  it("fails when the device is rejected", () => {
    const pending = decide(sharedTokenUntilCredentialsSent(), pairing, T0 + 10_000).session;
    const d = run(pending, press(pending, "rejectDevice", alice), {
      type: "deviceResolved",
      requestId: "req-1",
      approved: false,
    });
    assert.equal(d.session.stage, "failed");
    assert.equal(d.session.failure?.reason, "deviceRejected");
  });

  it("takes an approval back when the gateway action fails, so it can be retried", () => {
    const pending = decide(sharedTokenUntilCredentialsSent(), pairing, T0 + 10_000).session;
    const click = press(pending, "approveDevice", alice);
    const failed = run(pending, click, {
      type: "gatewayFailed",
      action: "approveDevice",
      problem: "notConnected",
      message: "gateway closed (1006)",
    });
    assert.equal(failed.session.stage, "devicePairingPending");
    assert.equal(failed.session.lastError, "notConnected");
    const detail = failed.effects.find((e) => e.type === "notice");
    assert.equal(detail?.type === "notice" && detail.to.id, "alice", "the approver who clicked");
    assert.equal(detail?.type === "notice" && detail.notice.params?.error, "gateway closed (1006)");
    const retry = decide(failed.session, click, T0 + 60_000);
    assert.ok(types(retry.effects).includes("gateway:approveDevice"));
  });

  it("accepts a capability request straight after the credentials (a node paired silently)", () => {
    assert.equal(
      decide(sharedTokenUntilCredentialsSent(), capability, T0 + 10_000).session.stage,
      "capabilityPending",
    );
  });

  it("asks the gateway operator to confirm autofilled values before sending anything", () => {
    const claimed = run(start("sharedToken"), {
      type: "claimGatewayOperator",
      actor: carol,
    }).session;
    const d = decide(
      claimed,
      { type: "autofilled", host: "gw.example.com", port: 18789, fingerprint: FP, token: TOKEN },
      T0 + 5000,
    );
    assert.equal(d.session.stage, "awaitingCredentials");
    assert.deepEqual(types(d.effects), ["dm:confirmCredentials"]);
    const confirmed = decide(d.session, { type: "confirmCredentials", actor: carol }, T0 + 6000);
    assert.equal(confirmed.session.stage, "preflight");
  });
});

describe("any stage", () => {
  it("expires after its time and drops every secret", () => {
    const s = sharedTokenUntilCredentialsSent();
    assert.equal(decide(s, { type: "tick" }, s.expiresAt - 1).session, s);
    const d = decide(s, { type: "tick" }, s.expiresAt);
    assert.equal(d.session.stage, "expired");
    assert.deepEqual(d.session.secrets, {});
    assert.ok(types(d.effects).includes("refreshDms:credentials"));
  });

  it("lets the requester, the node operator or an approver cancel, but not a stranger", () => {
    assert.deepEqual(types(run(start(), { type: "cancel", actor: eve }).effects), [
      "notice:cancelNotYours",
    ]);
    for (const actor of [bob, alice])
      assert.equal(run(start(), { type: "cancel", actor }).session.stage, "cancelled");
  });

  it("answers events after the end with a reason instead of changing anything", () => {
    const cancelled = run(start(), { type: "cancel", actor: bob }).session;
    const d = decide(cancelled, { type: "approveRequest", actor: alice }, T0 + 99_000);
    assert.equal(d.session, cancelled);
    assert.deepEqual(d.effects, [
      {
        type: "notice",
        to: { platform: "console", id: "alice", name: "alice" },
        notice: { key: "sessionOver", params: { stage: "cancelled" } },
      },
    ]);
    assert.equal(decide(cancelled, { type: "nodeConnected" }, T0).session, cancelled);
  });

  it("shows the node operator their credentials privately when their DMs were closed", () => {
    const sent = sharedTokenUntilCredentialsSent();
    const closed = decide(
      sent,
      { type: "dmUndeliverable", message: "credentials" },
      T0 + 5000,
    ).session;
    assert.deepEqual(closed.undelivered, ["credentials"]);
    assert.deepEqual(types(decide(closed, { type: "reveal", actor: bob }, T0 + 6000).effects), [
      "reply",
    ]);
    assert.deepEqual(types(decide(closed, { type: "reveal", actor: eve }, T0 + 6000).effects), [
      "notice:forSomeoneElse",
    ]);
  });

  it("remembers each person's language", () => {
    const zh = { ...alice, lang: "zh-CN" as const };
    const d = decide(start(), { type: "approveRequest", actor: zh }, T0 + 1000);
    assert.equal(d.session.langs["console:alice"], "zh-CN");
  });

  it("notes the last diagnosis on the card", () => {
    const d = decide(
      sharedTokenUntilCredentialsSent(),
      { type: "diagnosed", actor: bob, code: "FINGERPRINT_MISMATCH" },
      T0 + 5000,
    );
    assert.equal(d.session.lastDiagnosis?.code, "FINGERPRINT_MISMATCH");
  });
});

describe("a click approves exactly what its message showed", () => {
  const second = (request: Partial<PairingRequest> = {}): Event => ({
    type: "devicePairingRequested",
    request: {
      requestId: "req-2",
      deviceId: "dev-2",
      displayName: "build-1",
      remoteIp: "203.0.113.66",
      seenAt: T0 + 12_000,
      ...request,
    },
  });
  const pending = () => decide(sharedTokenUntilCredentialsSent(), pairing, T0 + 10_000).session;

  it("refuses a click on a device request that another device's request replaced, and asks the approvers anew", () => {
    const first = pending();
    const click = press(first, "approveDevice", alice);
    const replaced = decide(first, second(), T0 + 12_000);
    assert.equal(replaced.session.pairingRequest?.requestId, "req-2");
    assert.deepEqual(types(replaced.effects), [
      "card",
      "refreshDms:devicePairingApproval",
      "dmApprovers:devicePairingApproval",
    ]);
    const d = decide(replaced.session, click, T0 + 13_000);
    assert.equal(d.session, replaced.session);
    assert.deepEqual(types(d.effects), ["notice:replaced"]);
    // The request that is pending now is approved from its own message only.
    const fresh = decide(
      replaced.session,
      press(replaced.session, "approveDevice", alice),
      T0 + 14_000,
    );
    assert.deepEqual(
      fresh.effects.filter((e) => e.type === "gateway"),
      [{ type: "gateway", action: "approveDevice", requestId: "req-2" }],
    );
  });

  it("refuses a click that names no request, or one never shown", () => {
    const s = pending();
    for (const shown of [undefined, "AAAAAAAAAAAAAAAA"]) {
      const d = decide(
        s,
        { type: "approveDevice", actor: alice, ...(shown ? { shown } : {}) },
        T0 + 11_000,
      );
      assert.deepEqual(types(d.effects), ["notice:replaced"]);
    }
  });

  it("treats the same device from another address as another request", () => {
    const first = pending();
    const click = press(first, "approveDevice", alice);
    const moved = decide(first, second({ deviceId: "dev-1" }), T0 + 12_000).session;
    assert.deepEqual(types(decide(moved, click, T0 + 13_000).effects), ["notice:replaced"]);
  });

  it("shows the approvers that a different device asks under the same name, and marks the old message replaced", () => {
    const replaced = decide(pending(), second(), T0 + 12_000).session;
    const fresh = JSON.stringify(dmView("devicePairingApproval", replaced, "en", { now: T0 }));
    assert.match(
      fresh,
      /A different device, from 203\.0\.113\.66, asks under the same name “build-1”/,
    );
    assert.match(fresh, /from 10\.0\.0\.2/);
    const drawnFor = shownSubject("devicePairingApproval", pending());
    const old = dmView("devicePairingApproval", replaced, "en", { now: T0 }, drawnFor);
    assert.deepEqual(old.buttons, []);
    assert.match(JSON.stringify(old), /was replaced by a newer one/);
    assert.match(JSON.stringify(old), /10\.0\.0\.2/);
  });

  it("warns of a different device asking after the first was approved, without calling the decided message replaced", () => {
    const first = pending();
    const drawnFor = shownSubject("devicePairingApproval", first);
    const approved = run(first, press(first, "approveDevice", alice), {
      type: "deviceResolved",
      requestId: "req-1",
      approved: true,
    }).session;
    assert.equal(approved.stage, "awaitingRerun");
    const later = decide(approved, second({ seenAt: T0 + 20_000 }), T0 + 20_000).session;
    assert.equal(later.stage, "devicePairingPending");
    const fresh = JSON.stringify(dmView("devicePairingApproval", later, "en", { now: T0 }));
    assert.match(fresh, /A different device, from 203\.0\.113\.66/);
    const old = dmView("devicePairingApproval", later, "en", { now: T0 }, drawnFor);
    assert.deepEqual(old.buttons, []);
    assert.match(JSON.stringify(old), /This request was decided\. A newer one/);
  });

  it("carries an approval over to a retry of the same device from the same address (a new requestId)", () => {
    const first = pending();
    const approved = decide(first, press(first, "approveDevice", alice), T0 + 11_000).session;
    const retry = decide(
      approved,
      second({ deviceId: "dev-1", remoteIp: "10.0.0.2", requestId: "req-1b" }),
      T0 + 12_000,
    );
    assert.equal(retry.session.pairingRequest?.requestId, "req-1b");
    assert.deepEqual(
      retry.effects.filter((e) => e.type === "gateway"),
      [{ type: "gateway", action: "approveDevice", requestId: "req-1b" }],
    );
    assert.ok(!types(retry.effects).includes("dmApprovers:devicePairingApproval"));
    // A retry before anyone decided: the same message still approves it, now under the new requestId.
    const retried = decide(
      first,
      second({ deviceId: "dev-1", remoteIp: "10.0.0.2", requestId: "req-1b" }),
      T0 + 12_000,
    ).session;
    const click = decide(retried, press(first, "approveDevice", alice), T0 + 13_000);
    assert.deepEqual(
      click.effects.filter((e) => e.type === "gateway"),
      [{ type: "gateway", action: "approveDevice", requestId: "req-1b" }],
    );
  });

  it("refuses a click on a narrow command set once the node asks for more", () => {
    const narrow: Event = {
      type: "capabilityRequested",
      request: { requestId: "cap-1", nodeId: "dev-1", commands: ["system.which"], seenAt: T0 },
    };
    const wide: Event = {
      type: "capabilityRequested",
      request: {
        requestId: "cap-2",
        nodeId: "dev-1",
        commands: ["system.which", "system.run"],
        seenAt: T0,
      },
    };
    const s = decide(sharedTokenUntilCredentialsSent(), narrow, T0 + 10_000).session;
    const click = press(s, "approveCapability", dave);
    const widened = decide(s, wide, T0 + 11_000);
    assert.ok(types(widened.effects).includes("dmApprovers:capabilityApproval"));
    const d = decide(widened.session, click, T0 + 12_000);
    assert.deepEqual(types(d.effects), ["notice:replaced"]);
    assert.ok(!d.effects.some((e) => e.type === "gateway"));
  });

  it("keeps a capability approval for a retry with the same commands in another order", () => {
    const s = decide(sharedTokenUntilCredentialsSent(), capability, T0 + 10_000).session;
    const click = press(s, "approveCapability", dave);
    const retry = decide(
      s,
      {
        type: "capabilityRequested",
        request: {
          requestId: "cap-1b",
          nodeId: "dev-1",
          commands: ["system.run", "system.run"],
          seenAt: T0,
        },
      },
      T0 + 11_000,
    ).session;
    const d = decide(retry, click, T0 + 12_000);
    assert.deepEqual(
      d.effects.filter((e) => e.type === "gateway"),
      [{ type: "gateway", action: "approveCapability", requestId: "cap-1b" }],
    );
  });
});

describe("time decides, not the next tick", () => {
  it("refuses an approval that arrives after the session expired, before any tick noticed", () => {
    const s = start();
    const late = decide(s, { type: "approveRequest", actor: alice }, s.expiresAt + 4_000);
    assert.equal(late.session.stage, "expired");
    assert.ok(!late.effects.some((e) => e.type === "gateway"), "no link is minted");
    assert.ok(types(late.effects).includes("notice:sessionOver"));
    assert.equal(late.session.version, s.version + 1);
  });

  it("expires an unused setup link before a late press on it", () => {
    const sent = run(
      start(),
      { type: "approveRequest", actor: alice },
      {
        type: "setupCodeMinted",
        setupId: "set-1",
        code: new Secret("code"),
        expiresAt: T0 + 600_000,
      },
    ).session;
    const d = decide(sent, { type: "reveal", actor: bob }, T0 + 600_000);
    assert.equal(d.session.stage, "linkExpired");
    assert.deepEqual(d.session.secrets, {});
    assert.ok(types(d.effects).includes("notice:nothingToReveal"));
  });
});

describe("closed private messages", () => {
  it("records that the node operator saw what could not be sent, once, and a new link waits again", () => {
    const sent = run(
      start(),
      { type: "approveRequest", actor: alice },
      { type: "setupCodeMinted", setupId: "set-1", code: TOKEN, expiresAt: T0 + 600_000 },
      { type: "dmUndeliverable", message: "setupLink" },
    ).session;
    const seen = decide(sent, { type: "revealed", message: "setupLink" }, T0 + 10_000);
    assert.deepEqual(seen.session.revealed, ["setupLink"]);
    assert.deepEqual(types(seen.effects), ["card"]);
    assert.equal(
      decide(seen.session, { type: "revealed", message: "setupLink" }, T0 + 11_000).session,
      seen.session,
    );
    // A message that was delivered needs no such record.
    const delivered = run(
      start(),
      { type: "approveRequest", actor: alice },
      { type: "setupCodeMinted", setupId: "set-1", code: TOKEN, expiresAt: T0 + 600_000 },
    ).session;
    assert.equal(
      decide(delivered, { type: "revealed", message: "setupLink" }, T0 + 10_000).session,
      delivered,
    );
    // A new link is a new message: it has not been seen yet.
    const reissued = run(seen.session, { type: "tick" });
    const expired = decide(reissued.session, { type: "tick" }, T0 + 601_000).session;
    const again = run(
      expired,
      { type: "reissueLink", actor: alice },
      { type: "setupCodeMinted", setupId: "set-2", code: TOKEN, expiresAt: T0 + 1_300_000 },
    ).session;
    assert.deepEqual(again.revealed ?? [], []);
  });
});

describe("the re-run step, only when the node has really paused", () => {
  const APPROVED_AT = T0 + 12_000;
  const resolved: Event = { type: "deviceResolved", requestId: "req-1", approved: true };
  /** The device approved at APPROVED_AT, as the gateway reports it. */
  function approved(): Session {
    const pending = decide(sharedTokenUntilCredentialsSent(), pairing, T0 + 10_000).session;
    const clicked = decide(pending, press(pending, "approveDevice", alice), T0 + 11_000).session;
    return decide(clicked, resolved, APPROVED_AT).session;
  }
  const rerunText = (s: Session, lang: "en" | "zh-CN" = "en") =>
    JSON.stringify(dmView("rerun", s, lang, { now: APPROVED_AT }));

  it("does not tell the node operator to re-run at the approval, and falls due a few seconds later", () => {
    const pending = decide(sharedTokenUntilCredentialsSent(), pairing, T0 + 10_000).session;
    const clicked = decide(pending, press(pending, "approveDevice", alice), T0 + 11_000).session;
    const d = decide(clicked, resolved, APPROVED_AT);
    assert.equal(d.session.stage, "awaitingRerun");
    assert.deepEqual(types(d.effects), [
      "card",
      "refreshDms:devicePairingApproval",
      "dm:requestApproved",
    ]);
    assert.equal(dueAt(d.session), APPROVED_AT + RERUN_GRACE_MS);
    // Meanwhile the card says what is true: the node may still carry on.
    const card = JSON.stringify(cardView(d.session, "en", { now: APPROVED_AT }));
    assert.match(card, /Waiting a few seconds for the node to carry on by itself/);
    assert.doesNotMatch(card, /must run the node command again/);
  });

  it("tells the node operator to re-run once the node has not come back in time, once", () => {
    const s = approved();
    const early = decide(s, { type: "tick" }, APPROVED_AT + RERUN_GRACE_MS - 1);
    assert.equal(early.session, s);
    assert.deepEqual(early.effects, []);
    const d = decide(s, { type: "tick" }, APPROVED_AT + RERUN_GRACE_MS);
    assert.equal(d.session.stage, "awaitingRerun");
    assert.deepEqual(types(d.effects), ["dm:rerun", "card"]);
    assert.equal(dueAt(d.session), d.session.expiresAt);
    assert.match(
      JSON.stringify(cardView(d.session, "en", { now: APPROVED_AT })),
      /bob must run the node command again/,
    );
    const again = decide(d.session, { type: "tick" }, APPROVED_AT + 2 * RERUN_GRACE_MS);
    assert.equal(again.session, d.session);
  });

  it("never sends the re-run message when the node carries on by itself", () => {
    for (const [event, stage] of [
      [capability, "capabilityPending"],
      [{ type: "nodeConnected", nodeId: "dev-1" } as Event, "connected"],
    ] as const) {
      // Even when its request lands after the grace time, before a tick: it shows the node carried on.
      for (const at of [APPROVED_AT + 1500, APPROVED_AT + RERUN_GRACE_MS + 1000]) {
        const d = decide(approved(), event, at);
        assert.equal(d.session.stage, stage);
        assert.ok(!types(d.effects).some((e) => e.endsWith(":rerun")), `${event.type} at ${at}`);
        assert.equal(d.session.rerunDueAt, undefined);
        const later = decide(d.session, { type: "tick" }, at + RERUN_GRACE_MS);
        assert.ok(!types(later.effects).includes("dm:rerun"));
      }
    }
  });

  it("edits the re-run message away when the node comes back after it was sent", () => {
    const told = decide(approved(), { type: "tick" }, APPROVED_AT + RERUN_GRACE_MS).session;
    assert.match(rerunText(told), /stop it \(Ctrl\+C\)/);
    const d = decide(told, capability, APPROVED_AT + 20_000);
    assert.equal(d.session.stage, "capabilityPending");
    assert.ok(types(d.effects).includes("refreshDms:rerun"));
    const edited = rerunText(d.session);
    assert.match(edited, /Not needed any more: the node reached the gateway again/);
    assert.doesNotMatch(edited, /Ctrl\+C|openclaw node run/);
    assert.match(rerunText(d.session, "zh-CN"), /已不再需要/);

    const connected = decide(
      told,
      { type: "nodeConnected", nodeId: "dev-1" },
      APPROVED_AT + 20_000,
    );
    assert.ok(types(connected.effects).includes("refreshDms:rerun"));
    assert.match(rerunText(connected.session), /Not needed any more/);
    const cancelled = decide(told, { type: "cancel", actor: bob }, APPROVED_AT + 20_000);
    assert.ok(types(cancelled.effects).includes("refreshDms:rerun"));
    assert.match(rerunText(cancelled.session), /This handshake has ended/);
  });

  it("repeats the node command in the re-run message, without the token", () => {
    const told = decide(approved(), { type: "tick" }, APPROVED_AT + RERUN_GRACE_MS).session;
    for (const lang of ["en", "zh-CN"] as const) {
      const view = dmView("rerun", told, lang, { now: APPROVED_AT });
      const code = view.blocks.filter((b) => b.kind === "code").map((b) => b.text);
      assert.equal(code.length, 2);
      const [posix, powershell] = code as [string, string];
      assert.match(
        posix,
        new RegExp(
          `openclaw node run --host 'gw.example.com' --port 18789 --tls --tls-fingerprint '${FP}' --display-name='build-1'`,
        ),
      );
      assert.match(powershell, /openclaw node run --host 'gw.example.com' --port 18789 --tls/);
      const json = JSON.stringify(view);
      assert.ok(!json.includes(TOKEN.reveal()), "the re-run message repeats the token");
      assert.doesNotMatch(json, /OPENCLAW_GATEWAY_TOKEN=|OPENCLAW_GATEWAY_TOKEN = /);
    }
  });
});
