// What an approval button is bound to: a short digest of the gateway request details its message showed.
// A click carries it back; the machine acts only when what is pending now has the same digest. Never a secret.

import { createHash } from "node:crypto";
import type { CapabilityApproval, DmKind, PairingRequest, Session } from "./types.ts";

/** 16 base64url characters (96 bits): short enough for Telegram's 64-byte callback data, far too long to guess. */
const LENGTH = 16;

/**
 * A device-pairing request as an approver judges it: which device, from which address. A retry of the same device
 * (OpenClaw makes a new requestId for it) keeps its subject; another device, or the same one from elsewhere, does not.
 */
export function deviceSubject(r: PairingRequest): string {
  return digest(["device", r.deviceId ?? `request:${r.requestId}`, r.remoteIp ?? ""]);
}

/** A capability request as an approver judges it: which node, and exactly which commands. */
export function capabilitySubject(c: CapabilityApproval): string {
  const commands = [...new Set(c.commands)].sort();
  return digest(["capability", c.nodeId ?? `request:${c.requestId}`, ...commands]);
}

/** The request a private message of this kind shows now, as its buttons name it; undefined for other messages. */
export function shownSubject(kind: DmKind, s: Session): string | undefined {
  if (kind === "devicePairingApproval" && s.pairingRequest) return deviceSubject(s.pairingRequest);
  if (kind === "capabilityApproval" && s.capabilityApproval)
    return capabilitySubject(s.capabilityApproval);
  return undefined;
}

function digest(parts: string[]): string {
  return createHash("sha256").update(JSON.stringify(parts)).digest("base64url").slice(0, LENGTH);
}

/**
 * A node as an approver judges its removal: which node, under which name, from which address. The confirmation's
 * button carries it; a node replaced, renamed or reconnected from elsewhere since no longer matches.
 */
export function nodeSubject(n: {
  nodeId: string;
  displayName?: string;
  remoteIp?: string;
}): string {
  return digest(["node", n.nodeId, n.displayName ?? "", n.remoteIp ?? ""]);
}

/** A short handle for one node, for the confirmation's id (Telegram's 64 bytes hold no 64-digit node id). */
export function nodeHandle(nodeId: string): string {
  return `n${digest(["handle", nodeId])}`;
}
