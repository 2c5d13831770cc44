// The whole two-operator handshake as one pure function: decide(session, event, now) -> { session, effects }.
// It never does I/O and never throws on a bad event: a refused or late event leaves the session as it was.

import {
  beyond,
  combine,
  commandsOf,
  firstChoice,
  type GrantChoice,
  withoutProgramRunning,
} from "./grant.ts";
import { refusal } from "./policy.ts";
import { hasApproved, type Step, tally, votes } from "./quorum.ts";
import { Secret } from "./secret.ts";
import { capabilitySubject, deviceSubject } from "./subject.ts";
import type {
  Actor,
  CapabilityApproval,
  Decision,
  DmKind,
  Effect,
  Event,
  GatewayEndpoint,
  Notice,
  OpenRequest,
  PairingRequest,
  Session,
  Stage,
  UserRef,
} from "./types.ts";
import { isTerminal, userKey } from "./types.ts";
import { checkCredentials } from "./validate.ts";

/** Private messages that carry a secret; they are re-rendered (redacted) when the session ends. */
const SECRET_DMS: DmKind[] = ["setupLink", "credentials", "confirmCredentials"];
/** Private messages with approval buttons; re-rendered so that stale buttons disappear. */
const APPROVAL_DMS: DmKind[] = [
  "approvalRequest",
  "linkExpired",
  "devicePairingApproval",
  "capabilityApproval",
  "claimRequest",
];

/** Stages in which the node operator holds a working command and the node may show up at the gateway. */
const NODE_MAY_CONNECT: Stage[] = [
  "linkSent",
  "linkExpired",
  "redeemed",
  "credentialsSent",
  "devicePairingPending",
  "awaitingRerun",
  "capabilityPending",
  "verifying",
];

/**
 * How long after a device approval the node may take to carry on by itself before its operator is told to run it
 * again. A node approved while it was still retrying (within a second or two of its request) reconnects and asks
 * for its commands on its own; one that already printed "reconnect paused … waiting for operator action" never does
 * (OPENCLAW-FACTS.md). 5 s covers that retry with room for a slow gateway, and is short for a person watching.
 */
export const RERUN_GRACE_MS = 5_000;

/** A new session, as `/connect-node` opens it. */
export function open(request: OpenRequest, now: number): Decision {
  const requester = person(request.requester);
  const session: Session = {
    id: request.id,
    version: 1,
    mode: request.mode,
    stage: request.mode === "setupLink" ? "awaitingApproval" : "awaitingGatewayOperator",
    channel: request.channel,
    displayName: request.displayName,
    requester,
    nodeOperator: request.nodeOperator ?? requester,
    langs: { [userKey(request.requester)]: request.requester.lang },
    createdAt: now,
    updatedAt: now,
    expiresAt: now + request.ttlMs,
    allowSelfApproval: request.allowSelfApproval,
    decisions: [],
    undelivered: [],
    secrets: {},
    ...(request.fallbackReason ? { fallbackReason: request.fallbackReason } : {}),
    ...(request.origin ? { origin: request.origin } : {}),
    ...(request.reason ? { reason: request.reason } : {}),
    ...((request.approvalsRequired ?? 1) > 1
      ? { approvalsRequired: request.approvalsRequired }
      : {}),
    ...(request.remindAfterMs ? { remindAfterMs: request.remindAfterMs } : {}),
    ...(request.askedCommands ? { askedCommands: request.askedCommands } : {}),
    ...(request.defaultGrant && request.defaultGrant !== "all"
      ? { defaultGrant: request.defaultGrant }
      : {}),
  };
  // The shared token's command goes out before any approver acts: it carries what was asked, or the default; the
  // capability approval then shows exactly what the node asks for.
  if (session.mode === "sharedToken") {
    const commands = commandsOf(firstChoice(session), session.askedCommands);
    if (commands) session.grant = { commands };
  }
  if (session.mode === "setupLink" && session.remindAfterMs)
    session.remindAt = now + session.remindAfterMs;
  const effects: Effect[] = [{ type: "card" }];
  if (session.mode === "setupLink")
    effects.push({ type: "dmApprovers", message: "approvalRequest" });
  // A request for the shared token waits for a gateway operator: tell them, rather than wait for one to see the card.
  else effects.push({ type: "dmGatewayOperators", message: "claimRequest" });
  return { session, effects };
}

/**
 * The next state of `session` after `event` at time `now`, and what should happen because of it.
 * This is a pure function: it does not carry out the effects it returns.
 */
export function decide(session: Session, event: Event, now: number): Decision {
  if (
    event.type === "confirmDisconnect" ||
    event.type === "cancelDisconnect" ||
    event.type === "nodeRemoved"
  )
    return disconnection(session, event, now);
  if (
    event.type === "nodeRevoked" ||
    (event.type === "gatewayFailed" && event.action === "removeNode")
  )
    return revocation(session, event, now);
  if (isTerminal(session.stage)) return afterEnd(session, event, now);
  if (event.type === "tick") return settled(session, leavingRerun(session, tick(session, now)));
  // Time decides, not when the next tick runs: an event at or after an expiry meets the expired session (or link).
  // The re-run reminder waits for the tick: an event that shows the node carried on makes it needless.
  const due = expire(session, now);
  if (isTerminal(due.session.stage)) {
    const late = afterEnd(due.session, event, now);
    const told = settled(session, { session: late.session, effects: due.effects });
    return {
      session: { ...told.session, version: session.version + 1 },
      effects: [...told.effects, ...late.effects],
    };
  }
  const stepped = settled(session, leavingRerun(due.session, step(due.session, event, now)));
  const decision = {
    // One event, one change: the version grows by one even when an expiry came first.
    session:
      stepped.session === session ? session : { ...stepped.session, version: session.version + 1 },
    effects: [...due.effects, ...stepped.effects],
  };
  // A change made by a person also records the language they speak, for the messages that follow.
  if (decision.session === session || !("actor" in event)) return decision;
  return { ...decision, session: withLang(decision.session, event.actor) };
}

