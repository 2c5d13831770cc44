// What every use case of src/flows shares: the ports and settings (HandshakeDeps), and the little state one bot
// instance keeps in memory (outbox runners, retry times, rate limits, the render cache, answers held for an outcome).
// One object, made once per Handshake and passed to each use case; never a module-level global. Memory only: the
// store stays the truth, and nothing here may hold a Secret.

import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import type { GrantChoice } from "../core/grant.ts";
import type {
  Chat,
  Clock,
  Gateway,
  GatewayInfo,
  Responder,
  SessionStore,
  TlsProbe,
} from "../core/ports.ts";
import type { Lang, Mode, Session } from "../core/types.ts";

export interface HandshakeSettings {
  /** How long a session lives before it expires unfinished. */
  ttlMs: number;
  /** "auto": setup links where the gateway can mint them, the shared token otherwise. */
  mode: "auto" | Mode;
  allowSelfApproval: boolean;
  /** Refuse `/connect-node` without a reason. */
  requireReason?: boolean;
  /** Distinct approvers each approval step needs (1 when absent). */
  approvalsRequired?: number;
  /** The commands the approval buttons offer first (`CLAWSHAKE_DEFAULT_COMMANDS`); "all" when absent. */
  defaultGrant?: GrantChoice;
  /** When a waiting approval gets its one reminder; never when absent. */
  remindAfterMs?: number;
  defaultLang: Lang;
  /** The gateway's Control UI Devices page, for cards and approvers. */
  webUiUrl?: string;
  /** /connect-node requests one person may make per hour. */
  connectLimitPerHour: number;
  /** The bot runs beside its gateway, so the gateway operator may fill the credentials from it. */
  canAutofill?: boolean;
}

/** What the flows report for monitoring; optional. */
export interface HandshakeMetrics {
  transition(before: Session, after: Session): void;
  gatewayCall(action: string, ok: boolean): void;
  effectFailed(effect: string): void;
}

export interface HandshakeDeps {
  store: SessionStore;
  chats: Chat[];
  gateway: Gateway;
  probe: TlsProbe;
  clock: Clock;
  log: Logger;
  newId: () => string;
  settings: HandshakeSettings;
  metrics?: HandshakeMetrics;
  /**
   * Told when a changed session falls due (`dueAt`, epoch ms), so a due time sooner than the steady tick (the
   * re-run reminder, seconds after a device approval) can get a tick of its own. The store's due index stays the
   * truth: a missed wake-up only waits for the next steady tick.
   */
  wake?: (at: number) => void;
}

/** TLS pre-flight checks one session may make in a window, so the bot cannot be used to scan a network. */
export const PROBES_PER_WINDOW = 5;
export const PROBE_WINDOW_MS = 10 * 60_000;
/** How long the answer to a submit stays usable for its outcome (Discord's interaction tokens last 15 minutes). */
export const ANSWER_IN_PLACE_MS = 14 * 60_000;

export interface FlowContext {
  readonly deps: HandshakeDeps;
  /** This instance, as named in claims on outbox entries. */
  readonly instance: string;
  readonly chats: Map<string, Chat>;
  /** One outbox runner per session at a time, so a session's effects happen in order. */
  readonly running: Map<string, Promise<void>>;
  /** Outbox entry → when it first failed. */
  readonly attempts: Map<string, number>;
  /** Per-person /connect-node times and per-session probe times, for rate limits (per instance). */
  readonly opens: Map<string, number[]>;
  readonly probes: Map<string, number[]>;
  /** What each message last showed, so an unchanged card is not edited again (Telegram refuses such edits). */
  readonly shown: Map<string, string>;
  /**
   * Per session, the answer to the submit whose TLS check is running (its "Checking…"), so the outcome replaces it.
   * Memory only: after a restart, or on another instance, the outcome goes by private message instead.
   */
  readonly inPlace: Map<string, { responder: Responder; at: number }>;
  gatewayInfo: GatewayInfo | undefined;
  /** Sessions still waiting for the gateway, so pollers can idle. */
  waiting: number;
}

export function newContext(deps: HandshakeDeps): FlowContext {
  return {
    deps,
    instance: randomUUID(),
    chats: new Map(deps.chats.map((chat) => [chat.platform, chat])),
    running: new Map(),
    attempts: new Map(),
    opens: new Map(),
    probes: new Map(),
    shown: new Map(),
    inPlace: new Map(),
    gatewayInfo: undefined,
    waiting: 0,
  };
}

export function chatFor(ctx: FlowContext, platform: string): Chat {
  const chat = ctx.chats.get(platform);
  if (!chat) throw new Error(`no chat adapter for platform ${platform}`);
  return chat;
}

/** What the gateway can do (asked once, then kept; a setup-link failure that lasts updates it). */
export async function gatewayInfo(ctx: FlowContext): Promise<GatewayInfo> {
  ctx.gatewayInfo ??= await ctx.deps.gateway.info();
  return ctx.gatewayInfo;
}

/** Records one more use of `key`; false when it already had `limit` uses within `windowMs`. */
export function withinLimit(
  ctx: FlowContext,
  uses: Map<string, number[]>,
  key: string,
  limit: number,
  windowMs: number,
): boolean {
  const now = ctx.deps.clock.now();
  const recent = (uses.get(key) ?? []).filter((at) => now - at < windowMs);
  if (recent.length >= limit) {
    uses.set(key, recent);
    return false;
  }
  uses.set(key, [...recent, now]);
  return true;
}

/** Drops rate-limit records older than their windows, and the render cache when it grows large. */
export function forgetOld(ctx: FlowContext, now: number): void {
  for (const [uses, windowMs] of [
    [ctx.opens, 3_600_000],
    [ctx.probes, PROBE_WINDOW_MS],
  ] as const)
    for (const [key, times] of uses)
      if (times.every((at) => now - at >= windowMs)) uses.delete(key);
  if (ctx.shown.size > 10_000) ctx.shown.clear(); // at worst one unchanged edit more per message
  for (const [sessionId, held] of ctx.inPlace)
    if (now - held.at > ANSWER_IN_PLACE_MS) ctx.inPlace.delete(sessionId);
}

/** What an error says, without a stack trace and without anything that looks like a secret value. */
export function errorSummary(error: unknown): string {
  if (error instanceof Error) return error.message.split("\n")[0] ?? "error";
  return String(error);
}
