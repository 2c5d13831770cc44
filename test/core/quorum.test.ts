// More than one yes, and no request forgotten: the quorum of distinct approvers at each approval step, the one reminder,
// the requester told privately, and the reason shown to everyone who judges the request.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { eventFor } from "../../src/core/actions.ts";
import { decide, dueAt, type open } from "../../src/core/machine.ts";
import { Secret } from "../../src/core/secret.ts";
import { capabilitySubject, deviceSubject, shownSubject } from "../../src/core/subject.ts";
import type { Actor, DmKind, Effect, Event, Session } from "../../src/core/types.ts";
import { userKey } from "../../src/core/types.ts";
import type { MessageView } from "../../src/core/view.ts";
import { cardView, dmView } from "../../src/core/views.ts";
import { alice, bob, carol, dave, person } from "../support/actors.ts";
import { press } from "../support/press.ts";
import { opened } from "../support/sessions.ts";

const T0 = 1_700_000_000_000;
const FP = "85544cd42bcfa0b15e50c3f0f6f0b274d89f4ed292119918494290fad3582ea7";
const MIN = 60_000;
const frank = person("frank", { approver: true }, "dm");
/** bob asks for the node and is an approver too: he never counts for his own request. */
const bobApprover = person("bob", { approver: true }, "dm");
const nico = person("nico"); // runs the node bob asked for

function start(
  extra: Partial<Parameters<typeof opened>[0]> = {},
  mode: Session["mode"] = "setupLink",
): Session {
  return opened({ ttlMs: 60 * MIN, approvalsRequired: 2, ...extra }, mode, T0);
}

function kinds(effects: Effect[]): string[] {
  return effects.map((e) =>
    e.type === "gateway"
      ? `gateway:${e.action}`
      : e.type === "dm" || e.type === "refreshDms" || e.type === "dmApprovers"
        ? `${e.type}:${e.message}`
        : e.type === "notice"
          ? `notice:${e.notice.key}`
          : e.type,
  );
}

const text = (view: MessageView) => JSON.stringify(view);

function atCredentialsSent(extra: Partial<Parameters<typeof open>[0]> = {}): Session {
  let s = start(extra, "sharedToken");
  for (const e of [
    { type: "claimGatewayOperator", actor: carol },
    {
      type: "submitCredentials",
      actor: carol,
      host: "gw.example.com",
      port: "18789",
      fingerprint: FP,
      token: new Secret("0123456789abcdef0123456789abcdef"),
    },
    { type: "preflightDone", result: { ok: true, fingerprint: FP, at: T0 } },
  ] as Event[])
    s = decide(s, e, T0).session;
  return s;
}

const deviceRequest = (requestId: string, deviceId: string, at: number): Event => ({
  type: "devicePairingRequested",
  request: { requestId, deviceId, remoteIp: "10.0.0.2", displayName: "build-1", seenAt: at },
});

