// Finds the session a gateway event belongs to: by request id, node id, setup id, or display name and time.
// Never guesses: when two sessions could own a request, it says so and picks neither.

import type { GatewayEvent, NodeStatus } from "./ports.ts";
import type { Session, Stage } from "./types.ts";

export type Match =
  | { kind: "one"; session: Session }
  | { kind: "none" }
  | { kind: "ambiguous"; sessions: Session[] };

/** Stages in which a first-stage pairing request from the node is expected. */
const AWAITING_DEVICE: Stage[] = ["credentialsSent", "devicePairingPending", "awaitingRerun"];
/** Stages in which a capability request is expected (a loopback node skips device pairing). */
const AWAITING_CAPABILITY: Stage[] = [
  "credentialsSent",
  "devicePairingPending",
  "awaitingRerun",
  "linkSent",
  "redeemed",
];

/** The node id a session is known to enrol, once the gateway told us. */
export function knownNodeId(s: Session): string | undefined {
  return s.nodeId ?? s.pairingRequest?.deviceId ?? s.capabilityApproval?.nodeId;
}

export function matchEvent(
  sessions: Session[],
  event: Exclude<GatewayEvent, { type: "nodeStatus" }>,
): Match {
  switch (event.type) {
    case "setupCompleted":
    case "setupDeliveryUncertain":
      return one(sessions.filter((s) => s.setupLink?.setupId === event.setupId));
    case "deviceResolved":
      return one(sessions.filter((s) => s.pairingRequest?.requestId === event.requestId));
    case "capabilityResolved":
      return one(sessions.filter((s) => s.capabilityApproval?.requestId === event.requestId));
    case "devicePairingRequested": {
      const { request } = event;
      const byDevice = sessions.filter(
        (s) => request.deviceId !== undefined && knownNodeId(s) === request.deviceId,
      );
      if (byDevice.length > 0) return one(byDevice);
      return byName(sessions, AWAITING_DEVICE, request.displayName, request.seenAt);
    }
    case "capabilityRequested": {
      const { request } = event;
      const byNode = sessions.filter(
        (s) => request.nodeId !== undefined && knownNodeId(s) === request.nodeId,
      );
      if (byNode.length > 0) return one(byNode);
      return byName(sessions, AWAITING_CAPABILITY, request.displayName, request.seenAt);
    }
  }
}

/**
 * Sessions whose node the status shows approved and connected. A node is recognised by its id; by display name
 * only once the session is past its approvals, so an older node of the same name cannot finish a new session.
 */
export function connectedSessions(sessions: Session[], nodes: NodeStatus[]): Session[] {
  const live = nodes.filter((n) => n.approved && n.connected);
  return sessions.filter((s) => {
    const id = knownNodeId(s);
    if (id !== undefined) return live.some((n) => n.nodeId === id);
    return (
      (s.stage === "verifying" || s.stage === "redeemed") &&
      live.some((n) => n.displayName === s.displayName)
    );
  });
}

function byName(
  sessions: Session[],
  stages: Stage[],
  displayName: string | undefined,
  seenAt: number,
): Match {
  if (displayName === undefined) return { kind: "none" };
  return one(
    sessions.filter(
      (s) => stages.includes(s.stage) && s.displayName === displayName && s.createdAt <= seenAt,
    ),
  );
}

function one(candidates: Session[]): Match {
  if (candidates.length === 0) return { kind: "none" };
  if (candidates.length === 1) return { kind: "one", session: candidates[0] as Session };
  return { kind: "ambiguous", sessions: candidates };
}