/**
 * /disconnect-node (flows/disconnect.ts) acts after a session's life, not in it: its buttons never reach a session, and
 * a connected session notes, once, that its node was removed from the gateway; nothing else changes.
 */
function disconnection(s: Session, event: Event, now: number): Decision {
  if (event.type !== "nodeRemoved" || s.stage !== "connected" || s.disconnected)
    return unchanged(s);
  return change(s, now, { disconnected: { by: person(event.actor), at: now } }, [{ type: "card" }]);
}

function step(
  s: Session,
  event: Exclude<
    Event,
    { type: "tick" | "confirmDisconnect" | "cancelDisconnect" | "nodeRemoved" | "nodeRevoked" }
  >,
  now: number,
): Decision {
  switch (event.type) {
    // ── setup link ────────────────────────────────────────────────────────────
    case "approveRequest": {
      const no = refused(s, event.actor, "approveRequest");
      if (no) return no;
      if (s.stage !== "awaitingApproval") return alreadyDecided(s, event.actor, "request");
      if (hasApproved(s, "request", event.actor)) return alreadyYours(s, event.actor);
      // The button pressed says which commands this approver grants; with a quorum, only what all of them granted.
      // A press without a choice takes the first button shown (grantChoices): what was asked, or the default.
      const choice: GrantChoice = event.grant ?? firstChoice(s);
      if (choice === "asked" && !s.askedCommands)
        return unchanged(s, notice(event.actor, { key: "notNow" }));
      const earlier = votes(s, "request").flatMap((d) =>
        d.approved && d.by !== "elsewhere" ? [d.grant ?? "all"] : [],
      );
      const together = combine([...earlier, choice], s.askedCommands);
      if (together.empty) return unchanged(s, notice(event.actor, { key: "grantEmpty" }));
      const decisions = decided(s, "request", event.actor, true, now, 0, undefined, choice);
      const more = counted(s, "request", decisions, event.actor, "approvalRequest", now);
      if (more) return more;
      const grant = together.commands ? { commands: together.commands } : undefined;
      return change(s, now, { stage: "minting", decisions, grant }, [
        { type: "gateway", action: "mintSetupCode" },
        { type: "card" },
        { type: "refreshDms", message: "approvalRequest" },
        notice(event.actor, { key: "approved" }),
      ]);
    }
    case "rejectRequest": {
      const no = refused(s, event.actor, "reject");
      if (no) return no;
      if (s.stage !== "awaitingApproval") return alreadyDecided(s, event.actor, "request");
      return finish(
        s,
        now,
        "failed",
        {
          failure: { reason: "requestRejected" },
          decisions: decided(s, "request", event.actor, false, now),
        },
        [notice(event.actor, { key: "rejected" })],
      );
    }
    case "reissueLink": {
      const no = refused(s, event.actor, "reissueLink");
      if (no) return no;
      if (s.stage !== "linkExpired") return unchanged(s, notice(event.actor, { key: "notNow" }));
      return change(s, now, { stage: "minting" }, [
        { type: "gateway", action: "mintSetupCode" },
        { type: "card" },
        { type: "refreshDms", message: "linkExpired" },
        notice(event.actor, { key: "approved" }),
      ]);
    }
    case "setupCodeMinted": {
      if (s.stage !== "minting") return unchanged(s);
      const issued = (s.setupLink?.issued ?? 0) + 1;
      return change(
        s,
        now,
        {
          stage: "linkSent",
          setupLink: { setupId: event.setupId, issuedAt: now, expiresAt: event.expiresAt, issued },
          secrets: { ...s.secrets, setupCode: event.code },
          undelivered: s.undelivered.filter((kind) => kind !== "setupLink"),
          // A new link is a new message: nobody has seen it yet.
          revealed: s.revealed?.filter((kind) => kind !== "setupLink"),
          lastError: undefined,
        },
        [{ type: "dm", to: s.nodeOperator, message: "setupLink" }, { type: "card" }],
      );
    }
    case "setupCompleted": {
      if (s.setupLink?.setupId !== event.setupId || !["linkSent", "linkExpired"].includes(s.stage))
        return unchanged(s);
      // The code is spent: drop it and take it out of the node operator's private message.
      const { setupCode: _spent, ...secrets } = s.secrets;
      return change(s, now, { stage: "redeemed", secrets, nodeId: event.deviceId }, [
        { type: "card" },
        { type: "refreshDms", message: "setupLink" },
      ]);
    }

    case "setupDeliveryUncertain": {
      if (s.setupLink?.setupId !== event.setupId || s.stage !== "linkSent") return unchanged(s);
      // As an expired link: the code is spent, and an approver may issue a new one (reissueLink); the views say why.
      const { setupCode: _spent, ...secrets } = s.secrets;
      return change(
        s,
        now,
        { stage: "linkExpired", secrets, setupLink: { ...s.setupLink, deliveryUncertain: true } },
        [
          { type: "card" },
          { type: "refreshDms", message: "setupLink" },
          { type: "dmApprovers", message: "linkExpired" },
        ],
      );
    }

    // ── shared token ──────────────────────────────────────────────────────────
    case "claimGatewayOperator": {
      const no = refused(s, event.actor, "claim");
      if (no) return no;
      if (s.stage === "awaitingCredentials" && s.gatewayOperator) {
        return s.gatewayOperator.id === event.actor.id &&
          s.gatewayOperator.platform === event.actor.platform
          ? unchanged(s, { type: "form", to: s.gatewayOperator })
          : unchanged(
              s,
              notice(event.actor, {
                key: "alreadyClaimed",
                params: { name: s.gatewayOperator.name },
              }),
            );
      }
      if (s.stage !== "awaitingGatewayOperator")
        return unchanged(s, notice(event.actor, { key: "notNow" }));
      const gatewayOperator = person(event.actor);
      return change(s, now, { stage: "awaitingCredentials", gatewayOperator }, [
        { type: "form", to: gatewayOperator },
        { type: "card" },
        { type: "refreshDms", message: "claimRequest" },
      ]);
    }
    case "openCredentialsForm": {
      const no = refused(s, event.actor, "submitCredentials");
      if (no) return no;
      if (s.stage !== "awaitingCredentials")
        return unchanged(s, notice(event.actor, { key: "notNow" }));
      return unchanged(s, { type: "form", to: person(event.actor) });
    }
    case "requestAutofill": {
      const no = refused(s, event.actor, "submitCredentials");
      if (no) return no;
      if (s.stage !== "awaitingCredentials")
        return unchanged(s, notice(event.actor, { key: "notNow" }));
      return unchanged(s, { type: "autofill", to: person(event.actor) });
    }
    case "autofilled": {
      if (s.stage !== "awaitingCredentials" || !s.gatewayOperator) return unchanged(s);
      // Nothing is sent yet: the gateway operator sees the values and confirms them.
      return change(
        s,
        now,
        {
          draft: {
            ...(event.host ? { host: event.host } : {}),
            port: String(event.port),
            fingerprint: event.fingerprint,
          },
          secrets: { ...s.secrets, token: event.token },
        },
        [
          event.host
            ? { type: "dm", to: s.gatewayOperator, message: "confirmCredentials" }
            : { type: "form", to: s.gatewayOperator },
        ],
      );
    }
    case "confirmCredentials": {
      const token = s.secrets.token;
      if (!token || !s.draft) return unchanged(s, notice(event.actor, { key: "notNow" }));
      return submit(
        s,
        event.actor,
        {
          host: s.draft.host ?? "",
          port: s.draft.port ?? "",
          fingerprint: s.draft.fingerprint ?? "",
        },
        token,
        now,
      );
    }
    case "submitCredentials":
      return submit(s, event.actor, event, event.token, now);
    case "preflightDone": {
      if (s.stage !== "preflight" || !s.endpoint || !s.gatewayOperator) return unchanged(s);
      const result = event.result;
      if (result.ok && result.fingerprint === s.endpoint.fingerprint) {
        // The gateway operator's "Checking…" becomes the outcome; after the node operator's message, so it can tell
        // whether that one reached them.
        return change(s, now, { stage: "credentialsSent", preflight: result }, [
          { type: "dm", to: s.nodeOperator, message: "credentials" },
          { type: "card" },
          { type: "dm", to: s.gatewayOperator, message: "preflightPassed", inPlace: true },
        ]);
      }
      const preflight = result.ok
        ? {
            ok: false as const,
            problem: "fingerprintMismatch" as const,
            seenFingerprint: result.fingerprint,
            at: result.at,
          }
        : result;
      return change(s, now, { stage: "awaitingCredentials", preflight }, [
        { type: "dm", to: s.gatewayOperator, message: "preflightFailed", inPlace: true },
        { type: "card" },
      ]);
    }
    case "devicePairingRequested": {
      if (!["credentialsSent", "devicePairingPending", "awaitingRerun"].includes(s.stage))
        return unchanged(s);
      return requested(s, "device", event.request, now);
    }
    case "approveDevice":
    case "rejectDevice":
      return approval(s, "device", event, now);
    case "deviceResolved": {
      if (s.stage !== "devicePairingPending" || s.pairingRequest?.requestId !== event.requestId)
        return unchanged(s);
      const decisions = tally(s, "device").settled
        ? s.decisions
        : decided(
            s,
            "device",
            "elsewhere",
            event.approved,
            now,
            s.pairingRequest.seenAt,
            deviceSubject(s.pairingRequest),
          );
      if (!event.approved)
        return finish(s, now, "failed", { failure: { reason: "deviceRejected" }, decisions }, []);
      // The node operator is told to run the node again only if it has not carried on by then (see `tick`).
      return change(
        s,
        now,
        { stage: "awaitingRerun", decisions, rerunDueAt: now + RERUN_GRACE_MS },
        [{ type: "card" }, { type: "refreshDms", message: "devicePairingApproval" }],
      );
    }
    case "capabilityRequested": {
      if (!NODE_MAY_CONNECT.includes(s.stage) || s.stage === "verifying") return unchanged(s);
      return requested(s, "capability", event.request, now);
    }
    case "approveCapability":
    case "rejectCapability":
      return approval(s, "capability", event, now);
    case "narrowCapability":
      return narrowed(s, event.actor, event.shown, now);
    case "capabilityResolved": {
      if (s.stage !== "capabilityPending" || s.capabilityApproval?.requestId !== event.requestId)
        return unchanged(s);
      const decisions = tally(s, "capability").settled
        ? s.decisions
        : decided(
            s,
            "capability",
            "elsewhere",
            event.approved,
            now,
            s.capabilityApproval.seenAt,
            capabilitySubject(s.capabilityApproval),
          );
      if (!event.approved)
        return finish(
          s,
          now,
          "failed",
          { failure: { reason: "capabilityRejected" }, decisions },
          [],
        );
      return change(s, now, { stage: "verifying", decisions }, [
        { type: "card" },
        { type: "refreshDms", message: "capabilityApproval" },
      ]);
    }
    case "nodeConnected": {
      if (!NODE_MAY_CONNECT.includes(s.stage)) return unchanged(s);
      // A setup link's code does not carry `--commands`: a node started without them gets everything it advertises.
      // So what the gateway granted is read before the card turns green.
      if (s.mode === "setupLink" && s.grant?.commands) {
        if (s.checkingGrant) return unchanged(s);
        // Only the node that redeemed this link (its id from the gateway's completion) is read and maybe removed: an id
        // found by display name, or from a capability request matched by it, may be another node's of the same name.
        const nodeId = s.nodeId;
        // Nothing names the node to check or remove: fail closed, and say so.
        if (!nodeId)
          return finish(
            s,
            now,
            "failed",
            {
              failure: { reason: "grantUnverified" },
              revoked: { excess: [], removed: false, nodeId: "" },
            },
            [{ type: "dmApprovers", message: "grantExceeded" }],
          );
        return change(s, now, { checkingGrant: true }, [
          { type: "gateway", action: "checkGrant", nodeId },
        ]);
      }
      return finish(s, now, "connected", { connectedAt: now }, [
        { type: "dm", to: s.nodeOperator, message: "connected" },
      ]);
    }
    case "grantChecked":
      if (!s.nodeId || !NODE_MAY_CONNECT.includes(s.stage)) return unchanged(s);
      return grantRead(s, event, now);
    case "gatewayFailed": {
      // The channel hears the typed problem; OpenClaw's words go, privately, to whoever acted and can fix it.
      if (event.action === "mintSetupCode") {
        if (s.stage !== "minting") return unchanged(s);
        const approver = s.decisions.findLast((d) => d.step === "request" && d.approved)?.by;
        const detail = [
          gatewayDetail(
            s,
            approver && approver !== "elsewhere" ? approver : s.requester,
            event.message,
          ),
        ];
        if (event.fallbackToSharedToken)
          return change(
            s,
            now,
            {
              mode: "sharedToken",
              stage: "awaitingGatewayOperator",
              fallbackReason: event.problem,
            },
            [
              { type: "card" },
              { type: "refreshDms", message: "approvalRequest" },
              { type: "dmGatewayOperators", message: "claimRequest" },
              ...detail,
            ],
          );
        return finish(
          s,
          now,
          "failed",
          { failure: { reason: "gatewayError", problem: event.problem } },
          [
            {
              type: "notice",
              to: s.requester,
              notice: {
                key: "mintImpossible",
                params: { name: s.displayName },
                problem: event.problem,
              },
            },
            ...detail,
          ],
        );
      }
      // What the gateway granted could not be read: the node may hold anything, so it goes (fails closed).
      if (event.action === "checkGrant") return grantRead(s, event, now);
      // An approval that did not go through: take the click back so an approver can try again.
      const step = event.action.endsWith("Device") ? "device" : "capability";
      const request = step === "device" ? s.pairingRequest : s.capabilityApproval;
      // Only the click that settled it: with a quorum, the approvals before it still stand.
      const last = votes(s, step).at(-1);
      const taken = request && last ? [last] : [];
      const clicked = taken.findLast((d) => d.by !== "elsewhere")?.by;
      return change(
        s,
        now,
        {
          lastError: event.problem,
          decisions: s.decisions.filter((d) => !taken.includes(d)),
        },
        [
          { type: "card" },
          {
            type: "refreshDms",
            message: step === "device" ? "devicePairingApproval" : "capabilityApproval",
          },
          ...(clicked && clicked !== "elsewhere" ? [gatewayDetail(s, clicked, event.message)] : []),
        ],
      );
    }

    // ── any mode ──────────────────────────────────────────────────────────────
    case "reveal": {
      const no = refused(s, event.actor, "reveal");
      if (no) return no;
      const message = revealable(s);
      if (!message) return unchanged(s, notice(event.actor, { key: "nothingToReveal" }));
      return unchanged(s, { type: "reply", to: person(event.actor), message });
    }
    case "dmUndeliverable": {
      if (s.undelivered.includes(event.message)) return unchanged(s);
      return change(s, now, { undelivered: [...s.undelivered, event.message] }, [{ type: "card" }]);
    }
    case "revealed": {
      // Only what could not be delivered needs saying; the card then stops saying their messages are closed.
      if (!s.undelivered.includes(event.message) || s.revealed?.includes(event.message))
        return unchanged(s);
      return change(s, now, { revealed: [...(s.revealed ?? []), event.message] }, [
        { type: "card" },
      ]);
    }
    case "cancel": {
      const no = refused(s, event.actor, "cancel");
      if (no) return no;
      return finish(s, now, "cancelled", {}, [notice(event.actor, { key: "cancelled" })]);
    }
    case "diagnosed": {
      return change(s, now, { lastDiagnosis: { code: event.code, at: now } }, [{ type: "card" }]);
    }
  }
}

