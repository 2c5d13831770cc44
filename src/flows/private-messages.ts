// Talking to one person: a reply where they acted, a private message (once per outbox entry, or as it comes), the
// outcome of a submit shown in place of its "Checking…", and the context every view is drawn with.
// A private message that cannot be delivered (closed DMs) is logged and reported back (false, or an event for the
// machine), not thrown; never a Secret in a log line.

import type { Responder } from "../core/ports.ts";
import { shownSubject } from "../core/subject.ts";
import type { DmKind, Event, Session, UserRef } from "../core/types.ts";
import { userKey } from "../core/types.ts";
import type { MessageView } from "../core/view.ts";
import { dmView, langOf, type ViewContext } from "../core/views.ts";
import {
  ANSWER_IN_PLACE_MS,
  chatFor,
  errorSummary,
  type FlowContext,
  gatewayInfo,
} from "./context.ts";

/**
 * Sends a private message once per outbox entry: a retry skips one already recorded, and the key lets a platform
 * that can (Discord) drop a repeat of one sent in the instant before a crash kept it from being recorded.
 */
export async function dmOnce(
  ctx: FlowContext,
  session: Session,
  to: UserRef,
  message: DmKind,
  entryId: string,
): Promise<Event | undefined> {
  const { store, settings, log } = ctx.deps;
  const key = `dm:${message}:${userKey(to)}#${entryId}`;
  if ((await store.messages(session.id, key)).length > 0) return undefined;
  const view = dmView(
    message,
    session,
    langOf(session, to, settings.defaultLang),
    await viewContext(ctx),
  );
  const outcome = await chatFor(ctx, to.platform).sendDm(to, view, `${session.id}/${key}`);
  if (outcome.ok) {
    // An approval message remembers which request it showed: once that is replaced, its edits say so.
    const shown = shownSubject(message, session);
    await store.putMessage(session.id, shown ? `${key}@${shown}` : key, outcome.ref);
    return undefined;
  }
  log.warn(
    { session: session.id, to: userKey(to), message, reason: outcome.reason },
    "private message not delivered",
  );
  return userKey(to) === userKey(session.nodeOperator)
    ? { type: "dmUndeliverable", message }
    : undefined;
}

/** The outcome of a submit, shown where its "Checking…" was (edited in place where the platform can). */
export async function answerInPlace(
  ctx: FlowContext,
  session: Session,
  to: UserRef,
  message: DmKind,
): Promise<boolean> {
  const held = ctx.inPlace.get(session.id);
  ctx.inPlace.delete(session.id);
  if (!held || ctx.deps.clock.now() - held.at > ANSWER_IN_PLACE_MS || !held.responder.update)
    return false;
  const view = dmView(
    message,
    session,
    langOf(session, to, ctx.deps.settings.defaultLang),
    await viewContext(ctx),
  );
  try {
    return await held.responder.update(view);
  } catch (error) {
    ctx.deps.log.warn(
      { session: session.id, message, err: errorSummary(error) },
      "could not answer in place; sending privately",
    );
    return false;
  }
}

/** A refusal outside the machine (a bad name, a rate limit, a request that is gone), for the person who asked. */
export async function answer(
  ctx: FlowContext,
  to: UserRef,
  responder: Responder | undefined,
  text: string,
): Promise<void> {
  await reply(ctx, to, responder, { ...textView(text), notice: "refusal" });
}

export async function reply(
  ctx: FlowContext,
  to: UserRef,
  responder: Responder | undefined,
  view: MessageView,
): Promise<void> {
  if (responder) await responder.reply(view);
  else await sendDm(ctx, to, view);
}

/** True when it was delivered. */
export async function sendDm(ctx: FlowContext, to: UserRef, view: MessageView): Promise<boolean> {
  const outcome = await chatFor(ctx, to.platform).sendDm(to, view);
  if (!outcome.ok)
    ctx.deps.log.warn({ to: userKey(to), reason: outcome.reason }, "private message not delivered");
  return outcome.ok;
}

export function textView(text: string): MessageView {
  return { title: "", tone: "neutral", blocks: [{ kind: "text", text }], buttons: [] };
}

export async function viewContext(ctx: FlowContext): Promise<ViewContext> {
  const { settings, gateway, clock, chats } = ctx.deps;
  const webUiUrl = settings.webUiUrl ?? (await gatewayInfo(ctx).catch(() => undefined))?.webUiUrl;
  // Asked afresh, not from the cached info: after the gateway was upgraded, the scripts ask nodes for the new version.
  const gatewayVersion = (await gateway.info().catch(() => undefined))?.version;
  return {
    now: clock.now(),
    commands: Object.fromEntries(chats.map((chat) => [chat.platform, chat.commands])),
    ...(webUiUrl ? { webUiUrl } : {}),
    ...(gatewayVersion ? { gatewayVersion } : {}),
    ...(settings.canAutofill ? { canAutofill: true } : {}),
  };
}
