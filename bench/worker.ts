// Runs one part of the benchmark in its own process and sends its result to bench/run.ts over IPC.
// A part never prints to stdout (that is bench/run.ts's, for the one JSON object); progress goes to stderr.

import { type BenchOptions, PARTS, type Part, type PartResult } from "./result.ts";

async function runPart(part: Part, options: BenchOptions): Promise<PartResult> {
  switch (part) {
    case "store":
      return (await import("./parts/store.ts")).storeThroughput(options);
    case "rss":
      return (await import("./parts/rss.ts")).residentMemory(options);
    case "cli":
      return (await import("./parts/cli.ts")).cliSpawns(options);
    case "discord":
      return (await import("./parts/discord.ts")).discordAck(options);
    case "openclaw":
      return (await import("./parts/openclaw.ts")).realGateway(options);
    case "diagnose":
      return (await import("./parts/diagnose.ts")).diagnoseLargestLog(options);
  }
}

// Stopped by bench/run.ts (over budget, or Ctrl-C): exit normally, so that exit hooks remove temp dirs and the
// OpenClaw harness stops its gateways and namespaces; bench/run.ts then kills what is left of this process group.
for (const [signal, code] of [
  ["SIGTERM", 143],
  ["SIGINT", 130],
] as const)
  process.once(signal, () => process.exit(code));

const [part, mode] = process.argv.slice(2);
if (!PARTS.includes(part as Part) || !process.send) {
  process.stderr.write("usage: forked by bench/run.ts with <part> [--short]\n");
  process.exit(2);
}
try {
  const result = await runPart(part as Part, {
    short: mode === "--short",
    partial: (sofar) => process.send?.({ ok: true, partial: true, result: sofar }),
  });
  process.send?.({ ok: true, result }, () => process.exit(0));
} catch (error) {
  const message = (error as Error).stack ?? String(error);
  process.send?.({ ok: false, error: message }, () => process.exit(1));
}