/**
 * An approver's yes or no on the pending device-pairing or capability request, from the message that showed it:
 * refused when that message showed another request, counted towards the quorum, and once enough approvers agree
 * (or one rejects) the gateway is asked to act on exactly the request that was shown.
 */
function approval(
  s: Session,
  step: "device" | "capability",
  event: Extract<
    Event,
    { type: "approveDevice" | "rejectDevice" | "approveCapability" | "rejectCapability" }
  >,
  now: number,
): Decision {
  const approve = event.type === "approveDevice" || event.type === "approveCapability";
  const device = step === "device";
  const no = refused(s, event.actor, approve ? event.type : "reject");
  if (no) return no;
  const request = device ? s.pairingRequest : s.capabilityApproval;
  if (s.stage !== (device ? "devicePairingPending" : "capabilityPending") || !request)
    return alreadyDecided(s, event.actor, step);
  const shown = device
    ? deviceSubject(request as PairingRequest)
    : capabilitySubject(request as CapabilityApproval);
  if (event.shown !== shown) return unchanged(s, notice(event.actor, { key: "replaced" }));
  if (tally(s, step).settled) return alreadyDecided(s, event.actor, step);
  // An approver asked for fewer commands than this request holds: it can only be rejected now.
  if (approve && !device && s.narrowed?.shown === shown)
    return unchanged(
      s,
      notice(event.actor, { key: "narrowedAlready", params: { by: s.narrowed.by.name } }),
    );
  if (approve && hasApproved(s, step, event.actor)) return alreadyYours(s, event.actor);
  const decisions = decided(s, step, event.actor, approve, now, request.seenAt, event.shown);
  const message: DmKind = device ? "devicePairingApproval" : "capabilityApproval";
  const more = approve && counted(s, step, decisions, event.actor, message, now);
  if (more) return more;
  return change(s, now, { decisions, lastError: undefined }, [
    gatewayAction(step, approve, request.requestId),
    { type: "card" },
    { type: "refreshDms", message },
    notice(event.actor, { key: approve ? "approved" : "rejected" }),
  ]);
}

