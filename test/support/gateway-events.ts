// The gateway's side of a handshake as events, for tests that play the gateway (ScriptedGateway, a bot process).
// Each is seen now, as the operator connection would report it.

import type { GatewayEvent } from "../../src/core/ports.ts";
import type { CapabilityApproval, PairingRequest } from "../../src/core/types.ts";

/** A node asks to pair its device (the first stage of the shared-token mode). */
export function pairingRequested(request: Omit<PairingRequest, "seenAt">): GatewayEvent {
  return { type: "devicePairingRequested", request: { ...request, seenAt: Date.now() } };
}

/** A paired node asks for its commands (the second stage). */
export function capabilityRequested(request: Omit<CapabilityApproval, "seenAt">): GatewayEvent {
  return { type: "capabilityRequested", request: { ...request, seenAt: Date.now() } };
}

/** The gateway lists the node approved and connected. */
export function nodeConnected(nodeId: string, displayName: string): GatewayEvent {
  return { type: "nodeStatus", nodes: [{ nodeId, displayName, approved: true, connected: true }] };
}
