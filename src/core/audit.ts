// The audit trail: what happened to a session, as plain records a person can export long after (`clawshake audit`).
// Derived purely from (before, after, event); the store writes them in the same write as the session change.
// Every field is copied by name from the session or the event: never a spread of either, so never a Secret.

import { commandsOf } from "./grant.ts";
import { capabilitySubject, deviceSubject } from "./subject.ts";
import type {
  CapabilityApproval,
  Event,
  FailureReason,
  GatewayProblem,
  Mode,
  Origin,
  PairingRequest,
  Session,
  UserRef,
} from "./types.ts";

export const AUDIT_KINDS = [
  "request",
  "decision",
  "gateway",
  "connected",
  "ended",
  "disconnected",
  "narrowed",
] as const;
export type AuditKind = (typeof AUDIT_KINDS)[number];

/** A person as the platform named them when they acted; `handle` is the requester's unique handle, where known. */
export interface AuditPerson {
  platform: UserRef["platform"];
  id: string;
  name: string;
  handle?: string;
}

/** What an approver was shown when they decided: the gateway request, exactly as its message drew it. */
export type AuditShown =
  | {
      step: "request";
      mode: Mode;
      /** The commands the approver's button granted (absent: everything the node advertises). */
      commands?: string[];
    }
  | {
      step: "device";
      requestId: string;
      deviceId?: string;
      address?: string;
      deviceName?: string;
      /** The digest the approval button was bound to (subject.ts). */
      subject: string;
    }
  | {
      step: "capability";
      requestId: string;
      nodeId?: string;
      commands: string[];
      subject: string;
    };

interface Base {
  /** Epoch ms. */
  at: number;
  sessionId: string;
  displayName: string;
}

export type AuditRecord = Base &
  (
    | {
        kind: "request";
        by: AuditPerson;
        mode: Mode;
        /** Why the requester wants the node, as they typed it. */
        reason?: string;
        /** The node commands the requester asked for. */
        askedCommands?: string[];
        fallbackReason?: GatewayProblem;
        where: {
          platform: UserRef["platform"];
          channelId: string;
          thread?: string;
          place?: { kind: "server" | "group"; id: string; name: string };
          channel?: { id: string; name: string };
          topic?: { id: string; name?: string };
        };
      }
    | {
        kind: "decision";
        by: AuditPerson | "elsewhere";
        approved: boolean;
        shown: AuditShown;
      }
    | {
        kind: "gateway";
        action: string;
        ok: boolean;
        /** For a resolved request: whether the gateway approved it (false: rejected). */
        approved?: boolean;
        requestId?: string;
        deviceId?: string;
        nodeId?: string;
        setupId?: string;
        problem?: GatewayProblem;
        /** For the check after connection: the commands the gateway reported. */
        commands?: string[];
      }
    | { kind: "connected"; nodeId?: string; elapsedMs: number }
    | {
        kind: "ended";
        outcome: "cancelled" | "expired" | "failed";
        reason?: FailureReason;
        problem?: GatewayProblem;
        by?: AuditPerson;
        /** A node removed for exceeding its grant: the commands nobody approved. */
        excess?: string[];
      }
    | {
        /** An approver asked for fewer commands than a capability request held (its node must ask again). */
        kind: "narrowed";
        by: AuditPerson;
        requestId: string;
        /** The commands the node may ask for now. */
        commands: string[];
      }
    | {
        /** Access taken away again (written by /disconnect-node). */
        kind: "disconnected";
        by?: AuditPerson;
        nodeId?: string;
        deviceId?: string;
      }
  );

/**
 * The records one change of a session makes: `before` undefined for a session just opened. Only a change that is
 * written makes records (the caller passes them to the store's create or commit), so a retry neither loses nor doubles.
 */