/**
 * "Only without the commands that run programs" on a capability request (shared token). OpenClaw approves a request
 * whole, so nothing is approved: the node operator is asked to run the node again with `--commands` (the grant), its
 * new request replaces this one (OpenClaw gives a changed surface a new requestId), and the approvers approve that.
 */
function narrowed(s: Session, actor: Actor, shown: string | undefined, now: number): Decision {
  const no = refused(s, actor, "approveCapability");
  if (no) return no;
  const c = s.capabilityApproval;
  if (s.stage !== "capabilityPending" || !c) return alreadyDecided(s, actor, "capability");
  const subject = capabilitySubject(c);
  if (shown !== subject) return unchanged(s, notice(actor, { key: "replaced" }));
  if (tally(s, "capability").settled) return alreadyDecided(s, actor, "capability");
  if (s.narrowed?.shown === subject)
    return unchanged(
      s,
      notice(actor, { key: "narrowedAlready", params: { by: s.narrowed.by.name } }),
    );
  const commands = withoutProgramRunning(c.commands);
  if (!commands) return unchanged(s, notice(actor, { key: "notNow" }));
  return change(
    s,
    now,
    { grant: { commands }, narrowed: { by: person(actor), at: now, shown: subject, commands } },
    [
      { type: "dm", to: s.nodeOperator, message: "narrowed" },
      { type: "card" },
      { type: "refreshDms", message: "capabilityApproval" },
      notice(actor, { key: "narrowed", params: { name: s.nodeOperator.name } }),
    ],
  );
}

