// /nodes and /disconnect-node: what the gateway's nodes are, and taking one away. Lists the gateway's nodes with the
// sessions that enrolled them; removes a node only after its approver confirmed exactly that node, privately.
// Never shows a node id or an address to anyone but an approver, and never in a shared chat.

import type { Logger } from "pino";
import { disconnectionRecords } from "../core/audit.ts";
import { t } from "../core/i18n/index.ts";
import {
  disconnectConfirmView,
  findNode,
  nameOf,
  nodeByHandle,
  nodeCommands,
  nodeRows,
  nodesView,
} from "../core/nodes.ts";
import type { Chat, Clock, Gateway, GatewayNode, Responder, SessionStore } from "../core/ports.ts";
import { nodeSubject } from "../core/subject.ts";
import type { Actor, Event, UserRef } from "../core/types.ts";
import { userKey } from "../core/types.ts";
import type { MessageView } from "../core/view.ts";

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

export interface NodesDeps {
  store: SessionStore;
  chats: Chat[];
  gateway: Gateway;
  clock: Clock;
  log: Logger;
  /** Applies an event to a session (Handshake.dispatch): the enrolling session notes the removal on its card. */
  dispatch: (sessionId: string, event: Event) => Promise<void>;
  /** Sends a private message, as the handshake does (a closed DM is logged); true when it was delivered. */
  sendDm: (to: UserRef, view: MessageView) => Promise<boolean>;
}

/** Where an answer lands: `private` when only the person who asked sees it (Discord ephemeral, a DM, the console). */
export interface Asked {
  actor: Actor;
  responder?: Responder;
  private: boolean;
}

export class Nodes {
  readonly #deps: NodesDeps;

  constructor(deps: NodesDeps) {
    this.#deps = deps;
  }

  /**
   * `/nodes`: anyone may list. An approver reading privately sees node ids and addresses; one asking in a shared
   * chat gets the list there without them, and the details by private message.
   */
  async list(asked: Asked): Promise<void> {
    const { actor } = asked;
    const rows = await this.#rows(asked);
    if (!rows) return;
    const detailsSent =
      actor.isApprover &&
      !asked.private &&
      (await this.#deps.sendDm(actor, nodesView(rows, actor.lang, { details: true })));
    await this.#reply(
      asked,
      nodesView(rows, actor.lang, {
        details: actor.isApprover && asked.private,
        detailsElsewhere: detailsSent,
      }),
    );
  }

