// Least privilege: which node commands an approval grants, and whether what the gateway granted stays within it.
// Pure. OpenClaw approves a node enrolled by setup link with every command it advertises, so the bot narrows what it
// advertises (`--commands <ids>` in the command it hands out) and checks what the gateway granted once it connected.
// An id list here is a ceiling, never a promise: a node drops ids it does not have (openclaw 2026.9.6,
// `buildNodeHostManifest`), and refuses to start when none is left ("allowlist retained no available commands").

import type { Checked } from "./validate.ts";

/** What an approver grants: everything the node advertises, everything but running programs, or what was asked. */
export type GrantChoice = "all" | "safe" | "asked";
export const GRANT_CHOICES: readonly GrantChoice[] = ["all", "safe", "asked"];

export function isGrantChoice(value: unknown): value is GrantChoice {
  return GRANT_CHOICES.includes(value as GrantChoice);
}

/**
 * Commands that run programs on the node, or decide what may run there (openclaw 2026.9.6, `src/infra/node-commands.ts`):
 * shell commands and their preparation, the exec-approval policy's writer, the Claude CLI runner, MCP tool calls
 * (a local MCP server's tool runs what it likes), and computer use (it clicks and types on the desktop, so it can open
 * a terminal and type any command).
 */
export const PROGRAM_RUNNING: readonly string[] = [
  "agent.cli.claude.run.v1",
  "computer.act",
  "mcp.tools.call.v1",
  "system.execApprovals.set",
  "system.run",
  "system.run.prepare",
];

/**
 * The commands a node host may advertise that run no program (openclaw 2026.9.6: the host's built-ins, its bundled
 * plugins' commands, and the desktop hosts' commands). "All but running programs" hands the node this list: an id
 * OpenClaw adds later is left out until a person grants everything, which errs on the side of less.
 */
export const SAFE_COMMANDS: readonly string[] = [
  "browser.proxy",
  "browser.proxy.upload.v1",
  "camera.list",
  "desktop.stream",
  "device.apps",
  "device.info",
  "device.status",
  "fs.listDir",
  "location.get",
  "ollama.chat",
  "ollama.models",
  "screen.snapshot",
  "system.execApprovals.get",
  "system.notify",
  "system.which",
  "terminal.upload",
];

/** Every command id the bot knows a node host may advertise, for suggestions as a requester types. */
export const KNOWN_COMMANDS: readonly string[] = [...SAFE_COMMANDS, ...PROGRAM_RUNNING].sort();

/**
 * Suggestions for a list being typed ("system.which, fs"): the list with its last id completed from KNOWN_COMMANDS,
 * at most `max`, none over `maxLength` characters (Discord's autocomplete takes 25 of at most 100).
 */
export function completeCommands(typed: string, max = 25, maxLength = 100): string[] {
  const parts = typed.split(",").map((part) => part.trim());
  const last = parts.pop() ?? "";
  const done = parts.filter((part) => part !== "");
  const prefix = done.length ? `${done.join(",")},` : "";
  return KNOWN_COMMANDS.filter((id) => id.startsWith(last) && !done.includes(id))
    .map((id) => `${prefix}${id}`)
    .filter((choice) => choice.length <= maxLength)
    .slice(0, max);
}

/**
 * The choice a press that names none stands for, and the approval message's first button: what the requester asked
 * for, or else the default (`CLAWSHAKE_DEFAULT_COMMANDS`; "all" before choices). The shared token's scripts carry it.
 */
export function firstChoice(s: {
  askedCommands?: string[];
  defaultGrant?: GrantChoice;
}): GrantChoice {
  return s.askedCommands ? "asked" : (s.defaultGrant ?? "all");
}

/**
 * `commands` without those that run programs, sorted and each once; undefined when that leaves none, or removes none
 * (asking for fewer then means nothing).
 */
export function withoutProgramRunning(commands: readonly string[]): string[] | undefined {
  const all = new Set(commands);
  const kept = [...all].filter((id) => !PROGRAM_RUNNING.includes(id)).sort();
  return kept.length > 0 && kept.length < all.size ? kept : undefined;
}

