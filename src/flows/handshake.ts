// The use cases: open a session, apply an event, react to the gateway, expire, diagnose. Wires the pure core to the ports.
// Every change is read-decide-write with compare-and-set; effects go through the store's outbox. Never logs a Secret.

import { createHash, randomUUID } from "node:crypto";
import type { Logger } from "pino";
import { auditRecords } from "../core/audit.ts";
import { diagnose } from "../core/diagnose.ts";
import { checkCommands, type GrantChoice } from "../core/grant.ts";
import { t } from "../core/i18n/index.ts";
import { looksLikeNodeLog } from "../core/log-shape.ts";
import { logTail, type NodeLog } from "../core/log-tail.ts";
import { decide, dueAt, open } from "../core/machine.ts";
import { connectedNodeId, connectedSessions, matchEvent } from "../core/match.ts";
import type {
  Chat,
  Clock,
  Gateway,
  GatewayEvent,
  GatewayInfo,
  MessageRef,
  OutboxEntry,
  Responder,
  SessionStore,
  TlsProbe,
} from "../core/ports.ts";
import type { Secret } from "../core/secret.ts";
import { shownSubject } from "../core/subject.ts";
import type {
  Actor,
  ChannelRef,
  DmKind,
  Effect,
  Event,
  GatewayProblem,
  Lang,
  Mode,
  Origin,
  Session,
  UserRef,
} from "../core/types.ts";
import { isTerminal, problemOf, userKey } from "../core/types.ts";
import { checkDisplayName, checkReason } from "../core/validate.ts";
import type { MessageView } from "../core/view.ts";
import {
  cardView,
  credentialsForm,
  diagnosisView,
  dmView,
  helpView,
  langOf,
  noticeView,
  type ViewContext,
} from "../core/views.ts";
import { Nodes } from "./nodes.ts";

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

export interface OpenInput {
  channel: ChannelRef;
  displayName: string;
  /** Why the requester wants the node, as they typed it (unchecked; `open` checks it). */
  reason?: string;
  /** The node commands the requester asks for, as typed (unchecked; `open` checks it). */
  commands?: string;
  requester: Actor;
  nodeOperator?: UserRef;
  /** Where and by whom, as the platform names them now; shown in every approval DM. */
  origin?: Origin;
}

/** Effects answered to the person who acted, in the moment; never queued. */
const IMMEDIATE = new Set<Effect["type"]>(["notice", "form", "reply", "autofill"]);
const MAX_CONFLICT_RETRIES = 8;
/** Reasons setup links cannot be minted that last until someone changes the gateway or the bot's settings. */
const LASTING_PROBLEMS = new Set<GatewayProblem>(["noGateway", "loopbackOnly", "authModeNone"]);
/** How long an instance keeps its claim on an outbox entry it is carrying out. */
const CLAIM_MS = 60_000;
/** How long a failing delivery is retried (a platform outage) before it is given up and logged. */
const RETRY_FOR_MS = 15 * 60_000;
/** TLS pre-flight checks one session may make in a window, so the bot cannot be used to scan a network. */
const PROBES_PER_WINDOW = 5;
const PROBE_WINDOW_MS = 10 * 60_000;
/** How long the answer to a submit stays usable for its outcome (Discord's interaction tokens last 15 minutes). */
const ANSWER_IN_PLACE_MS = 14 * 60_000;

export class Handshake {
  readonly #deps: HandshakeDeps;
  /** This instance, as named in claims on outbox entries. */
  readonly #instance = randomUUID();
  readonly #chats: Map<string, Chat>;
  /** One outbox runner per session at a time, so a session's effects happen in order. */
  readonly #running = new Map<string, Promise<void>>();
  /** Outbox entry → when it first failed. */
  readonly #attempts = new Map<string, number>();
  /** Per-person /connect-node times and per-session probe times, for rate limits (per instance). */
  readonly #opens = new Map<string, number[]>();
  readonly #probes = new Map<string, number[]>();
  /** What each message last showed, so an unchanged card is not edited again (Telegram refuses such edits). */
  readonly #shown = new Map<string, string>();
  /**
   * Per session, the answer to the submit whose TLS check is running (its "Checking…"), so the outcome replaces it.
   * Memory only: after a restart, or on another instance, the outcome goes by private message instead.
   */
  readonly #inPlace = new Map<string, { responder: Responder; at: number }>();
  #gatewayInfo: GatewayInfo | undefined;
  #waiting = 0;
  /** /nodes and /disconnect-node (flows/nodes.ts). */
  readonly nodes: Nodes;

