// The handshake's vocabulary: sessions, the events that move them and the effects they ask for.
// Plain data only: no platform types, no I/O. Secrets travel as `Secret`, never as strings.

import type { Grant, GrantChoice } from "./grant.ts";
import type { Secret } from "./secret.ts";
import type { Problem } from "./validate.ts";

export type Platform = "console" | "discord" | "telegram";
export type Lang = "en" | "zh-CN";

/** A person on a chat platform. `id` is the platform's own stable id. */
export interface UserRef {
  platform: Platform;
  id: string;
  name: string;
}

/**
 * The person behind an event, with their roles as the configuration says at the moment of the
 * click (so a demoted approver can no longer approve), and where they clicked.
 */
export interface Actor extends UserRef {
  lang: Lang;
  isApprover: boolean;
  isGatewayOperator: boolean;
  via: "channel" | "dm";
}

export interface ChannelRef {
  platform: Platform;
  id: string;
  /** A topic within the chat, where the platform has them (a Telegram forum's message_thread_id). */
  thread?: string;
}

/**
 * Where a session was opened and by whom, as the platform named them at that moment. Every approval DM shows it, with
 * ids and the requester's unique handle, so that a look-alike server, group or display name can be told apart.
 */
export interface Origin {
  /** The Discord server or the Telegram group. */
  place?: { kind: "server" | "group"; id: string; name: string };
  /** The channel within a Discord server. */
  channel?: { id: string; name: string };
  /** The topic within a Telegram forum. */
  topic?: { id: string; name?: string };
  /** The requester's unique handle (Discord username, Telegram @username); the id is `requester.id`. */
  handle?: string;
}

/** How the node is enrolled (OPENCLAW-FACTS.md, "Two ways to enrol a node"). */
export type Mode = "setupLink" | "sharedToken";

export type Stage =
  // setup link
  | "awaitingApproval"
  | "minting"
  | "linkSent"
  | "linkExpired"
  | "redeemed"
  // shared token
  | "awaitingGatewayOperator"
  | "awaitingCredentials"
  | "preflight"
  | "credentialsSent"
  | "devicePairingPending"
  | "awaitingRerun"
  | "capabilityPending"
  | "verifying"
  // terminal
  | "connected"
  | "cancelled"
  | "expired"
  | "failed";

export const TERMINAL_STAGES: readonly Stage[] = ["connected", "cancelled", "expired", "failed"];

export function isTerminal(stage: Stage): boolean {
  return TERMINAL_STAGES.includes(stage);
}

/** Where a node reaches the gateway, and the certificate it must see there. Not secret. */
export interface GatewayEndpoint {
  host: string;
  port: number;
  /** 64 lowercase hex digits, no colons. */
  fingerprint: string;
}

/** What the gateway operator typed so far, kept so a form can be reopened pre-filled (never the token). */
export interface CredentialsDraft {
  host?: string;
  port?: string;
  fingerprint?: string;
}

export type PreflightProblem =
  | "refused"
  | "hostNotFound"
  | "timeout"
  | "notTls"
  | "fingerprintMismatch"
  | "blockedAddress"
  | "rateLimited"
  | "other";

export type PreflightResult =
  | { ok: true; fingerprint: string; at: number }
  | { ok: false; problem: PreflightProblem; seenFingerprint?: string; detail?: string; at: number };

/** A first-stage request: a new device asks to pair (`openclaw devices list`). */
export interface PairingRequest {
  requestId: string;
  deviceId?: string;
  displayName?: string;
  remoteIp?: string;
  platform?: string;
  seenAt: number;
}

/** A second-stage request: a paired node asks for its command surface (`openclaw nodes pending`). */
export interface CapabilityApproval {
  requestId: string;
  nodeId?: string;
  commands: string[];
  seenAt: number;
}

export interface SetupLink {
  setupId: string;
  issuedAt: number;
  expiresAt: number;
  /** How many links this session has minted; the approver may re-issue an expired one. */
  issued: number;
  /** The gateway spent the code but could not confirm the node got its credentials: the approver may re-issue it. */
  deliveryUncertain?: boolean;
}

/**
 * Why the gateway could not do something (mint a setup link, approve a request), as the channel may hear it: each has a
 * plain sentence in i18n (`problem.*`). OpenClaw's own words and the bot's setting names go to the logs and, privately,
 * to whoever can fix them; never onto the card.
 */
export const GATEWAY_PROBLEMS = [
  "noGateway",
  "loopbackOnly",
  "authModeNone",
  "unauthorized",
  "botNotPaired",
  "timeout",
  "notConnected",
  "other",
] as const;
export type GatewayProblem = (typeof GATEWAY_PROBLEMS)[number];

