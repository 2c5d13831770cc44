// Keeps the audit trail for CLAWSHAKE_AUDIT_DAYS: on the tick, at most once an hour, deletes the older records.
// One indexed range delete per run; it never reads the records, and a failure only waits for the next hour.

import type { Logger } from "pino";
import type { AuditLog, Clock } from "../core/ports.ts";

const DAY_MS = 86_400_000;
/** How often the records are pruned at most: an hour's worth of old records costs nothing to keep a little longer. */
export const PRUNE_EVERY_MS = 3_600_000;

export class AuditRetention {
  readonly #store: AuditLog;
  readonly #days: number;
  readonly #clock: Clock;
  readonly #log: Logger;
  #lastRun = Number.NEGATIVE_INFINITY;

  constructor(store: AuditLog, days: number, clock: Clock, log: Logger) {
    this.#store = store;
    this.#days = days;
    this.#clock = clock;
    this.#log = log;
  }

  /** Prunes when the last run is an hour or more ago; returns how many records went (0 when it did not run). */
  async tick(): Promise<number> {
    const now = this.#clock.now();
    if (now - this.#lastRun < PRUNE_EVERY_MS) return 0;
    this.#lastRun = now;
    try {
      const removed = await this.#store.pruneAudit(now - this.#days * DAY_MS);
      if (removed > 0)
        this.#log.info({ removed, days: this.#days }, "audit records past their retention deleted");
      return removed;
    } catch (error) {
      this.#log.warn({ err: String(error) }, "could not delete old audit records; next hour again");
      return 0;
    }
  }
}