/** How many replaced requests of each kind a session remembers, for the messages drawn for them. */
const REPLACED_KEPT = 5;

/**
 * A device-pairing or capability request reached the session. A repeat of the pending one changes nothing; a retry
 * of the same device or node with the same details (OpenClaw makes a new requestId for each) takes the pending one's
 * place and keeps its approvals, carried over to the new requestId; a request with other details replaces it: its
 * messages say so, their buttons stop acting, and the approvers get a new message for the new request.
 */
function requested(
  s: Session,
  step: "device" | "capability",
  request: PairingRequest | CapabilityApproval,
  now: number,
): Decision {
  const field = step === "device" ? "pairingRequest" : "capabilityApproval";
  const pendingStage: Stage = step === "device" ? "devicePairingPending" : "capabilityPending";
  const message: DmKind = step === "device" ? "devicePairingApproval" : "capabilityApproval";
  const subject = step === "device" ? deviceSubject : capabilitySubject;
  const current = s[field] as (PairingRequest & CapabilityApproval) | undefined;
  if (current?.requestId === request.requestId) return unchanged(s);
  const pending = s.stage === pendingStage && current !== undefined;
  if (pending && subject(current) === subject(request as PairingRequest & CapabilityApproval)) {
    // The same device or node asking again: what the approvers were shown still holds.
    const retried = { ...request, seenAt: current.seenAt };
    const settledNow = tally(s, step);
    const effects: Effect[] = [{ type: "card" }, { type: "refreshDms", message }];
    if (settledNow.settled && settledNow.inChat)
      effects.unshift(gatewayAction(step, settledNow.approved, request.requestId));
    return change(s, now, { [field]: retried }, effects);
  }
  const replaced = s.replaced ?? { device: [], capability: [] };
  return change(
    s,
    now,
    {
      stage: pendingStage,
      [field]: request,
      lastError: undefined,
      ...(s.remindAfterMs ? { remindAt: now + s.remindAfterMs } : {}),
      ...(current
        ? {
            replaced: {
              ...replaced,
              [step]: [...replaced[step], current].slice(-REPLACED_KEPT),
            },
          }
        : {}),
    },
    [
      { type: "card" },
      ...(pending ? [{ type: "refreshDms", message } as Effect] : []),
      { type: "dmApprovers", message },
    ],
  );
}