/** The typed problem of a value, for sessions stored before reasons were typed (they held free text). */
export function gatewayProblem(value: unknown): GatewayProblem {
  return GATEWAY_PROBLEMS.includes(value as GatewayProblem) ? (value as GatewayProblem) : "other";
}

/** The problem an adapter's error names in its `problem` field (OpenClawError does), or "other". */
export function problemOf(error: unknown): GatewayProblem {
  return gatewayProblem((error as { problem?: unknown } | null | undefined)?.problem);
}

export type FailureReason =
  | "requestRejected"
  | "deviceRejected"
  | "capabilityRejected"
  | "gatewayError"
  | "secretLost"
  /** The node connected with commands nobody approved (a setup link used without its `--commands`): removed again. */
  | "grantExceeded"
  /** What the gateway granted could not be read, so the node's commands could not be checked: removed again. */
  | "grantUnverified";

/** Private messages the handshake sends; views render each from the session. */
export type DmKind =
  | "approvalRequest"
  | "setupLink"
  | "linkExpired"
  | "credentials"
  | "preflightFailed"
  | "preflightPassed"
  | "devicePairingApproval"
  | "rerun"
  | "capabilityApproval"
  | "confirmCredentials"
  | "connected"
  | "claimRequest"
  /** One reminder to the approvers of a request still waiting for them. */
  | "reminder"
  /** The requester, told privately how their request went (unless they saw it happen). */
  | "requestApproved"
  | "requestRejected"
  | "requestExpired"
  | "requestConnected"
  /** To the approvers and the node operator: the node took more commands than approved and was removed again. */
  | "grantExceeded"
  /** To the node operator: an approver asked for fewer commands; run the node again with only these. */
  | "narrowed";

/** Short answers to the person who clicked, shown to them alone. */
export type NoticeKey =
  | "notAuthorized"
  | "forSomeoneElse"
  | "cancelNotYours"
  | "approveOnlyInDm"
  | "selfApproval"
  | "alreadyApproved"
  | "alreadyRejected"
  | "sessionOver"
  | "notNow"
  | "invalidCredentials"
  | "claimed"
  | "alreadyClaimed"
  | "probing"
  | "approved"
  | "approvalCounted"
  | "rejected"
  | "cancelled"
  | "secretLost"
  | "nothingToReveal"
  | "diagnosed"
  | "replaced"
  | "mintImpossible"
  | "gatewayDetail"
  /** With the earlier approvals, this choice would grant no command at all. */
  | "grantEmpty"
  /** The node operator was asked to run the node again with fewer commands. */
  | "narrowed"
  /** This request's commands were narrowed: its approval waits for the node's new request. */
  | "narrowedAlready";

export interface Notice {
  key: NoticeKey;
  /** Values for the message: who decided, the session's stage. Never a secret. */
  params?: Record<string, string>;
  /** What is wrong with each value the gateway operator typed. */
  problems?: Problem[];
  /** Why the gateway could not do it, said in the recipient's language. */
  problem?: GatewayProblem;
}

export type GatewayAction =
  | { action: "mintSetupCode" }
  | { action: "approveDevice"; requestId: string }
  | { action: "rejectDevice"; requestId: string }
  | { action: "approveCapability"; requestId: string }
  | { action: "rejectCapability"; requestId: string }
  /** Read what the gateway granted the node that just connected (`node.describe`). */
  | { action: "checkGrant"; nodeId: string }
  /** Take a node that exceeded its grant off the gateway again (as /disconnect-node does). */
  | { action: "removeNode"; nodeId: string };