export function auditRecords(
  before: Session | undefined,
  after: Session,
  event: Event | undefined,
): AuditRecord[] {
  const base = { sessionId: after.id, displayName: after.displayName };
  const records: AuditRecord[] = [];
  if (!before) records.push(requestRecord(after));
  const seen = new Set((before?.decisions ?? []).map(decisionKey));
  for (const d of after.decisions) {
    if (seen.has(decisionKey(d))) continue;
    const shown = shownFor(d, before, after);
    if (!shown) continue;
    records.push({
      ...base,
      at: d.at,
      kind: "decision",
      by: d.by === "elsewhere" ? "elsewhere" : person(d.by, after),
      approved: d.approved,
      shown,
    });
  }
  const n = after.narrowed;
  if (n && before?.narrowed?.at !== n.at && after.capabilityApproval)
    records.push({
      ...base,
      at: n.at,
      kind: "narrowed",
      by: person(n.by, after),
      requestId: after.capabilityApproval.requestId,
      commands: [...n.commands],
    });
  if (before && event) {
    const result = gatewayResult(before, event);
    if (result) records.push({ ...base, at: after.updatedAt, kind: "gateway", ...result });
  }
  if (before?.stage !== after.stage) {
    const nodeId =
      after.nodeId ??
      (event?.type === "nodeConnected" ? event.nodeId : undefined) ??
      after.capabilityApproval?.nodeId ??
      after.pairingRequest?.deviceId;
    if (after.stage === "connected")
      records.push({
        ...base,
        at: after.updatedAt,
        kind: "connected",
        ...(nodeId ? { nodeId } : {}),
        elapsedMs: Math.max(0, (after.connectedAt ?? after.updatedAt) - after.createdAt),
      });
    if (after.stage === "cancelled" || after.stage === "expired" || after.stage === "failed") {
      const by = event && "actor" in event && event.type === "cancel" ? event.actor : undefined;
      records.push({
        ...base,
        at: after.updatedAt,
        kind: "ended",
        outcome: after.stage,
        ...(after.failure ? { reason: after.failure.reason } : {}),
        ...(after.failure?.problem ? { problem: after.failure.problem } : {}),
        ...(by ? { by: person(by, after) } : {}),
        ...(after.revoked?.excess.length ? { excess: [...after.revoked.excess] } : {}),
      });
    }
  }
  return records;
}

/** Records oldest first, as every export prints them (ties keep the order they were written in). */
/**
 * The records of a node taken away with /disconnect-node: one for each session that had enrolled it, or one with no
 * session for a node enrolled some other way. Copied field by field, like every record.
 */
export function disconnectionRecords(removal: {
  nodeId: string;
  displayName?: string;
  by: UserRef;
  at: number;
  sessionIds: string[];
}): AuditRecord[] {
  const by: AuditPerson = {
    platform: removal.by.platform,
    id: removal.by.id,
    name: removal.by.name,
  };
  const sessions = removal.sessionIds.length > 0 ? removal.sessionIds : [""];
  return sessions.map((sessionId) => ({
    at: removal.at,
    sessionId,
    displayName: removal.displayName ?? "",
    kind: "disconnected",
    by,
    nodeId: removal.nodeId,
  }));
}

export function oldestFirst(records: AuditRecord[]): AuditRecord[] {
  return records
    .map((record, index) => ({ record, index }))
    .sort((a, b) => a.record.at - b.record.at || a.index - b.index)
    .map(({ record }) => record);
}

function requestRecord(s: Session): AuditRecord {
  const o: Origin = s.origin ?? {};
  return {
    at: s.createdAt,
    sessionId: s.id,
    displayName: s.displayName,
    kind: "request",
    by: person(s.requester, s),
    mode: s.mode,
    ...(s.reason ? { reason: s.reason } : {}),
    ...(s.askedCommands ? { askedCommands: [...s.askedCommands] } : {}),
    ...(s.fallbackReason ? { fallbackReason: s.fallbackReason } : {}),
    where: {
      platform: s.channel.platform,
      channelId: s.channel.id,
      ...(s.channel.thread ? { thread: s.channel.thread } : {}),
      ...(o.place ? { place: { kind: o.place.kind, id: o.place.id, name: o.place.name } } : {}),
      ...(o.channel ? { channel: { id: o.channel.id, name: o.channel.name } } : {}),
      ...(o.topic
        ? { topic: { id: o.topic.id, ...(o.topic.name ? { name: o.topic.name } : {}) } }
        : {}),
    },
  };
}