function gatewayAction(step: "device" | "capability", approve: boolean, requestId: string): Effect {
  const action =
    step === "device"
      ? approve
        ? "approveDevice"
        : "rejectDevice"
      : approve
        ? "approveCapability"
        : "rejectCapability";
  return { type: "gateway", action, requestId };
}

/**
 * When the next `tick` can change this session: its expiry, or its setup link's if that comes first. Stores index
 * it, so a tick reads only the sessions that are due. A terminal session is never due.
 */
export function dueAt(s: Session): number {
  if (isTerminal(s.stage)) return Number.POSITIVE_INFINITY;
  if (s.remindAt !== undefined && awaitsApprovers(s)) return Math.min(s.expiresAt, s.remindAt);
  if (s.stage === "awaitingRerun" && s.rerunDueAt !== undefined)
    return Math.min(s.expiresAt, s.rerunDueAt);
  return s.stage === "linkSent" && s.setupLink
    ? Math.min(s.expiresAt, s.setupLink.expiresAt)
    : s.expiresAt;
}

/** Expiry, and the node operator told to run the node again once it has not carried on by itself in time. */
function tick(s: Session, now: number): Decision {
  const expired = expire(s, now);
  if (expired.session !== s) return expired;
  if (s.remindAt !== undefined && now >= s.remindAt && awaitsApprovers(s))
    return change(s, now, { remindAt: undefined }, [
      { type: "dmApprovers", message: "reminder" },
      { type: "card" },
    ]);
  if (s.stage === "awaitingRerun" && s.rerunDueAt !== undefined && now >= s.rerunDueAt)
    return change(s, now, { rerunDueAt: undefined }, [
      { type: "dm", to: s.nodeOperator, message: "rerun" },
      { type: "card" },
    ]);
  return unchanged(s);
}

/**
 * A session that leaves `awaitingRerun` forgets when it would have reminded; a reminder already sent is re-rendered,
 * so the node operator is not left with a step that is no longer needed.
 */
function leavingRerun(before: Session, d: Decision): Decision {
  if (before.stage !== "awaitingRerun" || d.session.stage === "awaitingRerun") return d;
  const { rerunDueAt, ...session } = d.session;
  const sent = before.rerunDueAt === undefined;
  if (rerunDueAt === undefined && !sent) return d;
  return {
    session: rerunDueAt === undefined ? d.session : session,
    effects: sent ? [...d.effects, { type: "refreshDms", message: "rerun" }] : d.effects,
  };
}

/** Expiry of the session, and of a setup link that nobody redeemed in time. */
function expire(s: Session, now: number): Decision {
  if (now >= s.expiresAt) return finish(s, now, "expired", {}, []);
  if (s.stage === "linkSent" && s.setupLink && now >= s.setupLink.expiresAt) {
    const { setupCode: _expired, ...secrets } = s.secrets;
    return change(s, now, { stage: "linkExpired", secrets }, [
      { type: "card" },
      { type: "refreshDms", message: "setupLink" },
      { type: "dmApprovers", message: "linkExpired" },
    ]);
  }
  return unchanged(s);
}

function submit(
  s: Session,
  actor: Actor,
  raw: { host: string; port: string; fingerprint: string },
  token: Secret,
  now: number,
): Decision {
  const no = refused(s, actor, "submitCredentials");
  if (no) return no;
  if (s.stage !== "awaitingCredentials")
    return unchanged(s, notice(actor, { key: s.stage === "preflight" ? "probing" : "notNow" }));
  const draft = {
    host: raw.host.trim(),
    port: raw.port.trim(),
    fingerprint: raw.fingerprint.trim(),
  };
  const checked = checkCredentials({ ...raw, token: token.reveal() });
  if ("problems" in checked) {
    // Keep what was typed (never the token) so the form reopens pre-filled.
    return change(s, now, { draft }, [
      notice(actor, { key: "invalidCredentials", problems: checked.problems }),
    ]);
  }
  const endpoint: GatewayEndpoint = checked.endpoint;
  return change(
    s,
    now,
    {
      stage: "preflight",
      draft,
      endpoint,
      secrets: { ...s.secrets, token: new Secret(checked.token) },
      preflight: undefined,
    },
    [
      { type: "probe", host: endpoint.host, port: endpoint.port },
      { type: "card" },
      notice(actor, { key: "probing" }),
    ],
  );
}