export interface Session {
  id: string;
  /** Grows by one with every change; the store's compare-and-set key. */
  version: number;
  mode: Mode;
  stage: Stage;
  channel: ChannelRef;
  /** Where and by whom the session was opened; absent on sessions stored before origins were recorded. */
  origin?: Origin;
  displayName: string;
  /** Why the requester wants the node, as they typed it (checked by `checkReason`); shown to every approver. */
  reason?: string;
  /** The node commands the requester asked for (`checkCommands`), if they named any. */
  askedCommands?: string[];
  /** The choice the approval buttons offer first (`CLAWSHAKE_DEFAULT_COMMANDS`); absent: "all", as before choices. */
  defaultGrant?: GrantChoice;
  /**
   * What the node may have, as the command handed to the node operator says (`--commands`): the approvers' choice
   * (setup link), or the requester's set or the default (shared token, where the capability approval then shows
   * exactly what the node asks for). Absent: everything the node advertises.
   */
  grant?: Grant;
  /** The commands the gateway reported for the node once it connected (`node.describe`), when they were checked. */
  granted?: string[];
  /**
   * An approver asked for fewer commands than the pending capability request holds (shared token: OpenClaw approves a
   * request whole, so the node must ask again with `--commands`). `shown`: that request's digest, which no approval
   * may then settle.
   */
  narrowed?: { by: UserRef; at: number; shown: string; commands: string[] };
  /** While the bot reads what the gateway granted the node that just connected. */
  checkingGrant?: boolean;
  /** A node that exceeded its grant: its extra commands, and whether the bot could take it off the gateway. */
  revoked?: { excess: string[]; removed: boolean | "pending"; nodeId: string };
  requester: UserRef;
  nodeOperator: UserRef;
  gatewayOperator?: UserRef;
  /** Each participant's language, as their platform last told it. Key: `userKey(user)`. */
  langs: Record<string, Lang>;
  createdAt: number;
  updatedAt: number;
  expiresAt: number;
  allowSelfApproval: boolean;
  /** How many distinct approvers each approval step needs (absent: 1, as before quorums). */
  approvalsRequired?: number;
  /** How long an approval may wait before the approvers are reminded, once (absent: never). */
  remindAfterMs?: number;
  /** When the approvers of the step waiting now are reminded; absent once they were, or when nothing waits for them. */
  remindAt?: number;
  /** What the requester was told privately, so they are told each outcome once. */
  told?: DmKind[];
  /** Why the session uses the shared token although setup links are the default. */
  fallbackReason?: GatewayProblem;
  draft?: CredentialsDraft;
  endpoint?: GatewayEndpoint;
  preflight?: PreflightResult;
  setupLink?: SetupLink;
  pairingRequest?: PairingRequest;
  capabilityApproval?: CapabilityApproval;
  /**
   * Requests that were pending and then replaced by one with other details (another device, address or command set),
   * newest last and at most a few: the messages drawn for them say so, and their buttons no longer act.
   */
  replaced?: { device: PairingRequest[]; capability: CapabilityApproval[] };
  /**
   * After the device was approved: when to tell the node operator to run the node again, unless the node carries on
   * by itself before then. Absent once they were told (and in every other stage).
   */
  rerunDueAt?: number;
  /** The gateway's id for the node (its device id), once the gateway has told it. */
  nodeId?: string;
  /** Who said yes or no at each step; "elsewhere" for the WebUI or the CLI. */
  decisions: {
    step: "request" | "device" | "capability";
    by: UserRef | "elsewhere";
    approved: boolean;
    at: number;
    /** The request the decision was given for (`deviceSubject`/`capabilitySubject`); only the same one counts. */
    shown?: string;
    /** For an approval of the request: which commands the approver granted (absent: all, as before choices). */
    grant?: GrantChoice;
  }[];
  /** Private messages to the node operator that could not be delivered (closed DMs). */
  undelivered: DmKind[];
  /** Of those, the ones the node operator has since been shown privately (the card's private button, a deep link). */
  revealed?: DmKind[];
  /** The stage a session was in when it ended, so the card's checklist keeps what had happened. */
  endedFrom?: Stage;
  /** Why it stopped; OpenClaw's own words went to the logs and, privately, to the approver. */
  failure?: { reason: FailureReason; problem?: GatewayProblem };
  /** Why the last gateway action failed, when it may be retried (shown on the card). */
  lastError?: GatewayProblem;
  lastDiagnosis?: { code: string; at: number };
  connectedAt?: number;
  /** An approver removed the connected node from the gateway (/disconnect-node); the card says who and when. */
  disconnected?: { by: UserRef; at: number };
  /** Sealed by the store, or kept in memory only; dropped when the session ends. */
  secrets: { token?: Secret; setupCode?: Secret };
}

export interface OpenRequest {
  id: string;
  mode: Mode;
  fallbackReason?: GatewayProblem;
  channel: ChannelRef;
  /** What the platform said of the place and the requester at this moment; carried along, never changed. */
  origin?: Origin;
  displayName: string;
  reason?: string;
  askedCommands?: string[];
  defaultGrant?: GrantChoice;
  requester: Actor;
  nodeOperator?: UserRef;
  ttlMs: number;
  allowSelfApproval: boolean;
  approvalsRequired?: number;
  remindAfterMs?: number;
}

