// What every part of the benchmark hands back: measured figures, notes, and how they were measured; plus percentiles.
// A figure is a number that was measured, or null with the reason in the notes: never an estimate standing in for one.

/** The figures `npm run bench -- --json` prints, in this order. */
export const METRICS = [
  "discord_ack_p99_ms",
  "discord_ack_p99_ms_bare",
  "events_per_s_sqlite",
  "events_per_s_redis",
  "rss_mb_10k_sessions",
  "cli_spawns_per_min_100_waiting",
  "cli_spawns_per_min_1_waiting",
  "cli_spawns_per_min_naive_100_waiting",
  "events_path_spawns_per_min",
  "pairing_to_card_p95_ms",
  "pairing_to_card_p95_ms_cli",
  "setup_link_to_connected_p95_ms",
  "diagnose_max_log_ms",
] as const;

export type Metric = (typeof METRICS)[number];

/** What each figure is, for people reading the README's table. */
export const DESCRIPTIONS: Record<Metric, string> = {
  discord_ack_p99_ms:
    "Discord: interaction acknowledged, p99, `/connect-node` from many users at once",
  discord_ack_p99_ms_bare:
    "the same burst answered by a bare discord.js client that only acknowledges (this setup's floor)",
  events_per_s_sqlite: "decide + compare-and-set write per second, SQLite",
  events_per_s_redis: "decide + compare-and-set write per second, Redis",
  rss_mb_10k_sessions: "memory (RSS) of the bot holding 10,000 live sessions",
  cli_spawns_per_min_100_waiting:
    "CLI fallback: `openclaw` processes per minute, 100 sessions waiting",
  cli_spawns_per_min_1_waiting: "CLI fallback: `openclaw` processes per minute, 1 session waiting",
  cli_spawns_per_min_naive_100_waiting: "a naive poller (one per session), 100 sessions waiting",
  events_path_spawns_per_min: "operator connection: processes per minute (none by design)",
  pairing_to_card_p95_ms: "node's pairing request → card shows it, p95, operator connection",
  pairing_to_card_p95_ms_cli: "the same on the CLI fallback",
  setup_link_to_connected_p95_ms: "node runs the setup-link command → card green, p95",
  diagnose_max_log_ms:
    "diagnosing the largest log accepted (cut to its last 2 MiB), worst case: main-thread time it holds the event loop",
};

/** Targets from the README's performance goals; "max" means lower is better. */
export const TARGETS: Partial<Record<Metric, { kind: "max" | "min"; value: number }>> = {
  discord_ack_p99_ms: { kind: "max", value: 50 },
  events_per_s_sqlite: { kind: "min", value: 5000 },
  rss_mb_10k_sessions: { kind: "max", value: 150 },
  pairing_to_card_p95_ms: { kind: "max", value: 500 },
  pairing_to_card_p95_ms_cli: { kind: "max", value: 3000 },
  setup_link_to_connected_p95_ms: { kind: "max", value: 4000 },
  diagnose_max_log_ms: { kind: "max", value: 50 },
};

/** The parts, each run in its own process by bench/worker.ts, in the order they run. */
export const PARTS = ["store", "rss", "cli", "discord", "openclaw", "diagnose"] as const;
export type Part = (typeof PARTS)[number];

export interface BenchOptions {
  /** CI mode: small sample counts, the whole run in a few minutes. */
  short: boolean;
  /** Hands over what is measured so far, so that a part stopped over its time budget still reports it. */
  partial?: (result: PartResult) => void;
}

/** One part's answer: its figures, notes keyed by topic, and one line per figure on how it was measured. */
export interface PartResult {
  values: Partial<Record<Metric, number | null>>;
  notes: Record<string, string>;
  method: string[];
}

/** The nearest-rank percentile (p in 0..100) of `samples`; undefined for none. */
export function percentile(samples: number[], p: number): number | undefined {
  if (samples.length === 0) return undefined;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

/** min / median / max of samples, for the notes. */
export function spread(samples: number[], unit = "ms"): string {
  if (samples.length === 0) return "no samples";
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => round(percentile(sorted, p) ?? 0);
  return `n=${samples.length}, min ${round(sorted[0] ?? 0)} ${unit}, median ${at(50)} ${unit}, p95 ${at(95)} ${unit}, max ${round(sorted.at(-1) ?? 0)} ${unit}`;
}

/** Rounds to one decimal below 100 and to a whole number above. */
export function round(value: number): number {
  return Math.abs(value) >= 100 ? Math.round(value) : Math.round(value * 10) / 10;
}

/** Progress goes to stderr, so that `--json` keeps stdout to the one JSON object. */
export function progress(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}
