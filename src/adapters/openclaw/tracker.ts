// Remembers which pairing requests are pending and what node status was last told, and turns OpenClaw's lists and
// events into GatewayEvents: new requests, resolutions (also ones that happened while nobody watched), status changes.
// Pure bookkeeping: no I/O, no timers; never invents a decision it cannot read from OpenClaw's own state.

import type { GatewayEvent, NodeStatus } from "../../core/ports.ts";
import type { CapabilityApproval, PairingRequest } from "../../core/types.ts";
import {
  type DevicePending,
  type DevicesList,
  isNodeDeviceRequest,
  type NodePending,
  toCapabilityApproval,
  toPairingRequest,
} from "./schemas.ts";

/** What one look at the gateway showed. Parts left out are not compared; `nodes` tells which capabilities were approved. */
export interface GatewaySnapshot {
  devices?: DevicesList;
  capabilities?: { pending: NodePending[]; pairedNodeIds?: string[] };
  nodes?: NodeStatus[];
}

export class PairingTracker {
  readonly #devices = new Map<string, PairingRequest>();
  readonly #capabilities = new Map<string, CapabilityApproval & { displayName?: string }>();
  #lastStatus: string | undefined;

  /** A `device.pair.requested` event; undefined for requests the bot does not follow (silent, operators'). */
  deviceRequested(request: DevicePending, now: number): GatewayEvent | undefined {
    if (!isNodeDeviceRequest(request)) return undefined;
    const pairingRequest = toPairingRequest(request, now);
    this.#devices.set(request.requestId, pairingRequest);
    return { type: "devicePairingRequested", request: pairingRequest };
  }

  deviceResolved(requestId: string, decision: string): GatewayEvent {
    this.#devices.delete(requestId);
    return { type: "deviceResolved", requestId, approved: decision === "approved" };
  }

  capabilityRequested(request: NodePending, now: number): GatewayEvent {
    const approval = toCapabilityApproval(request, now);
    this.#capabilities.set(request.requestId, approval);
    return { type: "capabilityRequested", request: approval };
  }

  capabilityResolved(requestId: string, decision: string): GatewayEvent {
    this.#capabilities.delete(requestId);
    return { type: "capabilityResolved", requestId, approved: decision === "approved" };
  }

  /**
   * The request that replaced capability request `requestId` of `nodeId`, if `pending` holds one. OpenClaw gives a
   * node that asks again with other commands a new request and resolves the old one as "rejected" (measured,
   * test/adapters/openclaw/narrowing.test.ts): that is a replacement, which the new request's own event tells.
   */
  supersededBy(
    requestId: string,
    nodeId: string | undefined,
    pending: readonly NodePending[],
  ): string | undefined {
    if (nodeId === undefined) return undefined;
    return pending.find((request) => request.nodeId === nodeId && request.requestId !== requestId)
      ?.requestId;
  }

  /** Forgets a capability request another replaced; nothing is told (the new request is). */
  capabilitySuperseded(requestId: string): void {
    this.#capabilities.delete(requestId);
  }

  /** The node a capability request belongs to, if the tracker saw the request. */
  nodeOfCapability(requestId: string): string | undefined {
    return this.#capabilities.get(requestId)?.nodeId;
  }

  /** A nodeStatus event when the list differs from the one last told (or always, with `force`). */
  status(nodes: NodeStatus[], force = false): GatewayEvent | undefined {
    const key = JSON.stringify([...nodes].sort((a, b) => a.nodeId.localeCompare(b.nodeId)));
    if (!force && key === this.#lastStatus) return undefined;
    this.#lastStatus = key;
    return { type: "nodeStatus", nodes };
  }

  /**
   * Compares a fresh look at the gateway with what the tracker knew. New requests are announced; with `reemit`, so
   * are the ones already known (after a reconnect, listeners may have missed them). Known requests that are gone
   * were decided meanwhile: approved when the device (node) is now paired (approved), rejected or expired otherwise.
   * Node status is not announced here (`status`), so callers can put it after the steps it follows.
   */
  reconcile(snapshot: GatewaySnapshot, now: number, reemit: boolean): GatewayEvent[] {
    const events: GatewayEvent[] = [];
    if (snapshot.devices) {
      const pending = snapshot.devices.pending.filter(isNodeDeviceRequest);
      const pendingIds = new Set(pending.map((request) => request.requestId));
      const paired = new Set(snapshot.devices.paired.map((device) => device.deviceId));
      for (const [requestId, known] of this.#devices) {
        if (pendingIds.has(requestId)) continue;
        const approved = known.deviceId !== undefined && paired.has(known.deviceId);
        events.push(this.deviceResolved(requestId, approved ? "approved" : "gone"));
      }
      for (const request of pending) {
        const isNew = !this.#devices.has(request.requestId);
        const event = this.deviceRequested(request, now);
        if (event && (isNew || reemit)) events.push(event);
      }
    }
    if (snapshot.capabilities) {
      const pendingIds = new Set(snapshot.capabilities.pending.map((request) => request.requestId));
      const approvedNodes = new Set([
        ...(snapshot.capabilities.pairedNodeIds ?? []),
        ...(snapshot.nodes ?? []).filter((node) => node.approved).map((node) => node.nodeId),
      ]);
      for (const [requestId, known] of this.#capabilities) {
        if (pendingIds.has(requestId)) continue;
        if (this.supersededBy(requestId, known.nodeId, snapshot.capabilities.pending)) {
          this.capabilitySuperseded(requestId);
          continue;
        }
        const approved = known.nodeId !== undefined && approvedNodes.has(known.nodeId);
        events.push(this.capabilityResolved(requestId, approved ? "approved" : "gone"));
      }
      for (const request of snapshot.capabilities.pending) {
        const isNew = !this.#capabilities.has(request.requestId);
        const event = this.capabilityRequested(request, now);
        if (isNew || reemit) events.push(event);
      }
    }
    return events;
  }
}