/** A terminal stage: secrets are dropped, and every private message is re-rendered without them or their buttons. */
function finish(
  s: Session,
  now: number,
  stage: Stage,
  patch: Partial<Session>,
  extra: Effect[],
): Decision {
  const sent = new Set<DmKind>([...SECRET_DMS, ...APPROVAL_DMS]);
  // A node that redeemed its link holds what it advertised then; a session that ends does not end that pairing, so
  // what the gateway granted is still read (a node stopped before it connected would otherwise keep everything).
  const unread =
    stage !== "connected" &&
    s.mode === "setupLink" &&
    s.grant?.commands !== undefined &&
    s.nodeId !== undefined &&
    !s.checkingGrant &&
    NODE_MAY_CONNECT.includes(s.stage);
  const read: Effect[] = unread
    ? [{ type: "gateway", action: "checkGrant", nodeId: s.nodeId as string }]
    : [];
  return change(
    s,
    now,
    {
      ...patch,
      stage,
      // A session ended twice (a node removed after a cancel) shows what it had reached the first time.
      endedFrom: isTerminal(s.stage) ? s.endedFrom : s.stage,
      secrets: {},
      undelivered: [],
      ...(unread ? { checkingGrant: true } : {}),
    },
    [
      { type: "card" },
      ...[...sent].map((message): Effect => ({ type: "refreshDms", message })),
      ...read,
      ...extra,
    ],
  );
}

function isGrantRead(
  event: Event,
): event is Extract<Event, { type: "grantChecked" | "gatewayFailed" }> {
  return (
    event.type === "grantChecked" ||
    (event.type === "gatewayFailed" && event.action === "checkGrant")
  );
}

/** An event for a session that has ended: what the gateway granted its node is still read; anything else is late. */
function afterEnd(s: Session, event: Event, now: number): Decision {
  return isGrantRead(event) ? grantRead(s, event, now) : absorbed(s, event);
}

/**
 * What the gateway granted the node, read (or not readable), before the card turns green or after the session ended
 * (cancelled, expired, rejected). A node holding more than its grant, or whose grant cannot be read, is taken off the
 * gateway; within it, a live session is connected and an ended one stays as it ended. A node the gateway no longer
 * knows holds nothing: its next connection is checked.
 */
function grantRead(
  s: Session,
  event: Extract<Event, { type: "grantChecked" | "gatewayFailed" }>,
  now: number,
): Decision {
  if (!s.checkingGrant || s.stage === "connected" || s.revoked) return unchanged(s);
  if (event.type === "gatewayFailed") return revoke(s, now, "grantUnverified", [], undefined);
  if (event.commands === undefined) return change(s, now, { checkingGrant: undefined }, []);
  const excess = beyond(s.grant, event.commands);
  if (excess.length > 0) return revoke(s, now, "grantExceeded", excess, event.commands);
  if (isTerminal(s.stage))
    return change(s, now, { checkingGrant: undefined, granted: event.commands }, [
      { type: "card" },
    ]);
  return finish(
    s,
    now,
    "connected",
    { connectedAt: now, granted: event.commands, checkingGrant: undefined },
    [{ type: "dm", to: s.nodeOperator, message: "connected" }],
  );
}

/** What a terminal session says to a late event: nothing changes; a person is told why. */
function absorbed(s: Session, event: Event): Decision {
  if (!("actor" in event) || event.type === "diagnosed") return unchanged(s);
  return unchanged(s, notice(event.actor, { key: "sessionOver", params: { stage: s.stage } }));
}

function alreadyDecided(
  s: Session,
  actor: Actor,
  step: "request" | "device" | "capability",
): Decision {
  const last = s.decisions.findLast((d) => d.step === step);
  if (!last) return unchanged(s, notice(actor, { key: "notNow" }));
  const by = last.by === "elsewhere" ? "WebUI/CLI" : last.by.name;
  return unchanged(
    s,
    notice(actor, { key: last.approved ? "alreadyApproved" : "alreadyRejected", params: { by } }),
  );
}

function decided(
  s: Session,
  step: Step,
  by: Actor | "elsewhere",
  approved: boolean,
  now: number,
  notBefore = 0,
  shown?: string,
  grant?: GrantChoice,
): Session["decisions"] {
  return [
    ...s.decisions,
    {
      step,
      by: by === "elsewhere" ? by : person(by),
      approved,
      at: Math.max(now, notBefore),
      ...(shown !== undefined ? { shown } : {}),
      ...(grant !== undefined ? { grant } : {}),
    },
  ];
}

/**
 * A node that connected with more than its grant (or whose grant could not be read) is taken off the gateway again.
 * The session ends failed at once (the card never turns green); the approvers and the node operator are told once the
 * removal went through or did not (`revocation`).
 */
function revoke(
  s: Session,
  now: number,
  reason: "grantExceeded" | "grantUnverified",
  excess: string[],
  granted: string[] | undefined,
): Decision {
  const nodeId = s.nodeId ?? "";
  return finish(
    s,
    now,
    "failed",
    {
      failure: { reason },
      checkingGrant: undefined,
      revoked: { excess, removed: "pending", nodeId },
      ...(granted ? { granted } : {}),
    },
    [{ type: "gateway", action: "removeNode", nodeId }],
  );
}

