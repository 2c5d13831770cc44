// The outbox executor: carries out one Effect the core decided (post or edit the card, send private messages, check
// TLS, fill the credentials, act on the gateway) and returns the event its outcome produces, for the session loop to
// apply. A new Effect type is one more case in `execute`; a new gateway action one more case in `callGateway`.
// Never decides anything itself (that is src/core's), and never lets a gateway failure escape as an exception: it
// becomes an event. Never logs a Secret.

import { createHash } from "node:crypto";
import { t } from "../core/i18n/index.ts";
import type { MessageRef, OutboxEntry, Responder } from "../core/ports.ts";
import type { Effect, Event, GatewayProblem, Session, UserRef } from "../core/types.ts";
import { problemOf } from "../core/types.ts";
import type { MessageView } from "../core/view.ts";
import { cardView, credentialsForm, dmView, langOf, noticeView } from "../core/views.ts";
import {
  chatFor,
  errorSummary,
  type FlowContext,
  PROBE_WINDOW_MS,
  PROBES_PER_WINDOW,
  withinLimit,
} from "./context.ts";
import { answerInPlace, dmOnce, reply, sendDm, textView, viewContext } from "./private-messages.ts";
import { apply } from "./session-loop.ts";

/** Reasons setup links cannot be minted that last until someone changes the gateway or the bot's settings. */
const LASTING_PROBLEMS = new Set<GatewayProblem>(["noGateway", "loopbackOnly", "authModeNone"]);

type GatewayEffect = Extract<Effect, { type: "gateway" }>;

/** Carries out one queued effect. Returns the event its outcome produces, if any. */
export async function execute(
  ctx: FlowContext,
  session: Session,
  entry: OutboxEntry,
): Promise<Event | undefined> {
  const effect = entry.effect;
  const { store, gateway, probe, clock, settings, log } = ctx.deps;
  switch (effect.type) {
    case "card": {
      const view = cardView(
        session,
        langOf(session, session.requester, settings.defaultLang),
        await viewContext(ctx),
      );
      const [card] = await store.messages(session.id, "card");
      const chat = chatFor(ctx, session.channel.platform);
      if (card) await edit(ctx, card.ref, view);
      else
        await store.putMessage(
          session.id,
          "card",
          await chat.postCard(session.channel, view, `${session.id}/card`),
        );
      return undefined;
    }
    case "dm":
      if (effect.inPlace && (await answerInPlace(ctx, session, effect.to, effect.message)))
        return undefined;
      return dmOnce(ctx, session, effect.to, effect.message, entry.id);
    case "dmGatewayOperators": {
      const operators = await chatFor(ctx, session.channel.platform).gatewayOperators(
        session.channel,
      );
      if (operators.length === 0)
        log.warn(
          { session: session.id },
          "no gateway operator can be reached: the request waits for one to see the card",
        );
      for (const operator of operators)
        await dmOnce(ctx, session, operator, effect.message, entry.id);
      return undefined;
    }
    case "dmApprovers": {
      const approvers = await chatFor(ctx, session.channel.platform).approvers(session.channel);
      if (approvers.length === 0)
        log.warn(
          { session: session.id },
          "no approver can be reached: approvals only in the WebUI",
        );
      for (const approver of approvers)
        await dmOnce(ctx, session, approver, effect.message, entry.id);
      return undefined;
    }
    case "refreshDms": {
      const context = await viewContext(ctx);
      for (const { key, ref } of await store.messages(session.id, `dm:${effect.message}:`)) {
        const user = userFromKey(key);
        const view = dmView(
          effect.message,
          session,
          langOf(session, user, settings.defaultLang),
          context,
          drawnForOf(key),
        );
        await edit(ctx, ref, view);
      }
      return undefined;
    }
    case "probe": {
      if (!withinLimit(ctx, ctx.probes, session.id, PROBES_PER_WINDOW, PROBE_WINDOW_MS))
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
        await sendDm(
          ctx,
          effect.to,
          textView(
            t(langOf(session, effect.to, settings.defaultLang), "notice.autofillFailed", {
              error: errorSummary(error),
            }),
          ),
        );
        return undefined;
      }
    }
    case "gateway":
      return gatewayAction(ctx, session, effect);
    case "notice":
    case "form":
    case "reply":
      await immediate(ctx, session, effect, undefined);
      return undefined;
  }
}

/**
 * The effects answered to the person who acted, in the moment (the session loop runs them right after its write):
 * on the responder where there is one, privately otherwise.
 */
export async function immediate(
  ctx: FlowContext,
  session: Session,
  effect: Effect,
  responder: Responder | undefined,
): Promise<void> {
  const lang = (to: UserRef) => langOf(session, to, ctx.deps.settings.defaultLang);
  switch (effect.type) {
    case "notice":
      await reply(ctx, effect.to, responder, noticeView(effect.notice, lang(effect.to)));
      return;
    case "reply": {
      const view = dmView(effect.message, session, lang(effect.to), await viewContext(ctx));
      if (responder) await responder.reply(view);
      else if (!(await sendDm(ctx, effect.to, view))) return;
      // It reached them (a reply throws when it does not): the card stops saying their messages are closed.
      await apply(ctx, session.id, { type: "revealed", message: effect.message });
      return;
    }
    case "form": {
      const form = credentialsForm(session, lang(effect.to));
      if (responder) await responder.form(form);
      else
        await sendDm(ctx, effect.to, {
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
      const filled = await execute(ctx, session, {
        id: "autofill",
        sessionId: session.id,
        seq: 0,
        effect,
      });
      if (filled) await apply(ctx, session.id, filled);
      return;
    }
    default:
      return;
  }
}

/**
 * An action on the gateway; its failure becomes an event the machine decides on, not an exception: the typed problem
 * for the card, OpenClaw's words for the log and the person who acted. In "auto" mode a setup link that cannot be
 * minted, for whatever reason, turns the session to the shared token.
 */
async function gatewayAction(
  ctx: FlowContext,
  session: Session,
  effect: GatewayEffect,
): Promise<Event | undefined> {
  const { metrics, settings, log } = ctx.deps;
  try {
    const event = await callGateway(ctx, effect);
    metrics?.gatewayCall(effect.action, true);
    return event;
  } catch (error) {
    metrics?.gatewayCall(effect.action, false);
    const message = errorSummary(error);
    const problem = problemOf(error);
    const fallbackToSharedToken = effect.action === "mintSetupCode" && settings.mode === "auto";
    log.warn(
      { session: session.id, action: effect.action, problem, err: message },
      "gateway action failed",
    );
    // What the gateway's setup says holds for the next requests too; a timeout or a lost connection does not.
    if (fallbackToSharedToken && LASTING_PROBLEMS.has(problem))
      ctx.gatewayInfo = {
        ...(ctx.gatewayInfo ?? { path: "none" }),
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

/** The one place the flows act on the gateway: each action, and the event that says it was done. Throws on failure. */
async function callGateway(ctx: FlowContext, effect: GatewayEffect): Promise<Event | undefined> {
  const { gateway } = ctx.deps;
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

/** Edits a message, unless it already shows exactly this view. */
async function edit(ctx: FlowContext, ref: MessageRef, view: MessageView): Promise<void> {
  const key = `${ref.platform}:${ref.chatId}:${ref.messageId}`;
  const text = createHash("sha256").update(JSON.stringify(view)).digest("base64url");
  if (ctx.shown.get(key) === text) return;
  await chatFor(ctx, ref.platform).edit(ref, view);
  ctx.shown.set(key, text);
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
