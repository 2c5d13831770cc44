// The flows' one entry point for adapters and the composition root: a thin façade that holds the shared context
// (context.ts) and hands each call to the file of its use case. The use cases: open.ts (/connect-node), the session
// loop (session-loop.ts: decide, compare-and-set, run the outbox), outbox.ts (carrying out effects),
// private-messages.ts, diagnose.ts, gateway-events.ts, tick.ts, refresh.ts, nodes.ts (/nodes), disconnect.ts
// (/disconnect-node). Holds no logic of its own beyond routing; never logs a Secret.

import type { NodeLog } from "../core/log-tail.ts";
import type { GatewayEvent, GatewayInfo, Responder } from "../core/ports.ts";
import type { Secret } from "../core/secret.ts";
import type { Actor, Event, Session } from "../core/types.ts";
import { type FlowContext, gatewayInfo, type HandshakeDeps, newContext } from "./context.ts";
import { diagnose, privateMessage } from "./diagnose.ts";
import { disconnectNames, pressDisconnect, requestDisconnect } from "./disconnect.ts";
import { onGatewayEvent } from "./gateway-events.ts";
import { type Asked, listNodes } from "./nodes.ts";
import { type OpenInput, open } from "./open.ts";
import { refresh } from "./refresh.ts";
import { dispatch, drain } from "./session-loop.ts";
import { tick } from "./tick.ts";

export type { HandshakeDeps, HandshakeMetrics, HandshakeSettings } from "./context.ts";
export type { OpenInput } from "./open.ts";

/** /nodes and /disconnect-node, as the adapters call them. */
export interface NodeCommands {
  list(asked: Asked): Promise<void>;
  names(actor: Actor, typed: string): Promise<{ name: string; value: string }[]>;
  disconnect(asked: Asked, name: string): Promise<void>;
}

export class Handshake {
  readonly #ctx: FlowContext;
  /** /nodes (flows/nodes.ts) and /disconnect-node (flows/disconnect.ts). */
  readonly nodes: NodeCommands;

  constructor(deps: HandshakeDeps) {
    const ctx = newContext(deps);
    this.#ctx = ctx;
    this.nodes = {
      list: (asked) => listNodes(ctx, asked),
      names: (actor, typed) => disconnectNames(ctx, actor, typed),
      disconnect: (asked, name) => requestDisconnect(ctx, asked, name),
    };
  }

  /** `/connect-node <display name>`: validates the name and opens a session in the right mode. */
  open(input: OpenInput, responder?: Responder): Promise<Session | undefined> {
    return open(this.#ctx, input, responder);
  }

  /** Applies one event to a session: decide, write with compare-and-set, answer the actor, run the outbox. */
  async dispatch(sessionId: string, event: Event, responder?: Responder): Promise<void> {
    // The buttons of a /disconnect-node confirmation name a node, not a session.
    if (event.type === "confirmDisconnect" || event.type === "cancelDisconnect")
      return pressDisconnect(this.#ctx, sessionId, event, responder);
    await dispatch(this.#ctx, sessionId, event, responder);
  }

  /** A private message that is neither a command nor a form answer (diagnose.ts). */
  privateMessage(actor: Actor, text: string, responder?: Responder): Promise<void> {
    return privateMessage(this.#ctx, actor, text, responder);
  }

  /** A node log someone sent: the diagnosis to them, the outcome on the session's card (diagnose.ts). */
  diagnose(
    actor: Actor,
    log: string | NodeLog,
    responder?: Responder,
    sessionId?: string,
  ): Promise<void> {
    return diagnose(this.#ctx, actor, log, responder, sessionId);
  }

  /** Routes what the gateway reports to the session it belongs to. */
  onGatewayEvent(event: GatewayEvent): Promise<void> {
    return onGatewayEvent(this.#ctx, event);
  }

  /** Expires sessions and setup links whose time is up, and retries effects that failed before. */
  tick(): Promise<void> {
    return tick(this.#ctx);
  }

  /** Runs every effect left in the outbox (after a restart, or after a platform outage). */
  drain(): Promise<void> {
    return drain(this.#ctx);
  }

  /** Re-renders every live session's card and private messages from the stored state (after a restart). */
  refresh(): Promise<void> {
    return refresh(this.#ctx);
  }

  /** The secrets live sessions hold, for a leak guard that deletes channel messages containing one. */
  async activeSecrets(): Promise<Secret[]> {
    return (await this.#ctx.deps.store.active()).flatMap((s) =>
      Object.values(s.secrets).filter((secret): secret is Secret => secret !== undefined),
    );
  }

  /** Whether any session still waits for the gateway, so pollers can idle. */
  waiting(): boolean {
    return this.#ctx.waiting > 0;
  }

  gatewayInfo(): Promise<GatewayInfo> {
    return gatewayInfo(this.#ctx);
  }
}