describe("a quorum of approvers", () => {
  it("mints only once two distinct approvers approved, and shows how far it came", () => {
    let s = start();
    let d = decide(s, { type: "approveRequest", actor: alice }, T0 + 1000);
    assert.equal(d.session.stage, "awaitingApproval");
    assert.deepEqual(kinds(d.effects), [
      "card",
      "refreshDms:approvalRequest",
      "notice:approvalCounted",
    ]);
    s = d.session;
    assert.match(text(cardView(s, "en", { now: T0 + 1000 })), /1 of 2 approvals/);
    assert.match(text(dmView("approvalRequest", s, "en", { now: T0 + 1000 })), /1 of 2 approvals/);
    assert.match(text(cardView(s, "zh-CN", { now: T0 + 1000 })), /1\/2/);
    // The same approver again counts once; the requester never counts.
    d = decide(s, { type: "approveRequest", actor: alice }, T0 + 2000);
    assert.equal(d.session, s);
    assert.deepEqual(kinds(d.effects), ["notice:alreadyApproved"]);
    d = decide(s, { type: "approveRequest", actor: bobApprover }, T0 + 2000);
    assert.equal(d.session, s);
    assert.deepEqual(kinds(d.effects), ["notice:selfApproval"]);
    d = decide(s, { type: "approveRequest", actor: dave }, T0 + 3000);
    assert.equal(d.session.stage, "minting");
    assert.deepEqual(kinds(d.effects), [
      "gateway:mintSetupCode",
      "card",
      "refreshDms:approvalRequest",
      "notice:approved",
      "dm:requestApproved",
    ]);
    assert.match(
      text(dmView("requestApproved", d.session, "en", { now: T0 + 3000 })),
      /alice, dave/,
    );
  });

  it("ends at one rejection, and the requester hears it privately", () => {
    const s = decide(start(), { type: "approveRequest", actor: alice }, T0 + 1000).session;
    const d = decide(s, { type: "rejectRequest", actor: dave }, T0 + 2000);
    assert.equal(d.session.stage, "failed");
    assert.ok(kinds(d.effects).includes("dm:requestRejected"));
    assert.match(text(dmView("requestRejected", d.session, "en", { now: T0 })), /rejected by dave/);
  });

  it("keeps the device's approve buttons until the quorum, and sends the gateway one approval", () => {
    let s = decide(
      atCredentialsSent(),
      deviceRequest("req-1", "dev-a", T0 + 1000),
      T0 + 1000,
    ).session;
    let d = decide(s, press(s, "approveDevice", alice), T0 + 2000);
    assert.ok(!d.effects.some((e) => e.type === "gateway"));
    s = d.session;
    // dave still has the buttons, and is shown that one approval is in.
    const view = dmView("devicePairingApproval", s, "en", { now: T0 + 2000 });
    assert.match(text(view), /1 of 2 approvals/);
    d = decide(s, press(s, "approveDevice", dave), T0 + 3000);
    const actions = d.effects.filter((e) => e.type === "gateway");
    assert.deepEqual(kinds(actions), ["gateway:approveDevice"]);
    // The buttons are gone for everyone now.
    assert.deepEqual(dmView("devicePairingApproval", d.session, "en", { now: T0 }).buttons, []);
  });

  it("does not count an approval given for a request that was since replaced", () => {
    let s = decide(
      atCredentialsSent(),
      deviceRequest("req-1", "dev-a", T0 + 1000),
      T0 + 1000,
    ).session;
    s = decide(s, press(s, "approveDevice", alice), T0 + 2000).session;
    // Another device asks under the same name (its clock says earlier: only the subject tells them apart).
    s = decide(s, deviceRequest("req-2", "dev-b", T0 + 1500), T0 + 3000).session;
    const d = decide(s, press(s, "approveDevice", dave), T0 + 4000);
    assert.ok(!d.effects.some((e) => e.type === "gateway"));
    assert.deepEqual(kinds(d.effects).at(-1), "notice:approvalCounted");
    assert.match(text(cardView(d.session, "en", { now: T0 + 4000 })), /1 of 2 approvals/);
  });

  it("keeps the approvals of a retry of the same device, and re-sends the action for its new request id", () => {
    let s = decide(
      atCredentialsSent(),
      deviceRequest("req-1", "dev-a", T0 + 1000),
      T0 + 1000,
    ).session;
    s = decide(s, press(s, "approveDevice", alice), T0 + 2000).session;
    s = decide(s, deviceRequest("req-2", "dev-a", T0 + 2500), T0 + 2500).session;
    const d = decide(s, press(s, "approveDevice", dave), T0 + 3000);
    assert.deepEqual(
      d.effects.filter((e) => e.type === "gateway"),
      [{ type: "gateway", action: "approveDevice", requestId: "req-2" }],
    );
  });

  it("counts only people of the session's platform: one approver's second account elsewhere is no second yes", () => {
    // The same id on Telegram (or a Telegram approver's forged callback naming this Discord session) is not a
    // second approver: a session's people are on its own platform.
    const onDiscord = (a: Actor): Actor => ({ ...a, platform: "discord" });
    const onTelegram = (a: Actor): Actor => ({ ...a, platform: "telegram" });
    let s = start({ channel: { platform: "discord", id: "team" }, requester: onDiscord(bob) });
    s = decide(s, { type: "approveRequest", actor: onDiscord(alice) }, T0 + 1000).session;
    for (const actor of [onTelegram(alice), onTelegram(dave)]) {
      const d = decide(s, { type: "approveRequest", actor }, T0 + 2000);
      assert.equal(d.session, s);
      assert.deepEqual(kinds(d.effects), ["notice:notAuthorized"]);
      // Nor can they end it or take it away.
      for (const type of ["rejectRequest", "cancel"] as const)
        assert.equal(decide(s, { type, actor }, T0 + 2000).session, s);
    }
    assert.equal(
      decide(s, { type: "approveRequest", actor: onDiscord(dave) }, T0 + 3000).session.stage,
      "minting",
    );
  });

  it("takes back only the click that failed at the gateway", () => {
    let s = decide(
      atCredentialsSent(),
      deviceRequest("req-1", "dev-a", T0 + 1000),
      T0 + 1000,
    ).session;
    s = decide(s, press(s, "approveDevice", alice), T0 + 2000).session;
    s = decide(s, press(s, "approveDevice", dave), T0 + 3000).session;
    s = decide(
      s,
      { type: "gatewayFailed", action: "approveDevice", problem: "timeout", message: "timed out" },
      T0 + 4000,
    ).session;
    assert.deepEqual(
      s.decisions.map((x) => (x.by === "elsewhere" ? x.by : x.by.name)),
      ["alice"],
    );
    const d = decide(s, press(s, "approveDevice", dave), T0 + 5000);
    assert.deepEqual(kinds(d.effects.filter((e) => e.type === "gateway")), [
      "gateway:approveDevice",
    ]);
  });
});

