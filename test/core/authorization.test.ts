import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { decide, open } from "../../src/core/machine.ts";
import { Secret } from "../../src/core/secret.ts";
import type { Actor, Event, Session } from "../../src/core/types.ts";
import { noticeText } from "../../src/core/views.ts";
import { person } from "../support/actors.ts";
import { press } from "../support/press.ts";

const T0 = 1_700_000_000_000;
const FP = "85544cd42bcfa0b15e50c3f0f6f0b274d89f4ed292119918494290fad3582ea7";
type Role = "requester" | "nodeOperator" | "gatewayOperator" | "approver" | "stranger";
const ROLES: Role[] = ["requester", "nodeOperator", "gatewayOperator", "approver", "stranger"];

/** The people of one configuration: `approversConfigured` false means nobody holds the approver role. */
function people(approversConfigured: boolean): Record<Role, Actor> {
  return {
    requester: person("rita", {}, "dm"),
    nodeOperator: person("nico", {}, "dm"),
    gatewayOperator: person("gabe", { gatewayOperator: true }, "dm"),
    approver: person("alma", { approver: approversConfigured }, "dm"),
    stranger: person("sam", {}, "dm"),
  };
}

function session(mode: Session["mode"], who: Record<Role, Actor>): Session {
  return open(
    {
      id: "m1",
      mode,
      channel: { platform: "console", id: "team" },
      displayName: "n",
      requester: who.requester,
      nodeOperator: who.nodeOperator,
      ttlMs: 3_600_000,
      allowSelfApproval: false,
    },
    T0,
  ).session;
}

function play(s: Session, events: Event[]): Session {
  return events.reduce((acc, e, i) => decide(acc, e, T0 + i + 1).session, s);
}

/** Each action, the stage it is tried in, and who may do it when approvers are configured. */
const ACTIONS: {
  action: string;
  allowed: Role[];
  setup: (who: Record<Role, Actor>) => Session;
  /** The event `actor` causes in `session` (for approvals: a press on the message it shows). */
  event: (actor: Actor, session: Session) => Event;
}[] = [
  {
    action: "claim",
    allowed: ["gatewayOperator"],
    setup: (w) => session("sharedToken", w),
    event: (actor) => ({ type: "claimGatewayOperator", actor }),
  },
  {
    action: "submit credentials",
    allowed: ["gatewayOperator"],
    setup: (w) =>
      play(session("sharedToken", w), [{ type: "claimGatewayOperator", actor: w.gatewayOperator }]),
    event: (actor) => ({
      type: "submitCredentials",
      actor,
      host: "gw.example.com",
      port: "",
      fingerprint: FP,
      token: new Secret("t0ken"),
    }),
  },
  {
    action: "approve (mint a setup link)",
    allowed: ["approver"],
    setup: (w) => session("setupLink", w),
    event: (actor) => ({ type: "approveRequest", actor }),
  },
  {
    action: "re-issue a setup link",
    allowed: ["approver"],
    setup: (w) => {
      const s = play(session("setupLink", w), [
        { type: "approveRequest", actor: person("ops", { approver: true }, "dm") },
        { type: "setupCodeMinted", setupId: "x", code: new Secret("c"), expiresAt: T0 + 10 },
      ]);
      return decide(s, { type: "tick" }, T0 + 20).session;
    },
    event: (actor) => ({ type: "reissueLink", actor }),
  },
  {
    action: "approve device",
    allowed: ["approver"],
    setup: (w) => pairingPending(w),
    event: (actor, s) => press(s, "approveDevice", actor),
  },
  {
    action: "approve capability",
    allowed: ["approver"],
    setup: (w) => capabilityPending(w),
    event: (actor, s) => press(s, "approveCapability", actor),
  },
  {
    action: "reject",
    allowed: ["approver"],
    setup: (w) => pairingPending(w),
    event: (actor, s) => press(s, "rejectDevice", actor),
  },
  {
    action: "cancel",
    allowed: ["requester", "nodeOperator", "gatewayOperator", "approver"],
    setup: (w) => pairingPending(w),
    event: (actor) => ({ type: "cancel", actor }),
  },
  {
    action: "diagnose",
    allowed: ROLES,
    setup: (w) => pairingPending(w),
    event: (actor) => ({ type: "diagnosed", actor, code: "PAIRING_REQUIRED" }),
  },
  {
    action: "reveal credentials",
    allowed: ["nodeOperator"],
    setup: (w) =>
      decide(pairingPending(w), { type: "dmUndeliverable", message: "credentials" }, T0 + 50)
        .session,
    event: (actor) => ({ type: "reveal", actor }),
  },
];