/** The removal `revoke` asked for went through, or did not: the card says which, and the people concerned hear it. */
function revocation(s: Session, event: Event, now: number): Decision {
  if (s.revoked?.removed !== "pending") return unchanged(s);
  const removed = event.type === "nodeRevoked" && event.removed;
  const told: Effect[] = [
    { type: "card" },
    { type: "dmApprovers", message: "grantExceeded" },
    { type: "dm", to: s.nodeOperator, message: "grantExceeded" },
  ];
  if (userKey(s.requester) !== userKey(s.nodeOperator))
    told.push({ type: "dm", to: s.requester, message: "grantExceeded" });
  return change(s, now, { revoked: { ...s.revoked, removed } }, told);
}

/** A second click by an approver whose approval already counts: it counts once. */
function alreadyYours(s: Session, actor: Actor): Decision {
  return unchanged(s, notice(actor, { key: "alreadyApproved", params: { by: actor.name } }));
}

/**
 * An approval that does not yet make the quorum: it is recorded and shown ("1 of 2 approvals"), nothing else happens.
 * Undefined when `decisions` settle the step.
 */
function counted(
  s: Session,
  step: Step,
  decisions: Session["decisions"],
  actor: Actor,
  message: DmKind,
  now: number,
): Decision | undefined {
  const after = tally({ ...s, decisions }, step);
  if (after.settled) return undefined;
  return change(s, now, { decisions }, [
    { type: "card" },
    { type: "refreshDms", message },
    notice(actor, {
      key: "approvalCounted",
      params: { count: String(after.approvers.length), required: String(after.required) },
    }),
  ]);
}

/** Stages in which a request waits for the approvers, who are reminded once if it waits long. */
const AWAITING_APPROVERS: Stage[] = [
  "awaitingApproval",
  "devicePairingPending",
  "capabilityPending",
];

function awaitsApprovers(s: Session): boolean {
  if (!AWAITING_APPROVERS.includes(s.stage)) return false;
  const step: Step =
    s.stage === "awaitingApproval"
      ? "request"
      : s.stage === "devicePairingPending"
        ? "device"
        : "capability";
  return !tally(s, step).settled;
}

/**
 * After every change: a reminder nobody is waiting for any more is forgotten, and the requester is told privately,
 * once each, that their request was approved, rejected, expired or connected. Not when they did it themselves (they
 * got a notice), nor "connected" when they run the node (that message went to them already).
 */
function settled(before: Session, d: Decision): Decision {
  let session = d.session;
  if (session === before) return d;
  const effects = [...d.effects];
  if (session.remindAt !== undefined && !AWAITING_APPROVERS.includes(session.stage)) {
    const { remindAt: _done, ...rest } = session;
    session = rest;
  }
  const outcome = outcomeFor(before, session);
  if (outcome && !session.told?.includes(outcome)) {
    session = { ...session, told: [...(session.told ?? []), outcome] };
    effects.push({ type: "dm", to: session.requester, message: outcome });
  }
  return { session, effects };
}

function outcomeFor(before: Session, after: Session): DmKind | undefined {
  const requester = after.requester;
  const last = after.decisions.at(-1);
  const byRequester =
    last !== undefined && last.by !== "elsewhere" && userKey(last.by) === userKey(requester);
  if (after.stage === "connected")
    return userKey(after.nodeOperator) === userKey(requester) ? undefined : "requestConnected";
  if (after.stage === "expired") return "requestExpired";
  if (after.stage === "failed" && after.failure?.reason.endsWith("Rejected"))
    return byRequester ? undefined : "requestRejected";
  // The first yes that lets the node go ahead: the request (setup link) or the device (shared token).
  const approvedNow =
    (before.stage === "awaitingApproval" && after.stage === "minting") ||
    (before.stage === "devicePairingPending" && after.stage === "awaitingRerun");
  if (approvedNow) return byRequester ? undefined : "requestApproved";
  return undefined;
}

function revealable(s: Session): DmKind | undefined {
  if (s.secrets.setupCode && s.stage === "linkSent") return "setupLink";
  if (s.secrets.token && NODE_MAY_CONNECT.includes(s.stage)) return "credentials";
  return undefined;
}

function refused(
  s: Session,
  actor: Actor,
  act: Parameters<typeof refusal>[2],
): Decision | undefined {
  const why = refusal(s, actor, act);
  return why ? unchanged(s, notice(actor, why)) : undefined;
}

function change(s: Session, now: number, patch: Partial<Session>, effects: Effect[]): Decision {
  const session = { ...s, ...patch, version: s.version + 1, updatedAt: now };
  for (const key of Object.keys(patch) as (keyof Session)[])
    if (patch[key] === undefined) delete session[key];
  return { session, effects };
}

function unchanged(s: Session, ...effects: Effect[]): Decision {
  return { session: s, effects };
}

function notice(actor: UserRef, n: Notice): Effect {
  return { type: "notice", to: person(actor), notice: n };
}

/** What the gateway said when it failed, privately to the person who can act on it. Never a secret (redacted). */
function gatewayDetail(s: Session, to: UserRef, message: string): Effect {
  return notice(to, { key: "gatewayDetail", params: { name: s.displayName, error: message } });
}

/** Remembers each participant's language so private messages reach them in it. */
function withLang(s: Session, actor: Actor): Session {
  const key = userKey(actor);
  return s.langs[key] === actor.lang ? s : { ...s, langs: { ...s.langs, [key]: actor.lang } };
}

function person(user: UserRef): UserRef {
  return { platform: user.platform, id: user.id, name: user.name };
}
