// /nodes: what the gateway's nodes are, with the sessions that enrolled them; and what /nodes and /disconnect-node
// (disconnect.ts) share: reading the gateway's nodes, and answering where the person asked.
// Never shows a node id or an address to anyone but an approver, and never in a shared chat.

import { t } from "../core/i18n/index.ts";
import { nodeRows, nodesView } from "../core/nodes.ts";
import type { GatewayNode, Responder } from "../core/ports.ts";
import type { Actor } from "../core/types.ts";
import type { MessageView } from "../core/view.ts";
import { errorSummary, type FlowContext } from "./context.ts";
import { sendDm } from "./private-messages.ts";

/** Where an answer lands: `private` when only the person who asked sees it (Discord ephemeral, a DM, the console). */
export interface Asked {
  actor: Actor;
  responder?: Responder;
  private: boolean;
}

/**
 * `/nodes`: anyone may list. An approver reading privately sees node ids and addresses; one asking in a shared
 * chat gets the list there without them, and the details by private message.
 */
export async function listNodes(ctx: FlowContext, asked: Asked): Promise<void> {
  const { actor } = asked;
  const nodes = await readNodes(ctx, asked);
  if (!nodes) return;
  const rows = nodeRows(nodes, await ctx.deps.store.enrolled(nodes.map((n) => n.nodeId)));
  const detailsSent =
    actor.isApprover &&
    !asked.private &&
    (await sendDm(ctx, actor, nodesView(rows, actor.lang, { details: true })));
  await answerAsked(
    ctx,
    asked,
    nodesView(rows, actor.lang, {
      details: actor.isApprover && asked.private,
      detailsElsewhere: detailsSent,
    }),
  );
}

/** The gateway's nodes, or undefined after telling the person why they cannot be read. */
export async function readNodes(
  ctx: FlowContext,
  asked: Asked,
): Promise<GatewayNode[] | undefined> {
  try {
    return await ctx.deps.gateway.listNodes();
  } catch (error) {
    ctx.deps.log.warn({ err: errorSummary(error) }, "listing the gateway's nodes failed");
    // OpenClaw's words may name a setting: only an approver, reading privately, gets them.
    const detail = asked.actor.isApprover && asked.private ? errorSummary(error) : "—";
    await refuse(ctx, asked, t(asked.actor.lang, "nodes.unavailable", { error: detail }));
    return undefined;
  }
}

export async function refuse(ctx: FlowContext, asked: Asked, text: string): Promise<void> {
  await answerAsked(ctx, asked, noticeText(text, "refusal"));
}

export async function answerAsked(
  ctx: FlowContext,
  asked: Asked,
  view: MessageView,
): Promise<void> {
  if (asked.responder) await asked.responder.reply(view);
  else await sendDm(ctx, asked.actor, view);
}

export function noticeText(text: string, notice: "brief" | "refusal"): MessageView {
  return { title: "", tone: "neutral", blocks: [{ kind: "text", text }], buttons: [], notice };
}