describe("one reminder, and the time it waited", () => {
  it("reminds the approvers once after the set time, and the card says how long it has waited", () => {
    let s = start({ remindAfterMs: 10 * MIN });
    assert.equal(dueAt(s), T0 + 10 * MIN);
    assert.doesNotMatch(text(cardView(s, "en", { now: T0 })), /Waiting for approvers for/);
    let d = decide(s, { type: "tick" }, T0 + 10 * MIN - 1);
    assert.equal(d.session, s);
    d = decide(s, { type: "tick" }, T0 + 10 * MIN);
    assert.deepEqual(kinds(d.effects), ["dmApprovers:reminder", "card"]);
    s = d.session;
    assert.equal(dueAt(s), s.expiresAt);
    assert.equal(decide(s, { type: "tick" }, T0 + 20 * MIN).session, s);
    assert.match(
      text(cardView(s, "en", { now: T0 + 12 * MIN })),
      /Waiting for approvers for 12 min/,
    );
    assert.match(text(dmView("reminder", s, "en", { now: T0 + 10 * MIN })), /has waited 10 min/);
  });

  it("starts over for the device step, and forgets the reminder once nothing waits for the approvers", () => {
    let s = atCredentialsSent({ remindAfterMs: 10 * MIN });
    assert.equal(s.remindAt, undefined);
    s = decide(s, deviceRequest("req-1", "dev-a", T0 + MIN), T0 + MIN).session;
    assert.equal(dueAt(s), T0 + 11 * MIN);
    s = decide(s, press(s, "approveDevice", alice), T0 + 2 * MIN).session;
    s = decide(s, press(s, "approveDevice", dave), T0 + 3 * MIN).session;
    // Settled, waiting for the gateway only: nobody is reminded.
    assert.deepEqual(kinds(decide(s, { type: "tick" }, T0 + 11 * MIN).effects), []);
    s = decide(
      s,
      { type: "deviceResolved", requestId: "req-1", approved: true },
      T0 + 4 * MIN,
    ).session;
    assert.equal(s.remindAt, undefined);
  });
});

