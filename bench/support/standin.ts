// A stand-in `openclaw` binary: a small shell script that counts its runs in a file and prints valid --json answers.
// It never talks to a gateway; it answers the commands the bot's poller and mint use, and fails on anything else.

import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { removeDir, tempDir } from "./cleanup.ts";

export interface StandIn {
  dir: string;
  /** The script's path, for CliGateway's `bin`. */
  bin: string;
  /** Runs so far, each with its arguments. */
  runs(): string[];
  remove(): void;
}

/** Answers as openclaw 2026.9.6 does with nothing pending (shapes from test/fixtures/openclaw-2026.9.6). */
export function standIn(): StandIn {
  const dir = tempDir("clawshake-bench-openclaw-");
  const bin = join(dir, "openclaw");
  const log = join(dir, "runs");
  writeFileSync(
    bin,
    `#!/bin/sh
echo "$*" >> "${log}"
case "$*" in
  "devices list --json") echo '{"pending":[],"paired":[]}' ;;
  "nodes pending --json") echo '[]' ;;
  "nodes status --json") echo '{"ts":0,"nodes":[]}' ;;
  "gateway call device.pair.setupCode "*)
    now=$(date +%s%3N)
    echo "{\\"setupId\\":\\"setup-$$-$now\\",\\"setupCode\\":\\"code-$$\\",\\"expiresAtMs\\":$((now + 600000)),\\"access\\":\\"node\\"}" ;;
  "gateway call device.pair.setupStatus "*) echo '{}' ;;
  *) echo '{"ok":false,"error":{"type":"cli_error","message":"stand-in: unknown command"}}'; exit 1 ;;
esac
`,
  );
  chmodSync(bin, 0o755);
  return {
    dir,
    bin,
    runs: () => (existsSync(log) ? readFileSync(log, "utf8").split("\n").filter(Boolean) : []),
    remove: () => removeDir(dir),
  };
}

/** "devices list --json" → "devices list"; "gateway call device.pair.setupStatus --params …" → "gateway call device.pair.setupStatus". */
export function commandOf(run: string): string {
  const words = run.split(" ");
  return words.slice(0, words[0] === "gateway" ? 3 : 2).join(" ");
}

/** How many runs of each command, most first: "devices list ×5, …". */
export function tally(runs: string[]): string {
  const counts = new Map<string, number>();
  for (const run of runs) counts.set(commandOf(run), (counts.get(commandOf(run)) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .map(([command, n]) => `${command} ×${n}`)
    .join(", ");
}