/** What the node may have: `commands` undefined means everything it advertises; otherwise sorted, no duplicates. */
export interface Grant {
  commands?: string[];
}

/** The ids `choice` grants (undefined: all), or undefined for "asked" when nothing was asked. */
export function commandsOf(
  choice: GrantChoice,
  asked: readonly string[] | undefined,
): string[] | undefined {
  if (choice === "safe") return [...SAFE_COMMANDS];
  if (choice === "asked") return asked ? [...asked] : undefined;
  return undefined;
}

/**
 * What several approvers grant together: only what every one of them granted (the intersection). `empty` when that
 * leaves no command at all: the node would refuse to start, so the machine refuses the approval that would do it.
 */
export function combine(
  choices: readonly GrantChoice[],
  asked: readonly string[] | undefined,
): Grant & { empty: boolean } {
  let commands: string[] | undefined;
  for (const choice of choices) {
    const ids = commandsOf(choice, asked);
    if (ids === undefined) continue;
    commands = commands === undefined ? ids : commands.filter((id) => ids.includes(id));
  }
  if (commands === undefined) return { empty: false };
  const sorted = [...new Set(commands)].sort();
  return { commands: sorted, empty: sorted.length === 0 };
}

/** Whether `grant` is exactly "everything but running programs" (the card names it so instead of listing it). */
export function isSafeGrant(grant: Grant | undefined): boolean {
  const ids = grant?.commands;
  return (
    ids !== undefined &&
    ids.length === SAFE_COMMANDS.length &&
    ids.every((id) => SAFE_COMMANDS.includes(id))
  );
}

/** The commands `actual` holds beyond `grant` (none when everything was granted), sorted. */
export function beyond(grant: Grant | undefined, actual: readonly string[]): string[] {
  const allowed = grant?.commands;
  if (allowed === undefined) return [];
  return [...new Set(actual.filter((id) => !allowed.includes(id)))].sort();
}

/** Which of `commands` run programs (PROGRAM_RUNNING), in their order. */
export function programRunning(commands: readonly string[]): string[] {
  return commands.filter((id) => PROGRAM_RUNNING.includes(id));
}

/** At most this many ids in a requester's list; OpenClaw's own surfaces hold a dozen or two. */
export const MAX_ASKED_COMMANDS = 32;
/** An OpenClaw command id: dotted lowercase words with digits (`system.which`, `browser.proxy.upload.v1`). */
export const COMMAND_ID = /^[a-z][A-Za-z0-9]*(?:[._-][A-Za-z0-9]+)*$/;
const MAX_ID_LENGTH = 64;

/**
 * The commands a requester asks for, typed as "system.which, fs.listDir" (commas or spaces): each an OpenClaw command
 * id, at most MAX_ASKED_COMMANDS, sorted and without repeats. Empty is no list (undefined). Nothing here is shell
 * syntax, so the list goes into a command line as it is.
 */
export function checkCommands(raw: string | undefined): Checked<string[] | undefined> {
  const ids = (raw ?? "").split(/[\s,]+/).filter((id) => id !== "");
  if (ids.length === 0) return { ok: true, value: undefined };
  const bad = ids.find((id) => id.length > MAX_ID_LENGTH || !COMMAND_ID.test(id));
  if (bad !== undefined)
    return {
      ok: false,
      problem: {
        field: "commands",
        key: "validate.commands.invalid",
        // Shown back to the requester only; cut so a paste cannot fill the answer.
        params: { id: [...bad].slice(0, MAX_ID_LENGTH).join("") },
      },
    };
  const unique = [...new Set(ids)].sort();
  if (unique.length > MAX_ASKED_COMMANDS)
    return {
      ok: false,
      problem: {
        field: "commands",
        key: "validate.commands.tooMany",
        params: { max: String(MAX_ASKED_COMMANDS) },
      },
    };
  return { ok: true, value: unique };
}
