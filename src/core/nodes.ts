// What /nodes and /disconnect-node show: the gateway's nodes joined with the sessions that enrolled them, and the
// confirmation of a removal. Pure; never shows a node id or an address unless the caller says the reader is an approver.

import { t } from "./i18n/index.ts";
import type { GatewayNode } from "./ports.ts";
import { nodeHandle, nodeSubject } from "./subject.ts";
import type { Lang, Session } from "./types.ts";
import { displayNameKey } from "./validate.ts";
import type { Block, CommandNames, MessageView } from "./view.ts";

/** Discord shows at most 25 fields in an embed; a longer list says how many more there are. */
const MAX_LISTED = 20;

export interface NodeRow {
  node: GatewayNode;
  /** The session that enrolled this node through the bot, the latest when there are several. */
  session?: Session;
}

/** Each node with the session that enrolled it, if any; connected nodes first, then by name. */
export function nodeRows(nodes: readonly GatewayNode[], sessions: readonly Session[]): NodeRow[] {
  const latest = new Map<string, Session>();
  for (const s of sessions)
    if (s.nodeId && s.createdAt >= (latest.get(s.nodeId)?.createdAt ?? Number.NEGATIVE_INFINITY))
      latest.set(s.nodeId, s);
  return [...nodes]
    .sort(
      (a, b) =>
        Number(b.connected) - Number(a.connected) ||
        nameOf(a).localeCompare(nameOf(b)) ||
        a.nodeId.localeCompare(b.nodeId),
    )
    .map((node) => {
      const session = latest.get(node.nodeId);
      return session ? { node, session } : { node };
    });
}

/** The node `name` names: its display name (as /connect-node compares names), or its exact node id. */
export function findNode(
  nodes: readonly GatewayNode[],
  name: string,
):
  | { kind: "one"; node: GatewayNode }
  | { kind: "none" }
  | { kind: "several"; nodes: GatewayNode[] } {
  const byId = nodes.find((n) => n.nodeId === name.trim());
  if (byId) return { kind: "one", node: byId };
  const key = displayNameKey(name.trim());
  const named = nodes.filter((n) => n.displayName && displayNameKey(n.displayName) === key);
  if (named.length === 1) return { kind: "one", node: named[0] as GatewayNode };
  return named.length === 0 ? { kind: "none" } : { kind: "several", nodes: named };
}

/** The node a confirmation's handle (`nodeHandle`) stands for. */
export function nodeByHandle(
  nodes: readonly GatewayNode[],
  handle: string,
): GatewayNode | undefined {
  return nodes.find((n) => nodeHandle(n.nodeId) === handle);
}

/**
 * The list /nodes answers. `details`: the reader is an approver, reading privately; only then do node ids and
 * addresses appear.
 */
export function nodesView(
  rows: readonly NodeRow[],
  lang: Lang,
  options: { details: boolean; detailsElsewhere?: boolean },
): MessageView {
  const tr = (key: Parameters<typeof t>[1], params?: Record<string, string | number>) =>
    t(lang, key, params);
  const blocks: Block[] = rows.slice(0, MAX_LISTED).map(({ node, session }) => {
    const lines = [
      [
        tr(node.connected ? "nodes.connected" : "nodes.notConnected"),
        tr(node.approved ? "nodes.approved" : "nodes.pending"),
      ].join(" · "),
    ];
    if (session) lines.push(...enrolment(session, lang));
    else lines.push(tr("nodes.notThroughBot"));
    if (options.details) {
      lines.push(tr("nodes.id", { id: node.nodeId }));
      if (node.remoteIp) lines.push(tr("nodes.address", { address: node.remoteIp }));
    }
    return { kind: "field", label: nameOf(node), value: lines.join("\n") };
  });
  if (rows.length === 0) blocks.push({ kind: "text", text: tr("nodes.none") });
  if (rows.length > MAX_LISTED)
    blocks.push({ kind: "text", text: tr("nodes.more", { count: rows.length - MAX_LISTED }) });
  if (options.detailsElsewhere && rows.length > 0)
    blocks.push({ kind: "text", text: tr("nodes.detailsSent") });
  return {
    title: tr("nodes.title", { count: rows.length }),
    tone: "neutral",
    blocks,
    buttons: [],
  };
}

