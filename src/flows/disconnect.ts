// /disconnect-node: taking a node away from the gateway. An approver names a node, gets privately exactly what would be
// removed, and confirms or cancels; the node is removed only if the gateway's node still matches what was shown, and
// the removal is audited and noted on the cards of the sessions that enrolled it.
// Never removes a node without an approver's confirmation of exactly that node, and never shows a node id or an
// address in a shared chat.

import { disconnectionRecords } from "../core/audit.ts";
import { t } from "../core/i18n/index.ts";
import {
  disconnectConfirmView,
  findNode,
  nameOf,
  nodeByHandle,
  nodeCommands,
  nodeRows,
} from "../core/nodes.ts";
import type { GatewayNode, Responder } from "../core/ports.ts";
import { nodeSubject } from "../core/subject.ts";
import type { Actor, Event, UserRef } from "../core/types.ts";
import { userKey } from "../core/types.ts";
import { chatFor, errorSummary, type FlowContext } from "./context.ts";
import { type Asked, answerAsked, noticeText, readNodes, refuse } from "./nodes.ts";
import { sendDm } from "./private-messages.ts";
import { dispatch } from "./session-loop.ts";

/** What the audit records of a removal (a log line, and records in the store's audit). Never a secret. */
export interface NodeRemoval {
  nodeId: string;
  displayName?: string;
  remoteIp?: string;
  by: UserRef;
  at: number;
  outcome: "done" | "alreadyGone";
  /** The sessions that had enrolled it through the bot. */
  sessionIds: string[];
}

/** The names /disconnect-node can complete (Discord autocomplete): the gateway's nodes, for approvers only. */
export async function disconnectNames(
  ctx: FlowContext,
  actor: Actor,
  typed: string,
): Promise<{ name: string; value: string }[]> {
  if (!actor.isApprover) return [];
  const nodes = await ctx.deps.gateway.listNodes().catch(() => [] as GatewayNode[]);
  const prefix = typed.trim().toLowerCase();
  return nodes
    .filter((n) => nameOf(n).toLowerCase().includes(prefix) || n.nodeId.startsWith(prefix))
    .slice(0, 25)
    .map((n) => ({
      name: `${nameOf(n)} (${n.connected ? "●" : "○"} ${n.nodeId.slice(0, 8)})`,
      value: n.displayName ?? n.nodeId,
    }));
}

/** `/disconnect-node <name>`: an approver gets, privately, exactly what would be removed, to confirm or cancel. */
export async function requestDisconnect(
  ctx: FlowContext,
  asked: Asked,
  name: string,
): Promise<void> {
  const { actor } = asked;
  const lang = actor.lang;
  const commands = nodeCommands(chatFor(ctx, actor.platform).commands);
  if (!actor.isApprover) return refuse(ctx, asked, t(lang, "disconnect.approversOnly"));
  if (name.trim() === "")
    return refuse(
      ctx,
      asked,
      t(lang, "disconnect.nameMissing", { command: commands.disconnectNode }),
    );
  const nodes = await readNodes(ctx, asked);
  if (!nodes) return;
  const found = findNode(nodes, name);
  if (found.kind === "none")
    return refuse(ctx, asked, t(lang, "disconnect.notFound", { name, nodes: commands.nodes }));
  if (found.kind === "several")
    return refuse(
      ctx,
      asked,
      t(lang, "disconnect.ambiguous", { name, ids: found.nodes.map((n) => n.nodeId).join(", ") }),
    );
  const sessions = await ctx.deps.store.enrolled([found.node.nodeId]);
  const [row] = nodeRows([found.node], sessions);
  const view = disconnectConfirmView(row ?? { node: found.node }, lang);
  if (asked.private) return answerAsked(ctx, asked, view);
  if (await sendDm(ctx, actor, view))
    await answerAsked(ctx, asked, noticeText(t(lang, "disconnect.sentPrivately"), "brief"));
  else await refuse(ctx, asked, t(lang, "disconnect.dmClosed"));
}

/**
 * A press on the confirmation: `handle` names the node (`nodeHandle`), `event.shown` what the confirmation showed
 * of it. The node is removed only when an approver confirms and the gateway's node still matches what was shown.
 */
export async function pressDisconnect(
  ctx: FlowContext,
  handle: string,
  event: Extract<Event, { type: "confirmDisconnect" | "cancelDisconnect" }>,
  responder?: Responder,
): Promise<void> {
  const { actor } = event;
  const { gateway, store, clock, log } = ctx.deps;
  const lang = actor.lang;
  const asked: Asked = { actor, private: true, ...(responder ? { responder } : {}) };
  if (event.type === "cancelDisconnect")
    return answerAsked(ctx, asked, noticeText(t(lang, "disconnect.cancelled"), "brief"));
  if (!actor.isApprover) return refuse(ctx, asked, t(lang, "disconnect.approversOnly"));
  const nodes = await readNodes(ctx, asked);
  if (!nodes) return;
  const node = nodeByHandle(nodes, handle);
  const commands = nodeCommands(chatFor(ctx, actor.platform).commands);
  if (!node || event.shown === undefined || nodeSubject(node) !== event.shown)
    return refuse(ctx, asked, t(lang, "disconnect.changed", { command: commands.disconnectNode }));
  const name = nameOf(node);
  let outcome: "done" | "alreadyGone";
  try {
    outcome = await gateway.removeNode(node.nodeId);
  } catch (error) {
    log.warn(
      { node: node.nodeId, by: userKey(actor), err: errorSummary(error) },
      "node removal failed",
    );
    return refuse(ctx, asked, t(lang, "disconnect.failed", { name, error: errorSummary(error) }));
  }
  const sessions = (await store.enrolled([node.nodeId])).filter((s) => s.stage === "connected");
  const removal: NodeRemoval = {
    nodeId: node.nodeId,
    ...(node.displayName ? { displayName: node.displayName } : {}),
    ...(node.remoteIp ? { remoteIp: node.remoteIp } : {}),
    by: { platform: actor.platform, id: actor.id, name: actor.name },
    at: clock.now(),
    outcome,
    sessionIds: sessions.map((s) => s.id),
  };
  log.info(
    {
      node: removal.nodeId,
      name: removal.displayName,
      by: userKey(actor),
      outcome,
      sessions: removal.sessionIds,
    },
    "node disconnected",
  );
  await store.appendAudit(disconnectionRecords(removal));
  for (const s of sessions) await dispatch(ctx, s.id, { type: "nodeRemoved", actor });
  await answerAsked(
    ctx,
    asked,
    noticeText(
      t(lang, outcome === "done" ? "disconnect.done" : "disconnect.alreadyGone", { name }),
      "brief",
    ),
  );
}