export type Event =
  // people
  // `grant`: the button pressed (all / all but running programs / as asked); absent: the session's default.
  | { type: "approveRequest"; actor: Actor; grant?: GrantChoice }
  | { type: "rejectRequest"; actor: Actor }
  | { type: "reissueLink"; actor: Actor }
  | { type: "claimGatewayOperator"; actor: Actor }
  | { type: "openCredentialsForm"; actor: Actor }
  | {
      type: "submitCredentials";
      actor: Actor;
      host: string;
      port: string;
      fingerprint: string;
      token: Secret;
    }
  | { type: "requestAutofill"; actor: Actor }
  | { type: "autofilled"; host?: string; port: number; fingerprint: string; token: Secret }
  | { type: "confirmCredentials"; actor: Actor }
  // An approval names the request its message showed (`shown`: `deviceSubject`/`capabilitySubject`); without it, or
  // when what is pending now is something else, the machine refuses it.
  | { type: "approveDevice"; actor: Actor; shown?: string }
  | { type: "rejectDevice"; actor: Actor; shown?: string }
  | { type: "approveCapability"; actor: Actor; shown?: string }
  | { type: "rejectCapability"; actor: Actor; shown?: string }
  /** The capability request shown, but without the commands that run programs: its node must ask again. */
  | { type: "narrowCapability"; actor: Actor; shown?: string }
  | { type: "reveal"; actor: Actor }
  | { type: "cancel"; actor: Actor }
  | { type: "diagnosed"; actor: Actor; code: string; requestId?: string }
  // /disconnect-node: the confirmation's buttons (`shown`: `nodeSubject`) go to flows/disconnect.ts, not to the
  // machine; once the gateway removed the node, its session (connected, so ended) notes who removed it.
  | { type: "confirmDisconnect"; actor: Actor; shown?: string }
  | { type: "cancelDisconnect"; actor: Actor }
  | { type: "nodeRemoved"; actor: Actor }
  // the gateway and the bot's own adapters
  | { type: "setupCodeMinted"; setupId: string; code: Secret; expiresAt: number }
  | { type: "setupCompleted"; setupId: string; deviceId?: string }
  | { type: "setupDeliveryUncertain"; setupId: string }
  | { type: "preflightDone"; result: PreflightResult }
  | { type: "devicePairingRequested"; request: PairingRequest }
  | { type: "deviceResolved"; requestId: string; approved: boolean }
  | { type: "capabilityRequested"; request: CapabilityApproval }
  | { type: "capabilityResolved"; requestId: string; approved: boolean }
  | { type: "nodeConnected"; nodeId?: string }
  /** What the gateway granted the node (`node.describe`); `commands` undefined: it no longer knows the node. */
  | { type: "grantChecked"; commands?: string[] }
  | { type: "nodeRevoked"; removed: boolean }
  | {
      type: "gatewayFailed";
      action: GatewayAction["action"];
      /** What the card may say. */
      problem: GatewayProblem;
      /** What OpenClaw said (no secret): for the approver who acted, privately, and the logs. */
      message: string;
      fallbackToSharedToken?: boolean;
    }
  | { type: "dmUndeliverable"; message: DmKind }
  /** A private message that could not be delivered was shown to the node operator after all. */
  | { type: "revealed"; message: DmKind }
  | { type: "tick" };

export type Effect =
  /** Post the session card in its channel, or edit it in place. */
  | { type: "card" }
  /**
   * Send a private message to one person; falls back to `undelivered` if their DMs are closed. `inPlace`: the outcome
   * of what they just did; where the bot still holds the answer to it (the "Checking…"), that answer becomes it.
   */
  | { type: "dm"; to: UserRef; message: DmKind; inPlace?: boolean }
  /** Send a private message to every approver the platform can reach. */
  | { type: "dmApprovers"; message: DmKind }
  /** Send a private message to every configured gateway operator the platform can reach. */
  | { type: "dmGatewayOperators"; message: DmKind }
  /** Re-render every private message of this kind already sent (decided, redacted, expired). */
  | { type: "refreshDms"; message: DmKind }
  /** Answer the person who acted, privately (Discord ephemeral reply, Telegram DM, console). */
  | { type: "reply"; to: UserRef; message: DmKind }
  /** A short notice to the person who acted, privately. */
  | { type: "notice"; to: UserRef; notice: Notice }
  /** Ask the gateway operator for host, port, fingerprint and token (a modal, a private chat). */
  | { type: "form"; to: UserRef }
  /** Read host, port, fingerprint and token from the gateway the bot runs beside. */
  | { type: "autofill"; to: UserRef }
  /** A TLS handshake to host:port, reading the certificate's SHA-256. */
  | { type: "probe"; host: string; port: number }
  /** An action on the gateway: mint a setup code, approve or reject a request. */
  | ({ type: "gateway" } & GatewayAction);

export interface Decision {
  session: Session;
  effects: Effect[];
}

export function userKey(user: Pick<UserRef, "platform" | "id">): string {
  return `${user.platform}:${user.id}`;
}

export function sameUser(
  a: Pick<UserRef, "platform" | "id"> | undefined,
  b: Pick<UserRef, "platform" | "id">,
): boolean {
  return a !== undefined && a.platform === b.platform && a.id === b.id;
}