describe("the requester, told privately", () => {
  it("hears that the request expired, once", () => {
    const s = start();
    const d = decide(s, { type: "tick" }, s.expiresAt);
    assert.equal(d.session.stage, "expired");
    assert.deepEqual(
      d.effects.filter((e) => e.type === "dm"),
      [
        {
          type: "dm",
          to: { platform: "console", id: "bob", name: "bob" },
          message: "requestExpired",
        },
      ],
    );
    assert.deepEqual(decide(d.session, { type: "tick" }, s.expiresAt + 1).effects, []);
  });

  it("hears that the node connected when someone else runs it, and not twice when they run it", () => {
    const other = start({ nodeOperator: nico, approvalsRequired: 1 });
    let s = decide(other, { type: "approveRequest", actor: alice }, T0 + 1).session;
    s = decide(
      s,
      { type: "setupCodeMinted", setupId: "x", code: new Secret("c"), expiresAt: T0 + 10 * MIN },
      T0 + 2,
    ).session;
    let d = decide(s, { type: "nodeConnected" }, T0 + 3);
    assert.deepEqual(
      d.effects
        .filter((e) => e.type === "dm")
        .map((e) => (e.type === "dm" ? `${e.to.id}:${e.message}` : "")),
      ["nico:connected", "bob:requestConnected"],
    );
    s = decide(
      start({ approvalsRequired: 1 }),
      { type: "approveRequest", actor: alice },
      T0 + 1,
    ).session;
    s = decide(
      s,
      { type: "setupCodeMinted", setupId: "x", code: new Secret("c"), expiresAt: T0 + 10 * MIN },
      T0 + 2,
    ).session;
    d = decide(s, { type: "nodeConnected" }, T0 + 3);
    assert.deepEqual(
      d.effects
        .filter((e) => e.type === "dm")
        .map((e) => (e.type === "dm" ? `${e.to.id}:${e.message}` : "")),
      ["bob:connected"],
    );
  });

  it("is not told what they did themselves", () => {
    const self = start({ requester: bobApprover, allowSelfApproval: true, approvalsRequired: 1 });
    const d = decide(self, { type: "approveRequest", actor: bobApprover }, T0 + 1);
    assert.equal(d.session.stage, "minting");
    assert.ok(!d.effects.some((e) => e.type === "dm"));
    const no = decide(self, { type: "rejectRequest", actor: bobApprover }, T0 + 1);
    assert.equal(no.session.stage, "failed");
    assert.ok(!no.effects.some((e) => e.type === "dm"));
  });
});

describe("the reason", () => {
  it("is on the card and in every approval message", () => {
    const s = start({ reason: "runs the nightly builds" });
    assert.equal(s.reason, "runs the nightly builds");
    assert.match(text(cardView(s, "en", { now: T0 })), /Reason.*runs the nightly builds/);
    for (const kind of ["approvalRequest", "linkExpired", "reminder"] as DmKind[])
      assert.match(text(dmView(kind, s, "en", { now: T0 })), /runs the nightly builds/, kind);
    let t = decide(
      atCredentialsSent({ reason: "runs the nightly builds" }),
      deviceRequest("r", "dev-a", T0),
      T0,
    ).session;
    assert.match(
      text(dmView("devicePairingApproval", t, "zh-CN", { now: T0 })),
      /理由.*runs the nightly builds/,
    );
    t = decide(
      t,
      {
        type: "capabilityRequested",
        request: { requestId: "c", nodeId: "dev-a", commands: ["system.which"], seenAt: T0 },
      },
      T0,
    ).session;
    assert.match(
      text(dmView("capabilityApproval", t, "en", { now: T0 })),
      /runs the nightly builds/,
    );
  });
});

/** Approvers who may count, the requester (an approver too, never counting), and nico who runs the node. */
const CLICKERS: Actor[] = [alice, dave, frank, bobApprover];
const DEVICES = ["dev-a", "dev-b"];
const COMMAND_SETS = [["system.which"], ["system.which", "system.run"]];

type Step =
  | { kind: "device"; device: number; request: number }
  | { kind: "capability"; commands: number; request: number }
  | { kind: "resolved"; approved: boolean }
  | { kind: "click"; who: number; message: number; button: number }
  | { kind: "tick"; minutes: number };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant("device" as const),
    device: fc.nat({ max: DEVICES.length - 1 }),
    request: fc.nat({ max: 3 }),
  }),
  fc.record({
    kind: fc.constant("capability" as const),
    commands: fc.nat({ max: COMMAND_SETS.length - 1 }),
    request: fc.nat({ max: 3 }),
  }),
  fc.record({ kind: fc.constant("resolved" as const), approved: fc.boolean() }),
  fc.record({
    kind: fc.constant("click" as const),
    who: fc.nat({ max: CLICKERS.length - 1 }),
    message: fc.nat({ max: 20 }),
    button: fc.nat({ max: 3 }),
  }),
  fc.record({ kind: fc.constant("tick" as const), minutes: fc.nat({ max: 15 }) }),
);

