// The shapes OpenClaw prints and sends (CLI --json output, WebSocket results and events), as zod schemas that keep
// unknown fields, and their translation into the core's vocabulary. Parsing only: no I/O, and no secret is ever returned.

import { z } from "zod";
import type { GatewayNode, NodeDescription, NodeStatus } from "../../core/ports.ts";
import type { CapabilityApproval, PairingRequest } from "../../core/types.ts";

const optionalString = z.string().optional();

/** A first-stage request: `devices list --json` `.pending[]`, `device.pair.list`, the `device.pair.requested` event. */
export const DevicePendingSchema = z.looseObject({
  requestId: z.string().min(1),
  deviceId: optionalString,
  displayName: optionalString,
  platform: optionalString,
  remoteIp: optionalString,
  role: optionalString,
  roles: z.array(z.string()).optional(),
  silent: z.boolean().optional(),
  isRepair: z.boolean().optional(),
  ts: z.number().optional(),
});
export type DevicePending = z.infer<typeof DevicePendingSchema>;

export const DevicePairedSchema = z.looseObject({
  deviceId: z.string().min(1),
  displayName: optionalString,
  approvedVia: optionalString,
  approvedAtMs: z.number().optional(),
  connected: z.boolean().optional(),
});

/** `openclaw devices list --json`, and the `device.pair.list` result. */
export const DevicesListSchema = z.looseObject({
  pending: z.array(DevicePendingSchema).default([]),
  paired: z.array(DevicePairedSchema).default([]),
});
export type DevicesList = z.infer<typeof DevicesListSchema>;

/** A second-stage request: `nodes pending --json` entries, `node.pair.list` `.pending[]`, `node.pair.requested`. */
export const NodePendingSchema = z.looseObject({
  requestId: z.string().min(1),
  nodeId: optionalString,
  displayName: optionalString,
  commands: z.array(z.string()).default([]),
  caps: z.array(z.string()).optional(),
  requiredApproveScopes: z.array(z.string()).optional(),
  ts: z.number().optional(),
});
export type NodePending = z.infer<typeof NodePendingSchema>;

/** `openclaw nodes pending --json` prints the pending array itself. */
export const NodesPendingSchema = z.array(NodePendingSchema);

/** The `node.pair.list` result over the WebSocket. */
export const NodePairListSchema = z.looseObject({
  pending: z.array(NodePendingSchema).default([]),
  /** Each paired node with the commands approved for it (not what it runs with now: `node.describe` says that). */
  paired: z
    .array(z.looseObject({ nodeId: z.string().min(1), commands: z.array(z.string()).optional() }))
    .default([]),
});

export const NodeStatusEntrySchema = z.looseObject({
  nodeId: z.string().min(1),
  displayName: optionalString,
  remoteIp: optionalString,
  platform: optionalString,
  version: optionalString,
  approvalState: optionalString,
  pendingRequestId: optionalString,
  paired: z.boolean().optional(),
  connected: z.boolean().optional(),
});

/** `openclaw nodes status --json`, and the `node.list` result it is made from. */
export const NodesStatusSchema = z.looseObject({
  ts: z.number().optional(),
  nodes: z.array(NodeStatusEntrySchema).default([]),
});
export type NodesStatus = z.infer<typeof NodesStatusSchema>;

/**
 * `node.describe` (WebSocket), and `openclaw nodes describe --node <id> --json`, which prints the same object. Measured
 * on 2026.9.6: `commands` is what the gateway lets the node run (`--commands system.which` gives `["system.which"]`).
 */
export const NodeDescribeSchema = z.looseObject({
  nodeId: z.string().min(1),
  displayName: optionalString,
  connected: z.boolean().optional(),
  commands: z.array(z.string()).default([]),
  caps: z.array(z.string()).optional(),
  approvalState: optionalString,
});
export type NodeDescribe = z.infer<typeof NodeDescribeSchema>;

/** `device.pair.setupCode` (WebSocket, or `gateway call … --json`). `setupCode` is a secret. */
export const SetupCodeSchema = z.looseObject({
  setupId: z.string().min(1),
  setupCode: z.string().min(1),
  expiresAtMs: z.number(),
  gatewayUrl: optionalString,
  access: optionalString,
});

