// The interfaces through which flows reach the world: store, chat platforms, gateway, clock.
// Core and flows depend only on these; adapters implement them. Nothing here does I/O.

import type { AuditRecord } from "./audit.ts";
import type { Secret } from "./secret.ts";
import type {
  CapabilityApproval,
  ChannelRef,
  Effect,
  GatewayProblem,
  PairingRequest,
  Platform,
  PreflightResult,
  Session,
  UserRef,
} from "./types.ts";
import type { CommandNames, FormView, MessageView } from "./view.ts";

/** Where a message the bot sent lives, so it can be edited later (the card, a DM). */
export interface MessageRef {
  platform: Platform;
  chatId: string;
  messageId: string;
}

export interface OutboxEntry {
  id: string;
  sessionId: string;
  /** Position in the session's history; entries run in order. */
  seq: number;
  effect: Effect;
}

/**
 * The audit trail (core/audit.ts). Records are written only with a session change (`create`, `commit`), in the same
 * write, and read back for `clawshake audit`; they hold no secret.
 */
export interface AuditLog {
  /** Records at or after `since` (epoch ms; all when absent), oldest first. */
  auditRecords(since?: number): Promise<AuditRecord[]>;
  /**
   * Writes records that go with no session change (a node taken away again, `kind: "disconnected"`). A record that
   * goes with a change is passed to `create` or `commit` instead, so that the two cannot part.
   */
  appendAudit(records: AuditRecord[]): Promise<void>;
  /** Deletes the records older than `before` (epoch ms); returns how many. */
  pruneAudit(before: number): Promise<number>;
}

/**
 * Sessions with compare-and-set on `version`, plus the outbox: a new session state and the
 * effects it asks for are written together, so a crash in between loses and doubles nothing. The audit records a
 * change makes are written with it, too.
 */
export interface SessionStore extends AuditLog {
  /** Writes a new session (version 1) with its first effects and audit records. False if the id exists. */
  create(session: Session, effects: Effect[], audit?: AuditRecord[]): Promise<boolean>;
  get(id: string): Promise<Session | undefined>;
  /** Writes `session` (with its effects and audit records) if the stored version is still `expectedVersion`. */
  commit(
    session: Session,
    expectedVersion: number,
    effects: Effect[],
    audit?: AuditRecord[],
  ): Promise<boolean>;
  /** Sessions that have not reached a terminal stage. */
  active(): Promise<Session[]>;
  /** How many sessions have not ended. */
  countActive(): Promise<number>;
  /** Live sessions whose `dueAt` (expiry, or setup-link expiry) is at or before `now`. */
  due(now: number): Promise<Session[]>;
  /**
   * Live sessions for a node of this display name, compared as `displayNameKey` (NFKC, case-folded): a second request
   * for the same name, or one that only looks the same, is refused.
   */
  activeNamed(displayName: string): Promise<Session[]>;
  /** Sessions, ended or not, that enrolled one of these nodes (`nodeId`): for /nodes and /disconnect-node. */
  enrolled(nodeIds: readonly string[]): Promise<Session[]>;
  pendingEffects(sessionId?: string): Promise<OutboxEntry[]>;
  markDone(entryId: string): Promise<void>;
  /** Remembers where a message of a session was sent (`key`: "card", "dm:credentials:…"). */
  putMessage(sessionId: string, key: string, ref: MessageRef): Promise<void>;
  messages(sessionId: string, keyPrefix: string): Promise<{ key: string; ref: MessageRef }[]>;
  close(): Promise<void>;
  /**
   * For stores shared by several bot instances (Redis): takes or renews a named lease; true while `holder` holds it.
   * A holder that dies loses it after `ttlMs`. Stores of a single instance do not implement it.
   */
  lease?(name: string, holder: string, ttlMs: number): Promise<boolean>;
  /** For shared stores: claims one outbox entry for `holder` for `ttlMs`, so two instances do not both carry it out. */
  claim?(entryId: string, holder: string, ttlMs: number): Promise<boolean>;
}

/** The answer to the person who clicked or typed, where the platform allows one (ephemeral). */
export interface Responder {
  reply(view: MessageView): Promise<void>;
  form(form: FormView): Promise<void>;
  /**
   * Replaces this responder's last answer (the "Checking…" of a submit) with `view`, in place where the platform can
   * edit it, or as the next answer to the same person. False when it could not: the caller then says it another way.
   */
  update?(view: MessageView): Promise<boolean>;
}

export type DmOutcome =
  | { ok: true; ref: MessageRef }
  | { ok: false; reason: "closed" | "unknownUser" };

