// The loop every use case goes through: read a session, let the pure core decide, write with compare-and-set, log
// the transition, then run the session's outbox (one runner per session, so its effects happen in order).
// Carrying out an effect is outbox.ts's; deciding is src/core's. Never writes without compare-and-set, never logs a
// Secret.

import { auditRecords } from "../core/audit.ts";
import { t } from "../core/i18n/index.ts";
import { decide, dueAt } from "../core/machine.ts";
import type { Responder } from "../core/ports.ts";
import type { Effect, Event, Session } from "../core/types.ts";
import { isTerminal, userKey } from "../core/types.ts";
import { errorSummary, type FlowContext } from "./context.ts";
import { execute, immediate } from "./outbox.ts";
import { answer } from "./private-messages.ts";

/** Effects answered to the person who acted, in the moment; never queued. */
const IMMEDIATE = new Set<Effect["type"]>(["notice", "form", "reply", "autofill"]);
const MAX_CONFLICT_RETRIES = 8;
/** How long an instance keeps its claim on an outbox entry it is carrying out. */
const CLAIM_MS = 60_000;
/** How long a failing delivery is retried (a platform outage) before it is given up and logged. */
const RETRY_FOR_MS = 15 * 60_000;

/** Applies one event to a session: decide, write with compare-and-set, answer the actor, run the outbox. */
export async function dispatch(
  ctx: FlowContext,
  sessionId: string,
  event: Event,
  responder?: Responder,
): Promise<void> {
  await apply(ctx, sessionId, event, responder);
  await runOutbox(ctx, sessionId);
}

/** Read, decide, compare-and-set; on a conflict, read again and decide again. Queued effects are left to the outbox. */
export async function apply(
  ctx: FlowContext,
  sessionId: string,
  event: Event,
  responder?: Responder,
): Promise<void> {
  const { store, log, clock } = ctx.deps;
  for (let attempt = 0; attempt < MAX_CONFLICT_RETRIES; attempt += 1) {
    const session = await store.get(sessionId);
    if (!session) {
      if ("actor" in event)
        await answer(ctx, event.actor, responder, t(event.actor.lang, "notice.unknownSession"));
      return;
    }
    const decision = decide(session, event, clock.now());
    const answered = decision.effects.filter((e) => IMMEDIATE.has(e.type));
    const queued = decision.effects.filter((e) => !IMMEDIATE.has(e.type));
    if (decision.session.version !== session.version) {
      const audit = auditRecords(session, decision.session, event);
      if (!(await store.commit(decision.session, session.version, queued, audit))) continue; // someone else won: decide again
      logTransition(ctx, session, decision.session, event);
      ctx.deps.wake?.(dueAt(decision.session));
    }
    for (const effect of answered) await immediate(ctx, decision.session, effect, responder);
    if (responder?.update && queued.some((e) => e.type === "probe"))
      ctx.inPlace.set(sessionId, { responder, at: clock.now() });
    return;
  }
  log.error({ session: sessionId, event: event.type }, "gave up after repeated write conflicts");
}

export function runOutbox(ctx: FlowContext, sessionId: string): Promise<void> {
  const previous = ctx.running.get(sessionId) ?? Promise.resolve();
  const next = previous.then(() => drainSession(ctx, sessionId));
  const tracked = next.finally(() => {
    if (ctx.running.get(sessionId) === tracked) ctx.running.delete(sessionId);
  });
  ctx.running.set(sessionId, tracked);
  return tracked;
}

/** Runs every effect left in the outbox (after a restart, or after a platform outage). */
export async function drain(ctx: FlowContext): Promise<void> {
  const pending = await ctx.deps.store.pendingEffects();
  for (const sessionId of new Set(pending.map((e) => e.sessionId))) await runOutbox(ctx, sessionId);
}

/** Runs the session's queued effects in order, including those that their own outcomes queue. */
async function drainSession(ctx: FlowContext, sessionId: string): Promise<void> {
  const { store, log, clock, metrics } = ctx.deps;
  for (
    let entries = await store.pendingEffects(sessionId);
    entries.length > 0;
    entries = await store.pendingEffects(sessionId)
  ) {
    for (const entry of entries) {
      // With several instances on one store, the one that claims an entry carries it out; the others leave it.
      if (store.claim && !(await store.claim(entry.id, ctx.instance, CLAIM_MS))) return;
      const session = await store.get(sessionId);
      if (!session) return;
      try {
        const followUp = await execute(ctx, session, entry);
        await store.markDone(entry.id);
        ctx.attempts.delete(entry.id);
        if (followUp) await apply(ctx, sessionId, followUp);
      } catch (error) {
        const firstFailure = ctx.attempts.get(entry.id) ?? clock.now();
        ctx.attempts.set(entry.id, firstFailure);
        metrics?.effectFailed(entry.effect.type);
        log.warn(
          { session: sessionId, effect: entry.effect.type, err: errorSummary(error) },
          "effect failed; will retry",
        );
        // Keep the order: the next tick retries from here, through an outage of up to RETRY_FOR_MS.
        if (clock.now() - firstFailure < RETRY_FOR_MS) return;
        log.error(
          { session: sessionId, effect: entry.effect.type },
          "effect dropped after repeated failures",
        );
        await store.markDone(entry.id);
        ctx.attempts.delete(entry.id);
      }
    }
  }
  const session = await store.get(sessionId);
  if (session && isTerminal(session.stage)) ctx.waiting = Math.max(0, ctx.waiting - 1);
}

function logTransition(ctx: FlowContext, before: Session, after: Session, event: Event): void {
  ctx.deps.metrics?.transition(before, after);
  ctx.deps.log.info(
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
