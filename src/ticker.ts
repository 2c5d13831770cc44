// The bot's clock tick: a steady period, and a sooner wake-up for a due time that cannot wait for it (a re-run
// reminder). One timer at a time, never a busy loop, ticks never overlap. It runs what it is given; it decides nothing.

import type { Clock } from "./core/ports.ts";

const WAKE_SLACK_MS = 20;

/**
 * Runs the tick every `periodMs`, and once more at a due time that comes sooner (`wake`): one timer for the earliest,
 * never a busy loop. Ticks never overlap; a wake-up that lands during one runs right after it.
 */
export class Ticker {
  readonly #periodMs: number;
  readonly #clock: Clock;
  readonly #run: () => Promise<void>;
  #interval: NodeJS.Timeout | undefined;
  #timer: NodeJS.Timeout | undefined;
  #timerAt = Number.POSITIVE_INFINITY;
  #running = false;
  #again = false;
  #stopped = false;

  constructor(periodMs: number, clock: Clock, run: () => Promise<void>) {
    this.#periodMs = periodMs;
    this.#clock = clock;
    this.#run = run;
  }

  start(): void {
    this.#interval = setInterval(() => this.#tick(false), this.#periodMs);
    this.#interval.unref();
  }

  wake(at: number): void {
    const delay = at - this.#clock.now();
    // The steady tick comes soon enough, or an earlier wake-up covers this one.
    if (this.#stopped || delay >= this.#periodMs || at >= this.#timerAt) return;
    clearTimeout(this.#timer);
    this.#timerAt = at;
    // A timer may fire a moment before the wall clock reaches `at`; a tick then would find nothing due.
    this.#timer = setTimeout(() => {
      this.#timerAt = Number.POSITIVE_INFINITY;
      this.#tick(true);
    }, Math.max(0, delay) + WAKE_SLACK_MS);
    this.#timer.unref();
  }

  stop(): void {
    this.#stopped = true;
    clearInterval(this.#interval);
    clearTimeout(this.#timer);
    this.#timerAt = Number.POSITIVE_INFINITY;
  }

  #tick(woken: boolean): void {
    if (this.#stopped) return;
    if (this.#running) {
      // A steady tick skips a busy one; a wake-up is for a due time that the running tick may have read too early.
      if (woken) this.#again = true;
      return;
    }
    this.#running = true;
    void this.#run().finally(() => {
      this.#running = false;
      if (this.#again) {
        this.#again = false;
        this.#tick(true);
      }
    });
  }
}