  constructor(deps: HandshakeDeps) {
    this.#deps = deps;
    this.#chats = new Map(deps.chats.map((chat) => [chat.platform, chat]));
    this.nodes = new Nodes({
      ...deps,
      dispatch: (sessionId, event) => this.dispatch(sessionId, event),
      sendDm: (to, view) => this.#sendDm(to, view),
    });
  }

  /** `/connect-node <display name>`: validates the name and opens a session in the right mode. */
  async open(input: OpenInput, responder?: Responder): Promise<Session | undefined> {
    const { log, settings, store } = this.#deps;
    const lang = input.requester.lang;
    const name = checkDisplayName(input.displayName);
    if (!name.ok) {
      // A hint names the command as the requester's platform spells it (Telegram: /connect_node).
      const { connectNode } = this.#chat(input.requester.platform).commands;
      await this.#answer(
        input.requester,
        responder,
        t(lang, name.problem.key, { connectNode, ...name.problem.params }),
      );
      return undefined;
    }
    const reason = checkReason(input.reason);
    if (!reason.ok || (reason.value === undefined && settings.requireReason)) {
      const { connectNode } = this.#chat(input.requester.platform).commands;
      const problem = reason.ok
        ? {
            // Discord asks for it in an option of the command; the others take it after the name.
            key:
              input.requester.platform === "discord"
                ? ("validate.reason.requiredOption" as const)
                : ("validate.reason.required" as const),
          }
        : reason.problem;
      await this.#answer(
        input.requester,
        responder,
        t(lang, problem.key, { connectNode, ...("params" in problem ? problem.params : {}) }),
      );
      return undefined;
    }
    const commands = checkCommands(input.commands);
    if (!commands.ok) {
      await this.#answer(
        input.requester,
        responder,
        t(lang, commands.problem.key, commands.problem.params),
      );
      return undefined;
    }
    if (
      !this.#withinLimit(
        this.#opens,
        userKey(input.requester),
        settings.connectLimitPerHour,
        3_600_000,
      )
    ) {
      await this.#answer(
        input.requester,
        responder,
        t(lang, "notice.rateLimited", { limit: settings.connectLimitPerHour }),
      );
      return undefined;
    }
    const clash = (await store.activeNamed(name.value)).find(
      (s) => s.channel.platform === input.channel.platform,
    );
    if (clash) {
      await this.#answer(
        input.requester,
        responder,
        t(lang, "notice.duplicateName", { name: name.value }),
      );
      return undefined;
    }
    const { mode, fallbackReason } = await this.#chooseMode();
    const decision = open(
      {
        id: this.#deps.newId(),
        mode,
        ...(fallbackReason ? { fallbackReason } : {}),
        channel: input.channel,
        ...(input.origin ? { origin: input.origin } : {}),
        displayName: name.value,
        requester: input.requester,
        ...(input.nodeOperator ? { nodeOperator: input.nodeOperator } : {}),
        ttlMs: settings.ttlMs,
        allowSelfApproval: settings.allowSelfApproval,
        ...(reason.value ? { reason: reason.value } : {}),
        ...(settings.approvalsRequired ? { approvalsRequired: settings.approvalsRequired } : {}),
        ...(commands.value ? { askedCommands: commands.value } : {}),
        ...(settings.defaultGrant ? { defaultGrant: settings.defaultGrant } : {}),
        ...(settings.remindAfterMs ? { remindAfterMs: settings.remindAfterMs } : {}),
      },
      this.#deps.clock.now(),
    );
    await store.create(
      decision.session,
      decision.effects,
      auditRecords(undefined, decision.session, undefined),
    );
    log.info(
      {
        session: decision.session.id,
        actor: userKey(input.requester),
        mode,
        stage: decision.session.stage,
      },
      "session opened",
    );
    this.#waiting += 1;
    await this.#runOutbox(decision.session.id);
    return decision.session;
  }

  /** Applies one event to a session: decide, write with compare-and-set, answer the actor, run the outbox. */
  async dispatch(sessionId: string, event: Event, responder?: Responder): Promise<void> {
    // The buttons of a /disconnect-node confirmation name a node, not a session.
    if (event.type === "confirmDisconnect" || event.type === "cancelDisconnect")
      return this.nodes.press(sessionId, event, responder);
    await this.#apply(sessionId, event, responder);
    await this.#runOutbox(sessionId);
  }

  /** Read, decide, compare-and-set; on a conflict, read again and decide again. Queued effects are left to the outbox. */
  async #apply(sessionId: string, event: Event, responder?: Responder): Promise<void> {
    const { store, log, clock } = this.#deps;
    for (let attempt = 0; attempt < MAX_CONFLICT_RETRIES; attempt += 1) {
      const session = await store.get(sessionId);
      if (!session) {
        if ("actor" in event)
          await this.#answer(event.actor, responder, t(event.actor.lang, "notice.unknownSession"));
        return;
      }
      const decision = decide(session, event, clock.now());
      const immediate = decision.effects.filter((e) => IMMEDIATE.has(e.type));
      const queued = decision.effects.filter((e) => !IMMEDIATE.has(e.type));
      if (decision.session.version !== session.version) {
        const audit = auditRecords(session, decision.session, event);
        if (!(await store.commit(decision.session, session.version, queued, audit))) continue; // someone else won: decide again
        this.#audit(session, decision.session, event);
        this.#deps.wake?.(dueAt(decision.session));
      }
      for (const effect of immediate) await this.#immediate(decision.session, effect, responder);
      if (responder?.update && queued.some((e) => e.type === "probe"))
        this.#inPlace.set(sessionId, { responder, at: clock.now() });
      return;
    }
    log.error({ session: sessionId, event: event.type }, "gave up after repeated write conflicts");
  }

  /**
   * A private message that is neither a command nor a form answer: a node log is diagnosed; anything else (a greeting,
   * a question) gets a short help naming the commands as the person's platform spells them.
   */
  async privateMessage(actor: Actor, text: string, responder?: Responder): Promise<void> {
    const log = logTail(text);
    if (looksLikeNodeLog(log.text)) return this.diagnose(actor, log, responder);
    await this.#reply(actor, responder, helpView(actor.lang, this.#chat(actor.platform).commands));
  }

  /**
   * A node log pasted or sent by someone (as text, or the end of a file an adapter read): the diagnosis goes to them
   * privately, and the session's card notes the outcome.
   */
  async diagnose(
    actor: Actor,
    log: string | NodeLog,
    responder?: Responder,
    sessionId?: string,
  ): Promise<void> {
    const result = diagnose(log);
    const view = diagnosisView(result, actor.lang);
    if (responder) await responder.reply(view);
    else await this.#sendDm(actor, view);
    const target =
      sessionId ??
      (await this.#deps.store.active()).find(
        (s) => s.nodeOperator.id === actor.id && s.nodeOperator.platform === actor.platform,
      )?.id;
    if (target && result.code !== "UNKNOWN")
      await this.dispatch(target, {
        type: "diagnosed",
        actor,
        code: result.code,
        ...(result.requestId ? { requestId: result.requestId } : {}),
      });
  }

  /** Routes what the gateway reports to the session it belongs to. */
  async onGatewayEvent(event: GatewayEvent): Promise<void> {
    const { store, log, clock } = this.#deps;
    const active = await store.active();
    if (event.type === "nodeStatus") {
      for (const s of connectedSessions(active, event.nodes)) {
        const nodeId = connectedNodeId(s, event.nodes);
        await this.dispatch(s.id, { type: "nodeConnected", ...(nodeId ? { nodeId } : {}) });
      }
      return;
    }
    const match = matchEvent(active, event);
    if (match.kind === "none") {
      log.debug({ event: event.type }, "gateway event for no session");
      return;
    }
    if (match.kind === "ambiguous") {
      log.warn(
        { event: event.type, sessions: match.sessions.map((s) => s.id) },
        "gateway event matches several sessions; leaving it to the approvers",
      );
      return;
    }
    const now = clock.now();
    const coreEvent: Event =
      event.type === "devicePairingRequested"
        ? {
            type: "devicePairingRequested",
            request: { ...event.request, seenAt: Math.max(event.request.seenAt, now) },
          }
        : event.type === "capabilityRequested"
          ? {
              type: "capabilityRequested",
              request: {
                requestId: event.request.requestId,
                commands: event.request.commands,
                seenAt: now,
                ...(event.request.nodeId ? { nodeId: event.request.nodeId } : {}),
              },
            }
          : event.type === "setupCompleted"
            ? {
                type: "setupCompleted",
                setupId: event.setupId,
                ...(event.deviceId ? { deviceId: event.deviceId } : {}),
              }
            : event;
    await this.dispatch(match.session.id, coreEvent);
  }

  /** Expires sessions and setup links whose time is up, and retries effects that failed before. */
  async tick(): Promise<void> {
    const { store, clock } = this.#deps;
    this.#waiting = await store.countActive();
    const now = clock.now();
    this.#forgetOld(now);
    // Only the sessions whose time is up are read: a tick stays cheap with thousands of live sessions.
    for (const s of await store.due(now)) await this.dispatch(s.id, { type: "tick" });
    await this.drain();
  }

  /** Runs every effect left in the outbox (after a restart, or after a platform outage). */
  async drain(): Promise<void> {
    const pending = await this.#deps.store.pendingEffects();
    for (const sessionId of new Set(pending.map((e) => e.sessionId)))
      await this.#runOutbox(sessionId);
  }

  /**
   * Re-renders every live session's card and private messages, so that after a restart (or a lost edit during an
   * outage) what people see, and the buttons they can press, match the stored state.
   */
  async refresh(): Promise<void> {
    const { store, log } = this.#deps;
    for (const session of await store.active()) {
      const kinds = new Set(
        (await store.messages(session.id, "dm:")).map((m) => m.key.split(":")[1] as DmKind),
      );
      const effects: Effect[] = [
        { type: "card" },
        ...[...kinds].map((message): Effect => ({ type: "refreshDms", message })),
      ];
      for (const effect of effects) {
        try {
          await this.#execute(session, { id: "refresh", sessionId: session.id, seq: 0, effect });
        } catch (error) {
          log.warn(
            { session: session.id, effect: effect.type, err: errorSummary(error) },
            "refresh failed",
          );
        }
      }
    }
  }

  /** The secrets live sessions hold, for a leak guard that deletes channel messages containing one. */
  async activeSecrets(): Promise<Secret[]> {
    return (await this.#deps.store.active()).flatMap((s) =>
      Object.values(s.secrets).filter((secret): secret is Secret => secret !== undefined),
    );
  }

  /** Whether any session still waits for the gateway, so pollers can idle. */
  waiting(): boolean {
    return this.#waiting > 0;
  }

  async gatewayInfo(): Promise<GatewayInfo> {
    this.#gatewayInfo ??= await this.#deps.gateway.info();
    return this.#gatewayInfo;
  }

  /** In "auto" mode, setup links where the gateway can mint them; otherwise the shared token, with the typed reason. */
  async #chooseMode(): Promise<{ mode: Mode; fallbackReason?: GatewayProblem }> {
    const { settings, log } = this.#deps;
    if (settings.mode !== "auto") return { mode: settings.mode };
    const info = await this.gatewayInfo().catch(
      (error: unknown): GatewayInfo => ({
        path: "none",
        canMint: false,
        mintUnavailable: problemOf(error),
        mintUnavailableReason: errorSummary(error),
      }),
    );
    if (info.canMint) return { mode: "setupLink" };
    // The gateway's own words go to the log; the card says the typed reason.
    log.info({ reason: info.mintUnavailableReason }, "setup links are off: using the shared token");
    return { mode: "sharedToken", fallbackReason: info.mintUnavailable ?? "other" };
  }

  #runOutbox(sessionId: string): Promise<void> {
    const previous = this.#running.get(sessionId) ?? Promise.resolve();
    const next = previous.then(() => this.#drainSession(sessionId));
    const tracked = next.finally(() => {
      if (this.#running.get(sessionId) === tracked) this.#running.delete(sessionId);
    });
    this.#running.set(sessionId, tracked);
    return tracked;
  }

  /** Runs the session's queued effects in order, including those that their own outcomes queue. */
  async #drainSession(sessionId: string): Promise<void> {
    const { store, log } = this.#deps;
    for (
      let entries = await store.pendingEffects(sessionId);
      entries.length > 0;
      entries = await store.pendingEffects(sessionId)
    ) {
      for (const entry of entries) {
        // With several instances on one store, the one that claims an entry carries it out; the others leave it.
        if (store.claim && !(await store.claim(entry.id, this.#instance, CLAIM_MS))) return;
        const session = await store.get(sessionId);
        if (!session) return;
        try {
          const followUp = await this.#execute(session, entry);
          await store.markDone(entry.id);
          this.#attempts.delete(entry.id);
          if (followUp) await this.#apply(sessionId, followUp);
        } catch (error) {
          const firstFailure = this.#attempts.get(entry.id) ?? this.#deps.clock.now();
          this.#attempts.set(entry.id, firstFailure);
          this.#deps.metrics?.effectFailed(entry.effect.type);
          log.warn(
            { session: sessionId, effect: entry.effect.type, err: errorSummary(error) },
            "effect failed; will retry",
          );
          // Keep the order: the next tick retries from here, through an outage of up to RETRY_FOR_MS.
          if (this.#deps.clock.now() - firstFailure < RETRY_FOR_MS) return;
          log.error(
            { session: sessionId, effect: entry.effect.type },
            "effect dropped after repeated failures",
          );
          await store.markDone(entry.id);
          this.#attempts.delete(entry.id);
        }
      }
    }
    const session = await store.get(sessionId);
    if (session && isTerminal(session.stage)) this.#waiting = Math.max(0, this.#waiting - 1);
  }

  /** Carries out one queued effect. Returns the event its outcome produces, if any. */
  async #execute(session: Session, entry: OutboxEntry): Promise<Event | undefined> {
    const effect = entry.effect;
    const { store, gateway, probe, clock } = this.#deps;
    switch (effect.type) {
      case "card": {
        const view = cardView(
          session,
          langOf(session, session.requester, this.#deps.settings.defaultLang),
          await this.#viewContext(),
        );
        const [card] = await store.messages(session.id, "card");
        const chat = this.#chat(session.channel.platform);
        if (card) await this.#edit(card.ref, view);
        else
          await store.putMessage(
            session.id,
            "card",
            await chat.postCard(session.channel, view, `${session.id}/card`),
          );
        return undefined;
      }
      case "dm":
        if (effect.inPlace && (await this.#answerInPlace(session, effect.to, effect.message)))
          return undefined;
        return this.#dmOnce(session, effect.to, effect.message, entry.id);
      case "dmGatewayOperators": {
        const operators = await this.#chat(session.channel.platform).gatewayOperators(
          session.channel,
        );
        if (operators.length === 0)
          this.#deps.log.warn(
            { session: session.id },
            "no gateway operator can be reached: the request waits for one to see the card",
          );
        for (const operator of operators)
          await this.#dmOnce(session, operator, effect.message, entry.id);
        return undefined;
      }
      case "dmApprovers": {
        const approvers = await this.#chat(session.channel.platform).approvers(session.channel);
        if (approvers.length === 0)
          this.#deps.log.warn(
            { session: session.id },
            "no approver can be reached: approvals only in the WebUI",
          );
        for (const approver of approvers)
          await this.#dmOnce(session, approver, effect.message, entry.id);
        return undefined;
      }
      case "refreshDms": {
        const ctx = await this.#viewContext();
        for (const { key, ref } of await store.messages(session.id, `dm:${effect.message}:`)) {
          const user = userFromKey(key);
          const view = dmView(
            effect.message,
            session,
            langOf(session, user, this.#deps.settings.defaultLang),
            ctx,
            drawnForOf(key),
          );
          await this.#edit(ref, view);
        }
        return undefined;
      }
      case "probe": {
        if (!this.#withinLimit(this.#probes, session.id, PROBES_PER_WINDOW, PROBE_WINDOW_MS))
          return {
            type: "preflightDone",
            result: { ok: false, problem: "rateLimited", at: clock.now() },
          };
        const result = await probe.probe(effect.host, effect.port);
        return { type: "preflightDone", result: { ...result, at: clock.now() } };
      }
      case "autofill": {
        try {
          const filled = await gateway.autofill();
          return {
            type: "autofilled",
            port: filled.port,
            fingerprint: filled.fingerprint,
            token: filled.token,
            ...(filled.host ? { host: filled.host } : {}),
          };
        } catch (error) {
          await this.#sendDm(
            effect.to,
            this.#textView(
              t(
                langOf(session, effect.to, this.#deps.settings.defaultLang),
                "notice.autofillFailed",
                { error: errorSummary(error) },
              ),
            ),
          );
          return undefined;
        }
      }
      case "gateway":
        return this.#gatewayAction(session, effect);
      case "notice":
      case "form":
      case "reply":
        await this.#immediate(session, effect, undefined);
        return undefined;
    }
  }

  /**
   * An action on the gateway; its failure becomes an event the machine decides on, not an exception: the typed problem
   * for the card, OpenClaw's words for the log and the person who acted. In "auto" mode a setup link that cannot be
   * minted, for whatever reason, turns the session to the shared token.
   */
  async #gatewayAction(
    session: Session,
    effect: Extract<Effect, { type: "gateway" }>,
  ): Promise<Event | undefined> {
    try {
      const event = await this.#callGateway(effect);
      this.#deps.metrics?.gatewayCall(effect.action, true);
      return event;
    } catch (error) {
      this.#deps.metrics?.gatewayCall(effect.action, false);
      const message = errorSummary(error);
      const problem = problemOf(error);
      const fallbackToSharedToken =
        effect.action === "mintSetupCode" && this.#deps.settings.mode === "auto";
      this.#deps.log.warn(
        { session: session.id, action: effect.action, problem, err: message },
        "gateway action failed",
      );
      // What the gateway's setup says holds for the next requests too; a timeout or a lost connection does not.
      if (fallbackToSharedToken && LASTING_PROBLEMS.has(problem))
        this.#gatewayInfo = {
          ...(this.#gatewayInfo ?? { path: "none" }),
          canMint: false,
          mintUnavailable: problem,
          mintUnavailableReason: message,
        };
      return {
        type: "gatewayFailed",
        action: effect.action,
        problem,
        message,
        ...(fallbackToSharedToken ? { fallbackToSharedToken } : {}),
      };
    }
  }

  async #callGateway(effect: Extract<Effect, { type: "gateway" }>): Promise<Event | undefined> {
    const { gateway } = this.#deps;
    switch (effect.action) {
      case "mintSetupCode": {
        const minted = await gateway.mintSetupCode();
        return {
          type: "setupCodeMinted",
          setupId: minted.setupId,
          code: minted.code,
          expiresAt: minted.expiresAt,
        };
      }
      case "approveDevice":
      case "rejectDevice": {
        const outcome = await (effect.action === "approveDevice"
          ? gateway.approveDevice(effect.requestId)
          : gateway.rejectDevice(effect.requestId));
        // "alreadyDecided": resolved elsewhere; the watcher reports how.
        return outcome === "done"
          ? {
              type: "deviceResolved",
              requestId: effect.requestId,
              approved: effect.action === "approveDevice",
            }
          : undefined;
      }
      case "approveCapability":
      case "rejectCapability": {
        const outcome = await (effect.action === "approveCapability"
          ? gateway.approveCapability(effect.requestId)
          : gateway.rejectCapability(effect.requestId));
        return outcome === "done"
          ? {
              type: "capabilityResolved",
              requestId: effect.requestId,
              approved: effect.action === "approveCapability",
            }
          : undefined;
      }
      case "checkGrant": {
        const node = await gateway.describeNode(effect.nodeId);
        // While its commands wait for approval a connected node has none: only a node the gateway knows is compared.
        return { type: "grantChecked", ...(node ? { commands: node.commands } : {}) };
      }
      case "removeNode":
        // "alreadyGone" is as good as done: the node holds nothing on the gateway any more.
        await gateway.removeNode(effect.nodeId);
        return { type: "nodeRevoked", removed: true };
    }
  }

  /**
   * Sends a private message once per outbox entry: a retry skips one already recorded, and the key lets a platform
   * that can (Discord) drop a repeat of one sent in the instant before a crash kept it from being recorded.
   */
  async #dmOnce(
    session: Session,
    to: UserRef,
    message: DmKind,
    entryId: string,
  ): Promise<Event | undefined> {
    const key = `dm:${message}:${userKey(to)}#${entryId}`;
    if ((await this.#deps.store.messages(session.id, key)).length > 0) return undefined;
    const view = dmView(
      message,
      session,
      langOf(session, to, this.#deps.settings.defaultLang),
      await this.#viewContext(),
    );
    const outcome = await this.#chat(to.platform).sendDm(to, view, `${session.id}/${key}`);
    if (outcome.ok) {
      // An approval message remembers which request it showed: once that is replaced, its edits say so.
      const shown = shownSubject(message, session);
      await this.#deps.store.putMessage(session.id, shown ? `${key}@${shown}` : key, outcome.ref);
      return undefined;
    }
    this.#deps.log.warn(
      { session: session.id, to: userKey(to), message, reason: outcome.reason },
      "private message not delivered",
    );
    return userKey(to) === userKey(session.nodeOperator)
      ? { type: "dmUndeliverable", message }
      : undefined;
  }

  /** The outcome of a submit, shown where its "Checking…" was (edited in place where the platform can). */
  async #answerInPlace(session: Session, to: UserRef, message: DmKind): Promise<boolean> {
    const held = this.#inPlace.get(session.id);
    this.#inPlace.delete(session.id);
    if (!held || this.#deps.clock.now() - held.at > ANSWER_IN_PLACE_MS || !held.responder.update)
      return false;
    const view = dmView(
      message,
      session,
      langOf(session, to, this.#deps.settings.defaultLang),
      await this.#viewContext(),
    );
    try {
      return await held.responder.update(view);
    } catch (error) {
      this.#deps.log.warn(
        { session: session.id, message, err: errorSummary(error) },
        "could not answer in place; sending privately",
      );
      return false;
    }
  }

  async #immediate(
    session: Session,
    effect: Effect,
    responder: Responder | undefined,
  ): Promise<void> {
    const lang = (to: UserRef) => langOf(session, to, this.#deps.settings.defaultLang);
    switch (effect.type) {
      case "notice":
        await this.#reply(effect.to, responder, noticeView(effect.notice, lang(effect.to)));
        return;
      case "reply": {
        const view = dmView(effect.message, session, lang(effect.to), await this.#viewContext());
        if (responder) await responder.reply(view);
        else if (!(await this.#sendDm(effect.to, view))) return;
        // It reached them (a reply throws when it does not): the card stops saying their messages are closed.
        await this.#apply(session.id, { type: "revealed", message: effect.message });
        return;
      }
      case "form": {
        const form = credentialsForm(session, lang(effect.to));
        if (responder) await responder.form(form);
        else
          await this.#sendDm(effect.to, {
            title: form.title,
            tone: "action",
            blocks: [{ kind: "text", text: form.intro }],
            buttons: [
              {
                kind: "action",
                action: "enterCredentials",
                label: t(lang(effect.to), "button.enterCredentials"),
                style: "primary",
              },
            ],
          });
        return;
      }
      case "autofill": {
        // Reading the gateway's files takes a moment; its outcome is a new event for the same session.
        const filled = await this.#execute(session, {
          id: "autofill",
          sessionId: session.id,
          seq: 0,
          effect,
        });
        if (filled) await this.#apply(session.id, filled);
        return;
      }
      default:
        return;
    }
  }

  /** Drops rate-limit records older than their windows, and the render cache when it grows large. */
  #forgetOld(now: number): void {
    for (const [uses, windowMs] of [
      [this.#opens, 3_600_000],
      [this.#probes, PROBE_WINDOW_MS],
    ] as const)
      for (const [key, times] of uses)
        if (times.every((at) => now - at >= windowMs)) uses.delete(key);
    if (this.#shown.size > 10_000) this.#shown.clear(); // at worst one unchanged edit more per message
    for (const [sessionId, held] of this.#inPlace)
      if (now - held.at > ANSWER_IN_PLACE_MS) this.#inPlace.delete(sessionId);
  }

  /** Records one more use of `key`; false when it already had `limit` uses within `windowMs`. */
  #withinLimit(uses: Map<string, number[]>, key: string, limit: number, windowMs: number): boolean {
    const now = this.#deps.clock.now();
    const recent = (uses.get(key) ?? []).filter((at) => now - at < windowMs);
    if (recent.length >= limit) {
      uses.set(key, recent);
      return false;
    }
    uses.set(key, [...recent, now]);
    return true;
  }

  async #edit(ref: MessageRef, view: MessageView): Promise<void> {
    const key = `${ref.platform}:${ref.chatId}:${ref.messageId}`;
    const text = createHash("sha256").update(JSON.stringify(view)).digest("base64url");
    if (this.#shown.get(key) === text) return;
    await this.#chat(ref.platform).edit(ref, view);
    this.#shown.set(key, text);
  }

  /** A refusal outside the machine (a bad name, a rate limit, a request that is gone), for the person who asked. */
  async #answer(to: UserRef, responder: Responder | undefined, text: string): Promise<void> {
    await this.#reply(to, responder, { ...this.#textView(text), notice: "refusal" });
  }

  async #reply(to: UserRef, responder: Responder | undefined, view: MessageView): Promise<void> {
    if (responder) await responder.reply(view);
    else await this.#sendDm(to, view);
  }

  /** True when it was delivered. */
  async #sendDm(to: UserRef, view: MessageView): Promise<boolean> {
    const outcome = await this.#chat(to.platform).sendDm(to, view);
    if (!outcome.ok)
      this.#deps.log.warn(
        { to: userKey(to), reason: outcome.reason },
        "private message not delivered",
      );
    return outcome.ok;
  }

  #textView(text: string): MessageView {
    return { title: "", tone: "neutral", blocks: [{ kind: "text", text }], buttons: [] };
  }

  async #viewContext(): Promise<ViewContext> {
    const webUiUrl =
      this.#deps.settings.webUiUrl ?? (await this.gatewayInfo().catch(() => undefined))?.webUiUrl;
    // Asked afresh, not from the cached info: after the gateway was upgraded, the scripts ask nodes for the new version.
    const gatewayVersion = (await this.#deps.gateway.info().catch(() => undefined))?.version;
    return {
      now: this.#deps.clock.now(),
      commands: Object.fromEntries(this.#deps.chats.map((chat) => [chat.platform, chat.commands])),
      ...(webUiUrl ? { webUiUrl } : {}),
      ...(gatewayVersion ? { gatewayVersion } : {}),
      ...(this.#deps.settings.canAutofill ? { canAutofill: true } : {}),
    };
  }

  #chat(platform: string): Chat {
    const chat = this.#chats.get(platform);
    if (!chat) throw new Error(`no chat adapter for platform ${platform}`);
    return chat;
  }

  #audit(before: Session, after: Session, event: Event): void {
    this.#deps.metrics?.transition(before, after);
    this.#deps.log.info(
      {
        session: after.id,
        event: event.type,
        actor: "actor" in event ? userKey(event.actor) : "gateway",
        from: before.stage,
        to: after.stage,
        version: after.version,
      },
      "transition",
    );
  }
}

/** "dm:devicePairingApproval:discord:123#45@<subject>" → the request that message was drawn for. */
function drawnForOf(key: string): string | undefined {
  const at = key.lastIndexOf("@");
  return at > key.indexOf("#") ? key.slice(at + 1) : undefined;
}

/** "dm:credentials:discord:123#45" → the user it was sent to. */
function userFromKey(key: string): UserRef {
  const [, , platform = "console", rest = ""] = key.split(":");
  const id = rest.split("#")[0] ?? "";
  return { platform: platform as UserRef["platform"], id, name: id };
}

/** What an error says, without a stack trace and without anything that looks like a secret value. */
export function errorSummary(error: unknown): string {
  if (error instanceof Error) return error.message.split("\n")[0] ?? "error";
  return String(error);
}
