// How long diagnosing the largest log the bot accepts holds the event loop: `diagnose` on worst-case logs longer than
// the cap (so the cut runs too), each built to stress one part of it. Pure CPU; no network, no files.

import { diagnose } from "../../src/core/diagnose.ts";
import { MAX_LOG_BYTES } from "../../src/core/log-tail.ts";
import type { BenchOptions, PartResult } from "../result.ts";
import { percentile, progress, round } from "../result.ts";

/** `line` repeated (with `eol`) to twice the cap: what arrives is longer than what is read. */
function fill(line: string, eol = "\n"): string {
  return `${line}${eol}`.repeat(Math.ceil((2 * MAX_LOG_BYTES) / (line.length + eol.length)));
}

const UUID = "0f1e2d3c-4b5a-4978-8877-665544332211";

/** The worst cases, by what they stress. */
const LOGS: Record<string, () => string> = {
  "empty lines": () => "\n".repeat(2 * MAX_LOG_BYTES),
  "one-character lines, CRLF": () => fill("a", "\r\n"),
  "lone CR line ends": () => fill("ab", "\r"),
  "one line of twice the cap": () => "a".repeat(2 * MAX_LOG_BYTES),
  "lines of 8,000 characters": () => fill("a".repeat(8000)),
  "lines that nearly match every phrase": () =>
    fill(
      "gateway tls fingerprint mismatc device pairing require node host gateway connected getaddrinfo enotfoun",
    ),
  "phrases with long runs of blanks and a wrong last word": () =>
    fill(`gateway${" \t\u00a0".repeat(300)}token${" ".repeat(300)}mismatcx`),
  "every line a finding": () => fill("connect ECONNREFUSED 10.0.0.1:1"),
  "every line a finding with a request id and a secret to redact": () =>
    fill(`device pairing required (requestId: ${UUID}) --token=${"s".repeat(400)}`),
  "unterminated OSC escapes": () => fill(`\x1b]${"a".repeat(300)}`),
  "ESC ] without end": () => "\x1b]".repeat(MAX_LOG_BYTES),
  "CSI with 500 parameters and no final byte": () => fill(`\x1b[${"0;".repeat(250)}`),
  "8-bit control characters": () => fill("\x9b\x00\x85".repeat(200)),
  "Chinese text, a finding at the end": () =>
    `${fill("节点日志没有问题".repeat(30))}node host gateway connected: wss://h:1\n`,
};

export async function diagnoseLargestLog(options: BenchOptions): Promise<PartResult> {
  const runs = options.short ? 5 : 21;
  const cpu: Record<string, number> = {};
  const wall: Record<string, number> = {};
  const slowest: Record<string, number> = {};
  const cold: Record<string, number> = {};
  for (const [name, build] of Object.entries(LOGS)) {
    const log = build();
    const cpuSamples: number[] = [];
    const wallSamples: number[] = [];
    for (let i = 0; i < runs; i++) {
      const startedCpu = process.threadCpuUsage();
      const started = performance.now();
      const result = diagnose(log);
      wallSamples.push(performance.now() - started);
      const used = process.threadCpuUsage(startedCpu);
      cpuSamples.push((used.user + used.system) / 1000);
      if (!result.truncated)
        throw new Error(`“${name}” was not cut: the input is not longer than the cap`);
    }
    cpu[name] = percentile(cpuSamples, 50) as number;
    wall[name] = percentile(wallSamples, 50) as number;
    slowest[name] = Math.max(...wallSamples);
    cold[name] = wallSamples[0] as number;
    progress(
      `diagnose: ${name}: median ${round(cpu[name] as number)} ms of CPU, ${round(wall[name] as number)} ms of wall time`,
    );
  }
  const [worst, figure] = Object.entries(cpu).sort((a, b) => b[1] - a[1])[0] as [string, number];
  const list = (values: Record<string, number>) =>
    Object.entries(values)
      .map(([name, ms]) => `${name} ${round(ms)} ms`)
      .join("; ");
  return {
    values: { diagnose_max_log_ms: round(figure) },
    notes: {
      diagnose_max_log_ms: `worst: “${worst}”; main-thread CPU time, median per log: ${list(cpu)}; wall time, median per log: ${list(wall)}; slowest run per log (wall): ${list(slowest)}; first (cold) run per log (wall): ${list(cold)}`,
    },
    method: [
      `diagnose_max_log_ms: ${Object.keys(LOGS).length} logs of twice the cap (${MAX_LOG_BYTES / (1024 * 1024)} MiB), each built to stress one part of the diagnosis (line walking, long lines, near matches, findings on every line, escape sequences, control characters, non-ASCII), are diagnosed ${runs} times each in one process; the figure is the largest per-log median of the main thread's CPU time for one diagnose() call, cut included: the time the call itself holds the event loop (on a busy machine the wall time adds the time other processes take the CPU; the notes give both)`,
    ],
  };
}