  /** The names /disconnect-node can complete (Discord autocomplete): the gateway's nodes, for approvers only. */
  async names(actor: Actor, typed: string): Promise<{ name: string; value: string }[]> {
    if (!actor.isApprover) return [];
    const nodes = await this.#deps.gateway.listNodes().catch(() => [] as GatewayNode[]);
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
  async disconnect(asked: Asked, name: string): Promise<void> {
    const { actor } = asked;
    const lang = actor.lang;
    const commands = nodeCommands(this.#chat(actor.platform).commands);
    if (!actor.isApprover) return this.#refuse(asked, t(lang, "disconnect.approversOnly"));
    if (name.trim() === "")
      return this.#refuse(
        asked,
        t(lang, "disconnect.nameMissing", { command: commands.disconnectNode }),
      );
    const nodes = await this.#listed(asked);
    if (!nodes) return;
    const found = findNode(nodes, name);
    if (found.kind === "none")
      return this.#refuse(asked, t(lang, "disconnect.notFound", { name, nodes: commands.nodes }));
    if (found.kind === "several")
      return this.#refuse(
        asked,
        t(lang, "disconnect.ambiguous", { name, ids: found.nodes.map((n) => n.nodeId).join(", ") }),
      );
    const sessions = await this.#deps.store.enrolled([found.node.nodeId]);
    const [row] = nodeRows([found.node], sessions);
    const view = disconnectConfirmView(row ?? { node: found.node }, lang);
    if (asked.private) return this.#reply(asked, view);
    if (await this.#deps.sendDm(actor, view))
      await this.#reply(asked, this.#text(t(lang, "disconnect.sentPrivately"), "brief"));
    else await this.#refuse(asked, t(lang, "disconnect.dmClosed"));
  }

  /**
   * A press on the confirmation: `handle` names the node (`nodeHandle`), `event.shown` what the confirmation showed
   * of it. The node is removed only when an approver confirms and the gateway's node still matches what was shown.
   */
  async press(
    handle: string,
    event: Extract<Event, { type: "confirmDisconnect" | "cancelDisconnect" }>,
    responder?: Responder,
  ): Promise<void> {
    const { actor } = event;
    const lang = actor.lang;
    const asked: Asked = { actor, private: true, ...(responder ? { responder } : {}) };
    if (event.type === "cancelDisconnect")
      return this.#reply(asked, this.#text(t(lang, "disconnect.cancelled"), "brief"));
    if (!actor.isApprover) return this.#refuse(asked, t(lang, "disconnect.approversOnly"));
    const nodes = await this.#listed(asked);
    if (!nodes) return;
    const node = nodeByHandle(nodes, handle);
    const commands = nodeCommands(this.#chat(actor.platform).commands);
    if (!node || event.shown === undefined || nodeSubject(node) !== event.shown)
      return this.#refuse(
        asked,
        t(lang, "disconnect.changed", { command: commands.disconnectNode }),
      );
    const name = nameOf(node);
    let outcome: "done" | "alreadyGone";
    try {
      outcome = await this.#deps.gateway.removeNode(node.nodeId);
    } catch (error) {
      this.#deps.log.warn(
        { node: node.nodeId, by: userKey(actor), err: summary(error) },
        "node removal failed",
      );
      return this.#refuse(asked, t(lang, "disconnect.failed", { name, error: summary(error) }));
    }
    const sessions = (await this.#deps.store.enrolled([node.nodeId])).filter(
      (s) => s.stage === "connected",
    );
    const removal: NodeRemoval = {
      nodeId: node.nodeId,
      ...(node.displayName ? { displayName: node.displayName } : {}),
      ...(node.remoteIp ? { remoteIp: node.remoteIp } : {}),
      by: { platform: actor.platform, id: actor.id, name: actor.name },
      at: this.#deps.clock.now(),
      outcome,
      sessionIds: sessions.map((s) => s.id),
    };
    this.#deps.log.info(
      {
        node: removal.nodeId,
        name: removal.displayName,
        by: userKey(actor),
        outcome,
        sessions: removal.sessionIds,
      },
      "node disconnected",
    );
    await this.#deps.store.appendAudit(disconnectionRecords(removal));
    for (const s of sessions) await this.#deps.dispatch(s.id, { type: "nodeRemoved", actor });
    await this.#reply(
      asked,
      this.#text(
        t(lang, outcome === "done" ? "disconnect.done" : "disconnect.alreadyGone", { name }),
        "brief",
      ),
    );
  }

  async #rows(asked: Asked) {
    const nodes = await this.#listed(asked);
    if (!nodes) return undefined;
    return nodeRows(nodes, await this.#deps.store.enrolled(nodes.map((n) => n.nodeId)));
  }

  /** The gateway's nodes, or undefined after telling the person why they cannot be read. */
  async #listed(asked: Asked): Promise<GatewayNode[] | undefined> {
    try {
      return await this.#deps.gateway.listNodes();
    } catch (error) {
      this.#deps.log.warn({ err: summary(error) }, "listing the gateway's nodes failed");
      // OpenClaw's words may name a setting: only an approver, reading privately, gets them.
      const detail = asked.actor.isApprover && asked.private ? summary(error) : "—";
      await this.#refuse(asked, t(asked.actor.lang, "nodes.unavailable", { error: detail }));
      return undefined;
    }
  }

  async #refuse(asked: Asked, text: string): Promise<void> {
    await this.#reply(asked, this.#text(text, "refusal"));
  }

  async #reply(asked: Asked, view: MessageView): Promise<void> {
    if (asked.responder) await asked.responder.reply(view);
    else await this.#deps.sendDm(asked.actor, view);
  }

  #text(text: string, notice: "brief" | "refusal"): MessageView {
    return { title: "", tone: "neutral", blocks: [{ kind: "text", text }], buttons: [], notice };
  }

  #chat(platform: string): Chat {
    const chat = this.#deps.chats.find((c) => c.platform === platform);
    if (!chat) throw new Error(`no chat adapter for platform ${platform}`);
    return chat;
  }
}

function summary(error: unknown): string {
  return error instanceof Error ? (error.message.split("\n")[0] ?? "error") : String(error);
}