function credentialsSent(w: Record<Role, Actor>): Session {
  return play(session("sharedToken", w), [
    { type: "claimGatewayOperator", actor: w.gatewayOperator },
    {
      type: "submitCredentials",
      actor: w.gatewayOperator,
      host: "gw.example.com",
      port: "",
      fingerprint: FP,
      token: new Secret("t0ken"),
    },
    { type: "preflightDone", result: { ok: true, fingerprint: FP, at: T0 } },
  ]);
}
function pairingPending(w: Record<Role, Actor>): Session {
  return decide(
    credentialsSent(w),
    { type: "devicePairingRequested", request: { requestId: "r1", seenAt: T0 } },
    T0 + 10,
  ).session;
}
function capabilityPending(w: Record<Role, Actor>): Session {
  return decide(
    credentialsSent(w),
    {
      type: "capabilityRequested",
      request: { requestId: "c1", commands: ["system.run"], seenAt: T0 },
    },
    T0 + 10,
  ).session;
}

/** Allowed means the session moved on, or the person got the form or the private answer they asked for. */
function outcome(s: Session, event: Event): "allow" | "deny" {
  const d = decide(s, event, T0 + 100);
  if (d.session !== s) return "allow";
  return d.effects.some((e) => e.type === "form" || e.type === "reply") ? "allow" : "deny";
}

for (const approversConfigured of [true, false]) {
  describe(`who may do what, with ${approversConfigured ? "approvers configured" : "no approver configured (fail closed)"}`, () => {
    const who = people(approversConfigured);
    for (const { action, allowed, setup, event } of ACTIONS) {
      for (const role of ROLES) {
        const expected =
          allowed.includes(role) &&
          (approversConfigured || role !== "approver" || action === "diagnose")
            ? "allow"
            : "deny";
        it(`${expected === "allow" ? "lets" : "refuses"} the ${role} ${action}`, () => {
          const s = setup(who);
          assert.equal(outcome(s, event(who[role], s)), expected);
        });
      }
    }
  });
}

describe("approvals happen privately", () => {
  it("refuses an approver's click in the channel for every kind of approval", () => {
    const w = people(true);
    const inChannel = { ...w.approver, via: "channel" as const };
    const device = pairingPending(w);
    const capability = capabilityPending(w);
    for (const [s, e] of [
      [session("setupLink", w), { type: "approveRequest", actor: inChannel }],
      [device, press(device, "approveDevice", inChannel)],
      [capability, press(capability, "approveCapability", inChannel)],
    ] as [Session, Event][]) {
      const d = decide(s, e, T0 + 100);
      assert.equal(d.session, s);
      assert.deepEqual(
        d.effects.map((x) => (x.type === "notice" ? x.notice.key : x.type)),
        ["approveOnlyInDm"],
      );
    }
  });
});

/** The refusal `actor` gets for `event`: its notice key, and its English text. */
function refusalOf(s: Session, event: Event): { key: string; text: string } {
  const d = decide(s, event, T0 + 100);
  assert.equal(d.session, s, "a refusal changes nothing");
  const n = d.effects.find((e) => e.type === "notice");
  assert.ok(n && n.type === "notice", "the person is told why");
  return { key: n.notice.key, text: noticeText(n.notice, "en") };
}

describe("a refusal says why, and sends to the configuration only when a role is missing", () => {
  const w = people(true);
  const otherGatewayOperator = person("gwen", { gatewayOperator: true }, "dm");

  it("tells someone pressing another person's “Show my credentials” whose they are", () => {
    const s = decide(
      pairingPending(w),
      { type: "dmUndeliverable", message: "credentials" },
      T0,
    ).session;
    for (const actor of [w.stranger, w.approver, w.requester]) {
      const r = refusalOf(s, { type: "reveal", actor });
      assert.equal(r.key, "forSomeoneElse");
      assert.match(r.text, /for nico only/);
      assert.doesNotMatch(r.text, /configuration/);
    }
  });

  it("tells a second gateway operator who holds this request", () => {
    const s = play(session("sharedToken", w), [
      { type: "claimGatewayOperator", actor: w.gatewayOperator },
    ]);
    const r = refusalOf(s, {
      type: "submitCredentials",
      actor: otherGatewayOperator,
      host: "gw.example.com",
      port: "",
      fingerprint: FP,
      token: new Secret("t0ken"),
    });
    assert.match(r.text, /gabe is .*the gateway operator for this request/);
    assert.doesNotMatch(r.text, /configuration/);
  });

  it("tells a stranger who may cancel, by name", () => {
    const r = refusalOf(pairingPending(w), { type: "cancel", actor: w.stranger });
    assert.equal(r.key, "cancelNotYours");
    assert.match(r.text, /Only rita, nico, gabe or an approver can cancel/);
    assert.doesNotMatch(r.text, /configuration/);
  });

  it("keeps the configuration hint where a role is missing", () => {
    const claim = refusalOf(session("sharedToken", w), {
      type: "claimGatewayOperator",
      actor: w.stranger,
    });
    assert.equal(claim.key, "notAuthorized");
    assert.match(claim.text, /add you to the bot's configuration/);
    const s = pairingPending(w);
    const approve = refusalOf(s, press(s, "approveDevice", w.stranger));
    assert.equal(approve.key, "notAuthorized");
  });
});
