import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { auditRecords } from "../../src/core/audit.ts";
import { decide, open } from "../../src/core/machine.ts";
import { Secret } from "../../src/core/secret.ts";
import { shownSubject } from "../../src/core/subject.ts";
import type { Actor, Effect, Event, Session } from "../../src/core/types.ts";
import { GATEWAY_PROBLEMS, isTerminal } from "../../src/core/types.ts";
import { cardView, dmView } from "../../src/core/views.ts";
import { alice, bob, carol, dave, eve, inChannel, person } from "../support/actors.ts";

const T0 = 1_700_000_000_000;
const TOKEN = "tok_property_secret_4f3e2d1c0b";
const CODE = "setup_code_property_secret_9a8b7c";
const FP = "85544cd42bcfa0b15e50c3f0f6f0b274d89f4ed292119918494290fad3582ea7";

const actors: Actor[] = [
  bob,
  carol,
  alice,
  dave,
  eve,
  inChannel(alice),
  person("carol2", { gatewayOperator: true }, "dm"),
  { ...alice, lang: "zh-CN" },
];
const actor = fc.constantFrom(...actors);

/** What a failure says for the logs and the people who can fix it: setting names, stack traces, OpenClaw's words. */
const INTERNAL_TEXTS = [
  "the bot cannot reach the gateway: CLAWSHAKE_GATEWAY_PATH=none",
  "openclaw devices approve req-1 --json: unauthorized: gateway token mismatch (set OPENCLAW_GATEWAY_TOKEN)",
  "Error: spawn openclaw ENOENT\n    at ChildProcess._handle.onexit (node:internal/child_process:285:19)",
];
/** Traces of those texts: none of them may reach the channel. */
const INTERNAL = /CLAWSHAKE_|OPENCLAW_|ENOENT|\bat \S+ \(|node:internal|mismatch/;

/** Every kind of event, from every kind of person, with values good and bad. */
const event: fc.Arbitrary<Event> = fc.oneof(
  actor.map((a) => ({ type: "approveRequest", actor: a }) as Event),
  actor.map((a) => ({ type: "rejectRequest", actor: a }) as Event),
  actor.map((a) => ({ type: "reissueLink", actor: a }) as Event),
  actor.map((a) => ({ type: "claimGatewayOperator", actor: a }) as Event),
  actor.map((a) => ({ type: "openCredentialsForm", actor: a }) as Event),
  actor.map((a) => ({ type: "requestAutofill", actor: a }) as Event),
  actor.map((a) => ({ type: "confirmCredentials", actor: a }) as Event),
  fc
    .record({
      a: actor,
      fp: fc.constantFrom(FP, "zz", FP.toUpperCase()),
      host: fc.constantFrom("gw.example.com", "https://x", ""),
    })
    .map(
      ({ a, fp, host }) =>
        ({
          type: "submitCredentials",
          actor: a,
          host,
          port: "18789",
          fingerprint: fp,
          token: new Secret(TOKEN),
        }) as Event,
    ),
  fc.constant({
    type: "autofilled",
    host: "gw.example.com",
    port: 18789,
    fingerprint: FP,
    token: new Secret(TOKEN),
  } as Event),
  fc.boolean().map(
    (ok) =>
      ({
        type: "preflightDone",
        result: ok
          ? { ok: true, fingerprint: FP, at: T0 }
          : { ok: false, problem: "refused", at: T0 },
      }) as Event,
  ),
  fc.constant({
    type: "setupCodeMinted",
    setupId: "set-1",
    code: new Secret(CODE),
    expiresAt: T0 + 600_000,
  } as Event),
  fc.constant({ type: "setupCompleted", setupId: "set-1", deviceId: "dev-1" } as Event),
  fc.constant({
    type: "devicePairingRequested",
    request: { requestId: "req-1", deviceId: "dev-1", displayName: "n", seenAt: T0 },
  } as Event),
  fc
    .boolean()
    .map((approved) => ({ type: "deviceResolved", requestId: "req-1", approved }) as Event),
  actor.map((a) => ({ type: "approveDevice", actor: a }) as Event),
  actor.map((a) => ({ type: "approveDevice", actor: a, shown: "stale-or-forged" }) as Event),
  actor.map((a) => ({ type: "rejectDevice", actor: a }) as Event),
  fc.constant({
    type: "capabilityRequested",
    request: { requestId: "cap-1", nodeId: "dev-1", commands: ["system.run"], seenAt: T0 },
  } as Event),
  fc
    .boolean()
    .map((approved) => ({ type: "capabilityResolved", requestId: "cap-1", approved }) as Event),
  actor.map((a) => ({ type: "approveCapability", actor: a }) as Event),
  actor.map((a) => ({ type: "rejectCapability", actor: a }) as Event),
  fc.constant({ type: "nodeConnected", nodeId: "dev-1" } as Event),
  fc
    .record({
      action: fc.constantFrom("mintSetupCode", "approveDevice", "approveCapability"),
      problem: fc.constantFrom(...GATEWAY_PROBLEMS),
      message: fc.constantFrom(...INTERNAL_TEXTS),
      fallback: fc.boolean(),
    })
    .map(
      ({ action, problem, message, fallback }) =>
        ({
          type: "gatewayFailed",
          action,
          problem,
          message,
          fallbackToSharedToken: fallback && action === "mintSetupCode",
        }) as Event,
    ),
  fc
    .constantFrom("credentials", "setupLink")
    .map((message) => ({ type: "dmUndeliverable", message }) as Event),
  actor.map((a) => ({ type: "reveal", actor: a }) as Event),
  actor.map((a) => ({ type: "cancel", actor: a }) as Event),
  actor.map((a) => ({ type: "diagnosed", actor: a, code: "TOKEN_MISMATCH" }) as Event),
  fc.constant({ type: "tick" } as Event),
);

/** The way through each mode, so that random noise around it reaches the deep stages too. */
const HAPPY: Record<Session["mode"], Event[]> = {
  setupLink: [
    { type: "approveRequest", actor: alice },
    { type: "setupCodeMinted", setupId: "set-1", code: new Secret(CODE), expiresAt: T0 + 600_000 },
    { type: "setupCompleted", setupId: "set-1", deviceId: "dev-1" },
    { type: "nodeConnected", nodeId: "dev-1" },
  ],
  sharedToken: [
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
    {
      type: "devicePairingRequested",
      request: { requestId: "req-1", deviceId: "dev-1", displayName: "n", seenAt: T0 },
    },
    { type: "approveDevice", actor: alice },
    { type: "deviceResolved", requestId: "req-1", approved: true },
    {
      type: "capabilityRequested",
      request: { requestId: "cap-1", nodeId: "dev-1", commands: ["system.run"], seenAt: T0 },
    },
    { type: "approveCapability", actor: dave },
    { type: "capabilityResolved", requestId: "cap-1", approved: true },
    { type: "nodeConnected", nodeId: "dev-1" },
  ],
};

const timed = (e: fc.Arbitrary<Event>) => fc.tuple(e, fc.integer({ min: 0, max: 3 * 60_000 }));

/** The happy path with a step dropped now and then (one in five) and random events from anyone slipped in between. */
const scenario = fc.constantFrom("setupLink" as const, "sharedToken" as const).chain((mode) =>
  fc
    .tuple(
      fc.array(fc.nat({ max: 9 }), {
        minLength: HAPPY[mode].length,
        maxLength: HAPPY[mode].length,
      }),
      fc.array(fc.array(timed(event), { maxLength: 3 }), {
        minLength: HAPPY[mode].length + 1,
        maxLength: HAPPY[mode].length + 1,
      }),
      fc.array(fc.integer({ min: 0, max: 3 * 60_000 }), {
        minLength: HAPPY[mode].length,
        maxLength: HAPPY[mode].length,
      }),
    )
    .map(([keep, noise, gaps]) => {
      const events: [Event, number][] = [...(noise[0] ?? [])];
      HAPPY[mode].forEach((step, i) => {
        if ((keep[i] ?? 0) < 8) events.push([step, gaps[i] ?? 0]);
        events.push(...(noise[i + 1] ?? []));
      });
      return { mode, events };
    }),
);

function replay(
  mode: Session["mode"],
  events: [Event, number][],
  visit: (before: Session, after: Session, e: Event, now: number, effects: Effect[]) => void,
): void {
  let session = open(
    {
      id: "p1",
      mode,
      channel: { platform: "console", id: "team" },
      displayName: "n",
      requester: bob,
      ttlMs: 30 * 60_000,
      allowSelfApproval: false,
    },
    T0,
  ).session;
  let now = T0;
  for (const [e, step] of events) {
    now += step;
    const { session: next, effects } = decide(session, pressedOn(session, e), now);
    visit(session, next, e, now, effects);
    const json = JSON.stringify(effects);
    assert.ok(!json.includes(TOKEN) && !json.includes(CODE), "an effect carries a secret");
    assert.ok(
      !effects.some((effect) => Object.values(effect).some((v) => v instanceof Secret)),
      "an effect holds a Secret",
    );
    session = next;
  }
}

/** An approval without a target stands for a press on the message as the session shows it now. */
function pressedOn(session: Session, e: Event): Event {
  if (!BOUND_TO.has(e.type) || !("actor" in e) || ("shown" in e && e.shown !== undefined)) return e;
  const kind = e.type.endsWith("Device") ? "devicePairingApproval" : "capabilityApproval";
  const shown = shownSubject(kind, session);
  return shown === undefined ? e : ({ ...e, shown } as Event);
}
const BOUND_TO = new Set([
  "approveDevice",
  "rejectDevice",
  "approveCapability",
  "rejectCapability",
]);

describe("the machine, on any sequence of events", () => {
  it("never shows a secret on the channel card", () => {
    fc.assert(
      fc.property(scenario, ({ mode, events }) =>
        replay(mode, events, (_, after, __, now) => {
          for (const lang of ["en", "zh-CN"] as const) {
            const card = JSON.stringify(
              cardView(after, lang, { now, webUiUrl: "https://gw:18789/" }),
            );
            assert.ok(
              !card.includes(TOKEN) && !card.includes(CODE),
              `the card shows a secret at ${after.stage}`,
            );
            assert.doesNotMatch(card, INTERNAL, `the card shows internal text at ${after.stage}`);
          }
        }),
      ),
      { numRuns: 400 },
    );
  });

  it("keeps a terminal session exactly as it is", () => {
    fc.assert(
      fc.property(scenario, ({ mode, events }) =>
        replay(mode, events, (before, after) => {
          if (isTerminal(before.stage)) assert.equal(after, before);
        }),
      ),
      { numRuns: 400 },
    );
  });

  it("only ever grows the version, by one per change", () => {
    fc.assert(
      fc.property(scenario, ({ mode, events }) =>
        replay(mode, events, (before, after) => {
          assert.ok(after.version === before.version || after.version === before.version + 1);
          if (after.version === before.version) assert.equal(after, before);
        }),
      ),
      { numRuns: 400 },
    );
  });

  it("holds no secret once it has ended, and its private messages show none", () => {
    fc.assert(
      fc.property(scenario, ({ mode, events }) =>
        replay(mode, events, (_, after, __, now) => {
          if (!isTerminal(after.stage)) return;
          assert.deepEqual(after.secrets, {});
          for (const kind of ["setupLink", "credentials", "confirmCredentials"] as const) {
            const dm = JSON.stringify(dmView(kind, after, "en", { now }));
            assert.ok(!dm.includes(TOKEN) && !dm.includes(CODE));
          }
        }),
      ),
      { numRuns: 300 },
    );
  });

  it("asks for lasting effects only together with a change, since only a change is written with its effects", () => {
    const answered = new Set(["notice", "form", "reply", "autofill"]);
    fc.assert(
      fc.property(scenario, ({ mode, events }) =>
        replay(mode, events, (before, after, e, _, effects) => {
          if (after === before)
            assert.deepEqual(
              effects.filter((x) => !answered.has(x.type)),
              [],
              `${e.type} at ${before.stage}`,
            );
        }),
      ),
      { numRuns: 300 },
    );
  });

  it("never reaches connected without the node showing up at the gateway", () => {
    fc.assert(
      fc.property(scenario, ({ mode, events }) =>
        replay(mode, events, (before, after, e) => {
          if (after.stage === "connected" && before.stage !== "connected")
            assert.equal(e.type, "nodeConnected");
        }),
      ),
      { numRuns: 300 },
    );
  });
});

describe("the audit records, on any sequence of events", () => {
  it("never hold a secret, and are plain data a store can write and read back as they are", () => {
    fc.assert(
      fc.property(scenario, ({ mode, events }) => {
        replay(mode, events, (before, after, e) => {
          if (after.version === before.version) return; // nothing is written, so nothing is recorded
          const records = auditRecords(before, after, e);
          const json = JSON.stringify(records);
          assert.ok(
            !json.includes(TOKEN) && !json.includes(CODE),
            `a record holds a secret at ${after.stage}`,
          );
          assert.deepEqual(JSON.parse(json), records, "a record is not plain data");
          assert.doesNotMatch(json, INTERNAL, "a record holds OpenClaw's or the settings' words");
          for (const r of records) assert.equal(r.sessionId, "p1");
        });
      }),
      { numRuns: 400 },
    );
  });
});