function shownFor(
  d: Session["decisions"][number],
  before: Session | undefined,
  after: Session,
): AuditShown | undefined {
  const step = d.step;
  if (step === "request") {
    const commands = d.approved ? commandsOf(d.grant ?? "all", after.askedCommands) : undefined;
    return { step, mode: before?.mode ?? after.mode, ...(commands ? { commands } : {}) };
  }
  if (step === "device") {
    const r = before?.pairingRequest ?? after.pairingRequest;
    return r && shownDevice(r);
  }
  const c = before?.capabilityApproval ?? after.capabilityApproval;
  return c && shownCapability(c);
}

function shownDevice(r: PairingRequest): AuditShown {
  return {
    step: "device",
    requestId: r.requestId,
    ...(r.deviceId ? { deviceId: r.deviceId } : {}),
    ...(r.remoteIp ? { address: r.remoteIp } : {}),
    ...(r.displayName ? { deviceName: r.displayName } : {}),
    subject: deviceSubject(r),
  };
}

function shownCapability(c: CapabilityApproval): AuditShown {
  return {
    step: "capability",
    requestId: c.requestId,
    ...(c.nodeId ? { nodeId: c.nodeId } : {}),
    commands: [...c.commands],
    subject: capabilitySubject(c),
  };
}

/** What the gateway did, as the event reporting it says (only events the machine accepted reach here). */
function gatewayResult(
  before: Session,
  event: Event,
): Omit<Extract<AuditRecord, { kind: "gateway" }>, keyof Base | "kind"> | undefined {
  switch (event.type) {
    case "setupCodeMinted":
      return { action: "mintSetupCode", ok: true, setupId: event.setupId };
    case "setupCompleted":
      return {
        action: "setupCompleted",
        ok: true,
        setupId: event.setupId,
        ...(event.deviceId ? { deviceId: event.deviceId } : {}),
      };
    case "deviceResolved": {
      const deviceId = before.pairingRequest?.deviceId;
      return {
        action: event.approved ? "approveDevice" : "rejectDevice",
        ok: true,
        approved: event.approved,
        requestId: event.requestId,
        ...(deviceId ? { deviceId } : {}),
      };
    }
    case "capabilityResolved": {
      const nodeId = before.capabilityApproval?.nodeId;
      return {
        action: event.approved ? "approveCapability" : "rejectCapability",
        ok: true,
        approved: event.approved,
        requestId: event.requestId,
        ...(nodeId ? { nodeId } : {}),
      };
    }
    case "grantChecked":
      return {
        action: "checkGrant",
        ok: true,
        ...(before.nodeId ? { nodeId: before.nodeId } : {}),
        ...(event.commands ? { commands: [...event.commands] } : {}),
      };
    case "nodeRevoked":
      return {
        action: "removeNode",
        ok: event.removed,
        ...(before.revoked?.nodeId ? { nodeId: before.revoked.nodeId } : {}),
      };
    case "gatewayFailed": {
      const device = event.action === "approveDevice" || event.action === "rejectDevice";
      const capability =
        event.action === "approveCapability" || event.action === "rejectCapability";
      const request = device
        ? before.pairingRequest
        : capability
          ? before.capabilityApproval
          : undefined;
      const deviceId = device ? before.pairingRequest?.deviceId : undefined;
      const nodeId = capability
        ? before.capabilityApproval?.nodeId
        : event.action === "checkGrant" || event.action === "removeNode"
          ? before.nodeId
          : undefined;
      return {
        action: event.action,
        ok: false,
        problem: event.problem,
        ...(request ? { requestId: request.requestId } : {}),
        ...(deviceId ? { deviceId } : {}),
        ...(nodeId ? { nodeId } : {}),
      };
    }
    default:
      return undefined;
  }
}

function person(user: UserRef, s: Session): AuditPerson {
  const handle =
    user.platform === s.requester.platform && user.id === s.requester.id
      ? s.origin?.handle
      : undefined;
  return {
    platform: user.platform,
    id: user.id,
    name: user.name,
    ...(handle ? { handle } : {}),
  };
}

function decisionKey(d: Session["decisions"][number]): string {
  const by = d.by === "elsewhere" ? d.by : `${d.by.platform}:${d.by.id}`;
  return `${d.step}|${by}|${d.approved}|${d.at}`;
}
