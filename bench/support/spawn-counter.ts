// Counts every child process this process starts (spawn, exec*, fork), by wrapping node:child_process's exports.
// Only counts: it never changes what a call does, and it is undone by `stop()`.

import childProcess from "node:child_process";
import { syncBuiltinESMExports } from "node:module";

const WRAPPED = [
  "spawn",
  "spawnSync",
  "exec",
  "execSync",
  "execFile",
  "execFileSync",
  "fork",
] as const;

export interface SpawnCounter {
  /** Child processes started since the counter was made. */
  readonly count: number;
  /** When each was started (performance.now()) and what: the command and its arguments. */
  readonly spawns: { at: number; command: string }[];
  stop(): void;
}

/**
 * Starts counting. Modules that imported `spawn` by name (execa does) see the wrapper too, because
 * `syncBuiltinESMExports` updates the named exports; execFile and friends call node's internal spawn, so
 * a call is counted once.
 */
export function countSpawns(): SpawnCounter {
  const module = childProcess as unknown as Record<string, (...args: unknown[]) => unknown>;
  const originals = new Map(WRAPPED.map((name) => [name, module[name]]));
  const spawns: { at: number; command: string }[] = [];
  for (const [name, original] of originals) {
    module[name] = function counted(this: unknown, ...args: unknown[]) {
      spawns.push({ at: performance.now(), command: describe(args) });
      return original?.apply(this, args);
    };
  }
  syncBuiltinESMExports();
  return {
    get count() {
      return spawns.length;
    },
    spawns,
    stop() {
      for (const [name, original] of originals) if (original) module[name] = original;
      syncBuiltinESMExports();
    },
  };
}

/** "openclaw devices list --json" from (file, args) or (command line). */
function describe(args: unknown[]): string {
  const [file, rest] = args;
  const words = Array.isArray(rest) ? rest.map(String) : [];
  return [String(file).split("/").at(-1), ...words].join(" ");
}