/** One chat platform, as the flows need it. */
export interface Chat {
  readonly platform: Platform;
  /** The bot's commands as this platform spells them, for hints in what people read. */
  readonly commands: CommandNames;
  /**
   * `key` names one send. A platform that can (Discord's enforced nonce) creates one message per key, so a retry after
   * a crash between the send and the store recording it does not post it twice; the others send again.
   */
  postCard(channel: ChannelRef, view: MessageView, key?: string): Promise<MessageRef>;
  edit(ref: MessageRef, view: MessageView): Promise<void>;
  sendDm(user: UserRef, view: MessageView, key?: string): Promise<DmOutcome>;
  /** Approvers the bot can reach for this channel (configured ids, role members, group admins). */
  approvers(channel: ChannelRef): Promise<UserRef[]>;
  /** The configured gateway operators the bot can reach for this channel (ids, role members). */
  gatewayOperators(channel: ChannelRef): Promise<UserRef[]>;
  /** For /healthz: a short status, false (or a rejection) when the platform cannot be reached. */
  health?(): Promise<string | boolean>;
}

export interface GatewayInfo {
  /** "events": one operator connection; "cli": the openclaw CLI, polled by one shared poller. */
  path: "events" | "cli" | "none";
  canMint: boolean;
  /** Why setup links are off, in the gateway's or the settings' own words: for `clawshake check` and the logs. */
  mintUnavailableReason?: string;
  /** Why setup links are off, as the card says it. */
  mintUnavailable?: GatewayProblem;
  webUiUrl?: string;
  /** The gateway's OpenClaw version (the operator connection's hello, or `openclaw --version` beside it), if known. */
  version?: string;
}

export interface MintedSetupCode {
  setupId: string;
  code: Secret;
  expiresAt: number;
}

export interface Autofill {
  host?: string;
  port: number;
  fingerprint: string;
  token: Secret;
}

export type GatewayEvent =
  | { type: "devicePairingRequested"; request: PairingRequest }
  | { type: "deviceResolved"; requestId: string; approved: boolean }
  | { type: "capabilityRequested"; request: CapabilityApproval & { displayName?: string } }
  | { type: "capabilityResolved"; requestId: string; approved: boolean }
  | { type: "setupCompleted"; setupId: string; deviceId?: string; deviceName?: string }
  // `device.pair.setup.deliveryUncertain`: the code is spent, and the node may not have received its credentials.
  | { type: "setupDeliveryUncertain"; setupId: string }
  | { type: "nodeStatus"; nodes: NodeStatus[] };

export interface NodeStatus {
  nodeId: string;
  displayName?: string;
  approved: boolean;
  connected: boolean;
}

/** A node the gateway knows (`node.list`), for /nodes and /disconnect-node. */
export interface GatewayNode {
  /** For a headless node (`openclaw node run`) the node id is its device id. */
  nodeId: string;
  displayName?: string;
  connected: boolean;
  /** Its commands approved; false while a capability request waits. */
  approved: boolean;
  /** The address the gateway saw it connect from; only approvers see it. */
  remoteIp?: string;
  platform?: string;
  version?: string;
}

/** What the gateway says of one node now (`node.describe`): connected or not, and the commands it may run. */
export interface NodeDescription {
  nodeId: string;
  connected: boolean;
  /** The node's commands as the gateway reports them (live, and approved for it), sorted, no duplicates. */
  commands: string[];
}

/** The OpenClaw gateway, through one operator connection or the CLI. */
export interface Gateway {
  info(): Promise<GatewayInfo>;
  mintSetupCode(): Promise<MintedSetupCode>;
  /** "alreadyDecided" when the request was resolved elsewhere (OpenClaw: `unknown requestId`). */
  approveDevice(requestId: string): Promise<"done" | "alreadyDecided">;
  rejectDevice(requestId: string): Promise<"done" | "alreadyDecided">;
  approveCapability(requestId: string): Promise<"done" | "alreadyDecided">;
  rejectCapability(requestId: string): Promise<"done" | "alreadyDecided">;
  autofill(): Promise<Autofill>;
  /** The nodes the gateway knows, connected or not. */
  listNodes(): Promise<GatewayNode[]>;
  /**
   * Removes the node's pairing and its device, which closes its connection and voids its credentials.
   * "alreadyGone" when the gateway no longer knows it.
   */
  removeNode(nodeId: string): Promise<"done" | "alreadyGone">;
  /** One node as the gateway sees it now (`node.describe`); undefined when the gateway does not know it. */
  describeNode(nodeId: string): Promise<NodeDescription | undefined>;
  /** Start watching; `waiting()` says whether any session still needs events (pollers idle otherwise). */
  watch(listener: (event: GatewayEvent) => void, waiting: () => boolean): () => void;
  /** Closes the connection or the poller, if the implementation holds one. */
  stop?(): Promise<void>;
}

export interface TlsProbe {
  probe(
    host: string,
    port: number,
  ): Promise<
    | Omit<Extract<PreflightResult, { ok: true }>, "at">
    | Omit<Extract<PreflightResult, { ok: false }>, "at">
  >;
}

export interface Clock {
  now(): number;
}