const SetupCompletionSchema = z.looseObject({
  setupId: z.string().min(1),
  deviceId: optionalString,
  deviceName: optionalString,
  ts: z.number().optional(),
});

/**
 * `device.pair.setupStatus`: `{}` until the code was redeemed, then `{ completion }`; `{ deliveryUncertain }` when the
 * gateway spent the code but could not confirm the node received its credentials.
 */
export const SetupStatusSchema = z.looseObject({
  completion: SetupCompletionSchema.optional(),
  deliveryUncertain: SetupCompletionSchema.optional(),
});

/** The `device.pair.setup.completed` event. */
export const SetupCompletedSchema = SetupCompletionSchema;

/** `device.pair.resolved` and `node.pair.resolved`. */
export const ResolvedSchema = z.looseObject({
  requestId: z.string().min(1),
  deviceId: optionalString,
  nodeId: optionalString,
  decision: z.string(),
});

/** What `openclaw … --json` prints when it fails. */
export const CliFailureSchema = z.looseObject({
  ok: z.literal(false),
  error: z.looseObject({
    type: z.string(),
    message: z.string(),
    code: z.union([z.string(), z.number()]).optional(),
    kind: optionalString,
  }),
});

/** Whether a first-stage request is a node's: the bot only follows nodes (operators' devices are not its business). */
export function isNodeDeviceRequest(request: DevicePending): boolean {
  if (request.silent === true) return false;
  if (request.role === undefined && request.roles === undefined) return true;
  return request.role === "node" || (request.roles ?? []).includes("node");
}

export function toPairingRequest(request: DevicePending, now: number): PairingRequest {
  const result: PairingRequest = { requestId: request.requestId, seenAt: request.ts ?? now };
  if (request.deviceId) result.deviceId = request.deviceId;
  if (request.displayName) result.displayName = request.displayName;
  if (request.remoteIp) result.remoteIp = request.remoteIp;
  if (request.platform) result.platform = request.platform;
  return result;
}

export function toCapabilityApproval(
  request: NodePending,
  now: number,
): CapabilityApproval & { displayName?: string } {
  const result: CapabilityApproval & { displayName?: string } = {
    requestId: request.requestId,
    commands: [...request.commands],
    seenAt: request.ts ?? now,
  };
  if (request.nodeId) result.nodeId = request.nodeId;
  if (request.displayName) result.displayName = request.displayName;
  return result;
}

export function toNodeStatus(entry: z.infer<typeof NodeStatusEntrySchema>): NodeStatus {
  const approved =
    entry.approvalState === undefined ? entry.paired === true : entry.approvalState === "approved";
  const result: NodeStatus = {
    nodeId: entry.nodeId,
    approved,
    connected: entry.connected === true,
  };
  if (entry.displayName) result.displayName = entry.displayName;
  return result;
}

/** A `node.list` entry as /nodes shows it. */
export function toGatewayNode(entry: z.infer<typeof NodeStatusEntrySchema>): GatewayNode {
  const result: GatewayNode = { ...toNodeStatus(entry) };
  if (entry.remoteIp) result.remoteIp = entry.remoteIp;
  if (entry.platform) result.platform = entry.platform;
  if (entry.version) result.version = entry.version;
  return result;
}

/**
 * What the bot compares with the approved set: connected or not, and the commands, sorted and without duplicates.
 * What a node may run is what it runs with now and, from `pairing` (`node.pair.list`), what the gateway approved for
 * it. A connected node is described with its live commands only (openclaw 2026.9.6, node-catalog), so one that first
 * connected without `--commands` (approved: everything) and then again with them would look within its grant while its
 * pairing still holds the rest, which it gets back unasked the next time it starts without them.
 */
export function toNodeDescription(
  entry: NodeDescribe,
  pairing?: z.infer<typeof NodePairListSchema>,
): NodeDescription {
  const approved = pairing?.paired.find((node) => node.nodeId === entry.nodeId)?.commands ?? [];
  return {
    nodeId: entry.nodeId,
    connected: entry.connected === true,
    commands: [...new Set([...entry.commands, ...approved])].sort(),
  };
}

/** Parses with a schema and says which field is wrong, without echoing the data (it may hold a setup code). */
export function parseShape<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`)
    .join("; ");
  throw new ShapeError(`${what}: unexpected shape (${issues})`);
}

export class ShapeError extends Error {
  override name = "ShapeError";
}