/** Who asked for the node, why, who approved it and when, and who disconnected it. */
function enrolment(s: Session, lang: Lang): string[] {
  const asked = [t(lang, "nodes.askedBy", { name: s.requester.name })];
  const reason = s.reason?.trim();
  if (reason) asked.push(t(lang, "nodes.reason", { reason }));
  const approval = s.decisions.findLast((d) => d.approved);
  if (approval)
    asked.push(
      t(lang, "nodes.approvedBy", {
        name: approval.by === "elsewhere" ? t(lang, "card.elsewhere") : approval.by.name,
        at: formatAt(approval.at),
      }),
    );
  const lines = [asked.join(" · ")];
  if (s.disconnected)
    lines.push(
      t(lang, "nodes.disconnectedBy", {
        name: s.disconnected.by.name,
        at: formatAt(s.disconnected.at),
      }),
    );
  return lines;
}

/**
 * The private confirmation of /disconnect-node: exactly what will be removed. Its Disconnect button names the node by
 * handle and carries `nodeSubject`, so a click removes the node it showed and nothing that has since taken its place.
 */
export function disconnectConfirmView(row: NodeRow, lang: Lang): MessageView {
  const { node, session } = row;
  const tr = (key: Parameters<typeof t>[1], params?: Record<string, string | number>) =>
    t(lang, key, params);
  const blocks: Block[] = [
    { kind: "field", label: tr("disconnect.field.name"), value: nameOf(node) },
    { kind: "field", label: tr("disconnect.field.id"), value: node.nodeId },
    {
      kind: "field",
      label: tr("disconnect.field.address"),
      value: node.remoteIp ?? tr("disconnect.unknown"),
    },
    {
      kind: "field",
      label: tr("disconnect.field.connected"),
      value: tr(node.connected ? "disconnect.yes" : "disconnect.no"),
    },
  ];
  if (session)
    blocks.push({
      kind: "field",
      label: tr("disconnect.field.enrolled"),
      value: enrolment(session, lang).join("\n"),
    });
  blocks.push({ kind: "text", text: tr("disconnect.explain") });
  return {
    sessionId: nodeHandle(node.nodeId),
    title: tr("disconnect.title", { name: nameOf(node) }),
    tone: "danger",
    blocks,
    buttons: [
      {
        kind: "action",
        action: "confirmDisconnect",
        label: tr("disconnect.confirm"),
        style: "danger",
        target: nodeSubject(node),
      },
      {
        kind: "action",
        action: "cancelDisconnect",
        label: tr("disconnect.cancel"),
        style: "secondary",
      },
    ],
  };
}

/** A confirmation after the click: what was done, without buttons (they would act again). */
export function disconnectOutcomeView(
  confirmation: MessageView,
  text: string,
  tone: MessageView["tone"],
): MessageView {
  const { sessionId: _unused, ...rest } = confirmation;
  return { ...rest, tone, blocks: [...rest.blocks, { kind: "text", text }], buttons: [] };
}

/** The commands as a platform spells them, with the Discord and console spelling where it does not say. */
export function nodeCommands(commands: CommandNames): { nodes: string; disconnectNode: string } {
  return {
    nodes: commands.nodes ?? "/nodes",
    disconnectNode: commands.disconnectNode ?? "/disconnect-node",
  };
}

export function nameOf(node: GatewayNode): string {
  return node.displayName ?? node.nodeId.slice(0, 12);
}

/** "2026-11-29 21:04 UTC": one spelling for every reader, whatever their time zone. */
export function formatAt(at: number): string {
  return `${new Date(at).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}