describe("a quorum, on any interleaving of requests, clicks and time", () => {
  it("sends the gateway an approval only once N distinct eligible approvers approved that same request", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }),
        fc.array(stepArb, { maxLength: 40 }),
        (n, steps) => {
          let s = atCredentialsSent({
            approvalsRequired: n,
            requester: bobApprover,
            remindAfterMs: 10 * MIN,
          });
          let now = T0 + 1000;
          // Every message an approver was sent, as last drawn, with the request it was drawn for.
          const sent: { to: number; kind: DmKind; drawnFor?: string; view: MessageView }[] = [];
          // The model: who approved which request (subject and when it was first seen), counted from accepted clicks.
          const approvals = new Map<string, Set<string>>();
          const pendingKey = (x: Session, device: boolean) => {
            const r = device ? x.pairingRequest : x.capabilityApproval;
            if (!r) return "";
            const subject = device
              ? deviceSubject(x.pairingRequest as NonNullable<Session["pairingRequest"]>)
              : capabilitySubject(
                  x.capabilityApproval as NonNullable<Session["capabilityApproval"]>,
                );
            return `${device}:${subject}:${r.seenAt}`;
          };
          for (const st of steps) {
            now += 1000;
            let event: Event;
            if (st.kind === "device")
              event = deviceRequest(`req-${st.request}`, DEVICES[st.device] as string, now);
            else if (st.kind === "capability")
              event = {
                type: "capabilityRequested",
                request: {
                  requestId: `cap-${st.request}`,
                  nodeId: "dev-a",
                  commands: COMMAND_SETS[st.commands] as string[],
                  seenAt: now,
                },
              };
            else if (st.kind === "resolved") {
              const device = s.stage === "devicePairingPending";
              const request = device ? s.pairingRequest : s.capabilityApproval;
              if (!request) continue;
              event = {
                type: device ? "deviceResolved" : "capabilityResolved",
                requestId: request.requestId,
                approved: st.approved,
              };
            } else if (st.kind === "tick") {
              now += st.minutes * MIN;
              event = { type: "tick" };
            } else {
              const mine = sent.filter((m) => m.to === st.who);
              const message = mine[st.message % Math.max(1, mine.length)];
              if (!message) continue;
              const buttons = message.view.buttons.filter((b) => b.kind === "action");
              const button = buttons[st.button % Math.max(1, buttons.length)];
              if (button?.kind !== "action") continue;
              event = eventFor(button.action, CLICKERS[st.who] as Actor, button.target);
            }
            const d = decide(s, event, now);
            if (
              d.session !== s &&
              (event.type === "approveDevice" || event.type === "approveCapability")
            ) {
              const key = pendingKey(s, event.type === "approveDevice");
              const who = approvals.get(key) ?? new Set<string>();
              who.add(userKey(event.actor));
              approvals.set(key, who);
            }
            for (const effect of d.effects) {
              if (effect.type !== "gateway" || !effect.action.startsWith("approve")) continue;
              const who = approvals.get(pendingKey(d.session, effect.action === "approveDevice"));
              assert.ok(who && who.size >= n, `${effect.action} with ${who?.size ?? 0} of ${n}`);
              assert.ok(!who.has(userKey(bobApprover)), "the requester counted");
            }
            for (const effect of d.effects) {
              if (effect.type === "dmApprovers" && effect.message !== "reminder")
                for (const to of CLICKERS.keys())
                  sent.push({
                    to,
                    kind: effect.message,
                    drawnFor: shownSubject(effect.message, d.session),
                    view: dmView(effect.message, d.session, "en", { now }),
                  });
              if (effect.type === "refreshDms")
                for (const m of sent.filter((x) => x.kind === effect.message))
                  m.view = dmView(m.kind, d.session, "en", { now }, m.drawnFor);
            }
            s = d.session;
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});
