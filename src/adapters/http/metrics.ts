// Prometheus metrics (prom-client): sessions by stage, handshake duration, openclaw calls, platform errors.
// Labels are stages, actions and platforms only: never a user, a display name or anything secret.

import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { SessionStore } from "../../core/ports.ts";
import type { Session } from "../../core/types.ts";
import type { HandshakeMetrics } from "../../flows/handshake.ts";

export class Metrics implements HandshakeMetrics {
  readonly registry = new Registry();
  readonly #transitions: Counter;
  readonly #duration: Histogram;
  readonly #gatewayCalls: Counter;
  readonly #effectFailures: Counter;

  constructor(store: SessionStore) {
    const registry = this.registry;
    new Gauge({
      name: "clawshake_sessions_active",
      help: "Live sessions by stage.",
      labelNames: ["stage"],
      registers: [registry],
      async collect() {
        this.reset();
        for (const session of await store.active()) this.inc({ stage: session.stage });
      },
    });
    this.#transitions = new Counter({
      name: "clawshake_transitions_total",
      help: "Session transitions by target stage.",
      labelNames: ["stage"],
      registers: [registry],
    });
    this.#duration = new Histogram({
      name: "clawshake_handshake_seconds",
      help: "Time from /connect-node to the node connected.",
      buckets: [10, 30, 60, 120, 300, 600, 1200, 1800],
      registers: [registry],
    });
    this.#gatewayCalls = new Counter({
      name: "clawshake_openclaw_calls_total",
      help: "Actions on the OpenClaw gateway, by action and outcome.",
      labelNames: ["action", "outcome"],
      registers: [registry],
    });
    this.#effectFailures = new Counter({
      name: "clawshake_effect_failures_total",
      help: "Failed deliveries (chat platform or gateway errors), by effect.",
      labelNames: ["effect"],
      registers: [registry],
    });
  }

  transition(before: Session, after: Session): void {
    if (before.stage === after.stage) return;
    this.#transitions.inc({ stage: after.stage });
    if (after.stage === "connected")
      this.#duration.observe(((after.connectedAt ?? after.updatedAt) - after.createdAt) / 1000);
  }

  gatewayCall(action: string, ok: boolean): void {
    this.#gatewayCalls.inc({ action, outcome: ok ? "ok" : "error" });
  }

  effectFailed(effect: string): void {
    this.#effectFailures.inc({ effect });
  }
}
