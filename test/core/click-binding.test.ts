// The property behind every approval button: for any interleaving of gateway requests, message edits and clicks (on
// any version of any message an approver was ever sent), an approval reaches the gateway only for a request whose
// details were in the message the approver clicked.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { eventFor } from "../../src/core/actions.ts";
import { decide, open } from "../../src/core/machine.ts";
import { Secret } from "../../src/core/secret.ts";
import { shownSubject } from "../../src/core/subject.ts";
import type { DmKind, Effect, Event, Session } from "../../src/core/types.ts";
import type { MessageView } from "../../src/core/view.ts";
import { dmView } from "../../src/core/views.ts";
import { alice, bob, carol, dave } from "../support/actors.ts";

const T0 = 1_700_000_000_000;
const FP = "85544cd42bcfa0b15e50c3f0f6f0b274d89f4ed292119918494290fad3582ea7";
const APPROVERS = [alice, dave];

/** Devices that may ask under the session's name: the node itself, another machine, the node from elsewhere. */
const DEVICES = [
  { deviceId: "dev-a", remoteIp: "10.77.0.2" },
  { deviceId: "dev-b", remoteIp: "203.0.113.66" },
  { deviceId: "dev-a", remoteIp: "198.51.100.7" },
];
const COMMAND_SETS = [["system.which"], ["system.which", "system.run"], ["system.run"]];

type Step =
  | { kind: "device"; device: number; request: number }
  | { kind: "capability"; node: number; commands: number; request: number }
  | { kind: "resolved"; approved: boolean }
  /** Approver `who` presses button `button` on version `version` of message `message` they were sent. */
  | { kind: "click"; who: number; message: number; version: number; button: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant("device" as const),
    device: fc.nat({ max: DEVICES.length - 1 }),
    request: fc.nat({ max: 3 }),
  }),
  fc.record({
    kind: fc.constant("capability" as const),
    node: fc.nat({ max: 1 }),
    commands: fc.nat({ max: COMMAND_SETS.length - 1 }),
    request: fc.nat({ max: 3 }),
  }),
  fc.record({ kind: fc.constant("resolved" as const), approved: fc.boolean() }),
  fc.record({
    kind: fc.constant("click" as const),
    who: fc.nat({ max: APPROVERS.length - 1 }),
    message: fc.nat({ max: 20 }),
    version: fc.nat({ max: 20 }),
    button: fc.nat({ max: 3 }),
  }),
);

/** One private message to one approver, with every version they were shown (the first, then each edit). */
interface Sent {
  to: number;
  kind: DmKind;
  drawnFor: string | undefined;
  versions: MessageView[];
}

/** What a message shows of a request: its device and address, or its node's commands, as written in its fields. */
function shownDetails(view: MessageView): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const block of view.blocks) if (block.kind === "field") fields[block.label] = block.value;
  return fields;
}

function sharedTokenAtCredentialsSent(): Session {
  let s = open(
    {
      id: "s1",
      mode: "sharedToken",
      channel: { platform: "console", id: "team" },
      displayName: "build-1",
      requester: bob,
      ttlMs: 24 * 3_600_000,
      allowSelfApproval: false,
    },
    T0,
  ).session;
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

describe("approval buttons, on any interleaving of requests and clicks", () => {
  it("send the gateway an approval only for a request whose details the clicked message showed", () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        let s = sharedTokenAtCredentialsSent();
        let now = T0 + 1000;
        const sent: Sent[] = [];
        const deliver = (after: Session, effects: Effect[]) => {
          for (const effect of effects) {
            if (effect.type === "dmApprovers")
              for (const to of APPROVERS.keys())
                sent.push({
                  to,
                  kind: effect.message,
                  drawnFor: shownSubject(effect.message, after),
                  versions: [dmView(effect.message, after, "en", { now })],
                });
            if (effect.type === "refreshDms")
              for (const m of sent.filter((x) => x.kind === effect.message))
                m.versions.push(dmView(m.kind, after, "en", { now }, m.drawnFor));
          }
        };
        /** The messages approvers acted on: an approval may be carried over to a retry of what they showed. */
        const approvedViews: MessageView[] = [];
        for (const st of steps) {
          now += 1000;
          let event: Event;
          let clicked: MessageView | undefined;
          if (st.kind === "device") {
            const d = DEVICES[st.device] as (typeof DEVICES)[number];
            event = {
              type: "devicePairingRequested",
              request: {
                requestId: `req-${st.request}`,
                ...d,
                displayName: "build-1",
                seenAt: now,
              },
            };
          } else if (st.kind === "capability") {
            event = {
              type: "capabilityRequested",
              request: {
                requestId: `cap-${st.request}`,
                nodeId: DEVICES[st.node]?.deviceId as string,
                commands: COMMAND_SETS[st.commands] as string[],
                seenAt: now,
              },
            };
          } else if (st.kind === "resolved") {
            const device = s.stage === "devicePairingPending";
            const request = device ? s.pairingRequest : s.capabilityApproval;
            if (!request) continue;
            event = {
              type: device ? "deviceResolved" : "capabilityResolved",
              requestId: request.requestId,
              approved: st.approved,
            };
          } else {
            const mine = sent.filter((m) => m.to === st.who);
            const message = mine[st.message % Math.max(1, mine.length)];
            if (!message) continue;
            clicked = message.versions[st.version % message.versions.length] as MessageView;
            const buttons = clicked.buttons.filter((b) => b.kind === "action");
            const button = buttons[st.button % Math.max(1, buttons.length)];
            if (button?.kind !== "action") continue;
            event = eventFor(button.action, APPROVERS[st.who] as typeof alice, button.target);
          }
          const d = decide(s, event, now);
          for (const effect of d.effects) {
            if (effect.type !== "gateway" || !("requestId" in effect)) continue;
            if (!effect.action.startsWith("approve")) continue;
            const device = effect.action === "approveDevice";
            const pendingNow = device ? d.session.pairingRequest : d.session.capabilityApproval;
            // The action names the request pending at that moment…
            assert.equal(effect.requestId, pendingNow?.requestId);
            // …and an approver was shown exactly its details: on the message clicked now, or (a retry of the same
            // device or node, carried over) on the one clicked before.
            const views = clicked ? [clicked] : approvedViews;
            const details = device
              ? {
                  "Device id": d.session.pairingRequest?.deviceId,
                  "Connecting from": d.session.pairingRequest?.remoteIp,
                }
              : {
                  "Commands asked for": [...new Set(d.session.capabilityApproval?.commands)]
                    .sort()
                    .join(", "),
                };
            assert.ok(
              views.some((view) => {
                const shown = shownDetails(view);
                if (!device) {
                  const list = (shown["Commands asked for"] ?? "").split(", ");
                  return [...new Set(list)].sort().join(", ") === details["Commands asked for"];
                }
                return Object.entries(details).every(([label, value]) => shown[label] === value);
              }),
              `${effect.action} ${effect.requestId} was not what the approver was shown`,
            );
          }
          if (clicked && d.effects.some((e) => e.type === "gateway")) approvedViews.push(clicked);
          deliver(d.session, d.effects);
          s = d.session;
        }
      }),
      { numRuns: 1500 },
    );
  });
});
