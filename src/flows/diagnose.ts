// Private messages to the bot that are neither a command nor a form answer: a pasted or attached node log is
// diagnosed (the diagnosis goes to the person who sent it, the session's card notes the outcome); anything else gets a
// short help. Never stores or logs the node log itself: only the diagnosis code reaches the session.

import { diagnose as diagnoseLog } from "../core/diagnose.ts";
import { looksLikeNodeLog } from "../core/log-shape.ts";
import { logTail, type NodeLog } from "../core/log-tail.ts";
import type { Responder } from "../core/ports.ts";
import type { Actor } from "../core/types.ts";
import { diagnosisView, helpView } from "../core/views.ts";
import { chatFor, type FlowContext } from "./context.ts";
import { reply, sendDm } from "./private-messages.ts";
import { dispatch } from "./session-loop.ts";

/**
 * A private message that is neither a command nor a form answer: a node log is diagnosed; anything else (a greeting,
 * a question) gets a short help naming the commands as the person's platform spells them.
 */
export async function privateMessage(
  ctx: FlowContext,
  actor: Actor,
  text: string,
  responder?: Responder,
): Promise<void> {
  const log = logTail(text);
  if (looksLikeNodeLog(log.text)) return diagnose(ctx, actor, log, responder);
  await reply(ctx, actor, responder, helpView(actor.lang, chatFor(ctx, actor.platform).commands));
}

/**
 * A node log pasted or sent by someone (as text, or the end of a file an adapter read): the diagnosis goes to them
 * privately, and the session's card notes the outcome.
 */
export async function diagnose(
  ctx: FlowContext,
  actor: Actor,
  log: string | NodeLog,
  responder?: Responder,
  sessionId?: string,
): Promise<void> {
  const result = diagnoseLog(log);
  const view = diagnosisView(result, actor.lang);
  if (responder) await responder.reply(view);
  else await sendDm(ctx, actor, view);
  const target =
    sessionId ??
    (await ctx.deps.store.active()).find(
      (s) => s.nodeOperator.id === actor.id && s.nodeOperator.platform === actor.platform,
    )?.id;
  if (target && result.code !== "UNKNOWN")
    await dispatch(ctx, target, {
      type: "diagnosed",
      actor,
      code: result.code,
      ...(result.requestId ? { requestId: result.requestId } : {}),
    });
}
