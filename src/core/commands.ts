// The scripts a node operator pastes to enrol a node: with a setup link, or with the shared token (the seed's A, B, C).
// Never puts the gateway token on a command line, and never lets a display name or a secret be read as shell syntax.

import { type MessageKey, t } from "./i18n/index.ts";
import type { Secret } from "./secret.ts";
import type { Lang } from "./types.ts";
import { carriesOnWindows, hasInvisible } from "./validate.ts";

export type Shell = "posix" | "powershell";
/** A: `node run` in the foreground; B: `node install`, a user service; C: `~/.openclaw/node.json`, older OpenClaw only. */
export type Method = "run" | "install" | "legacy-config";

/** What a node needs to reach the gateway with the shared token. `fingerprint` is canonical: 64 lowercase hex. */
export interface SharedTokenInput {
  host: string;
  port: number;
  fingerprint: string;
  displayName: string;
  /** Undefined: the script carries TOKEN_PLACEHOLDER and refuses to start the node until it is replaced. */
  token?: Secret;
}

/** A setup code minted by the gateway (`device.pair.setupCode`), with or without its `oc-pair://` scheme. */
export interface SetupLinkInput {
  setupCode: Secret;
  displayName: string;
  /** True: `openclaw connect … --service`, a permanent node; false: `node run --pair`, in the foreground. */
  service: boolean;
}

/** A script a person pastes as it is; explanations are comments (# in both shells). */
export interface Script {
  shell: Shell;
  text: string;
}

/** Stands in for the gateway token when the script is shown before the token is known. */
export const TOKEN_PLACEHOLDER = "<paste the gateway token here>";

const TOKEN_ENV = "OPENCLAW_GATEWAY_TOKEN";
const HEADER = {
  run: "commands.header.run",
  install: "commands.header.service",
  "legacy-config": "commands.header.legacy",
} as const satisfies Record<Method, MessageKey>;
const PAIR_SCHEME = "oc-pair://";
// Pretty JSON lines start with a space or a bracket, so this line can never occur inside node.json.
const HEREDOC_DELIMITER = "CLAWSHAKE_NODE_JSON";
// PowerShell closes a single-quoted string on any of these, not only on the ASCII apostrophe.
const POWERSHELL_SINGLE_QUOTES = /['\u2018\u2019\u201a\u201b]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused
const LINE_BREAKING = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** `value` as one POSIX shell word, taken literally by sh, dash, bash and zsh: single quotes, `'` as `'\''`. */
export function quotePosix(value: string): string {
  refuseNul(value);
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/**
 * `value` as one PowerShell single-quoted string: nothing inside is expanded, and every quote PowerShell reads as a
 * single quote (' and U+2018 U+2019 U+201A U+201B) is doubled, which its tokenizer reads back as that same character.
 */
export function quotePowerShell(value: string): string {
  refuseNul(value);
  return `'${value.replace(POWERSHELL_SINGLE_QUOTES, (quote) => quote + quote)}'`;
}

/** The seed's `~/.openclaw/node.json` (method C), pretty-printed. Current OpenClaw refuses this file. */
export function legacyNodeJson(input: Omit<SharedTokenInput, "token">): string {
  const node = {
    version: 1,
    displayName: input.displayName,
    gateway: { host: input.host, port: input.port, tls: true, tlsFingerprint: input.fingerprint },
  };
  return JSON.stringify(node, null, 2);
}

/** The shared-token script: the token through `OPENCLAW_GATEWAY_TOKEN` only, then `openclaw node run|install`. */
export function sharedTokenScript(
  input: SharedTokenInput,
  method: Method,
  shell: Shell,
  lang: Lang,
): Script {
  checkEndpoint(input);
  checkDisplayName(input.displayName);
  const unwritable = cannotWrite(input.displayName, shell, method === "legacy-config");
  if (unwritable) return noCommand(shell, unwritable, lang);
  const quote = quoter(shell);
  const lines: string[] = [];
  const comment = (text: string) => lines.push(`# ${text}`);

  if (method === "legacy-config") comment(t(lang, "commands.legacy.warning"));
  comment(t(lang, HEADER[method], { name: quote(input.displayName) }));
  comment(t(lang, `commands.shell.${shell}`));
  comment(t(lang, "commands.fingerprint"));

  let command: string;
  if (method === "legacy-config") {
    comment(t(lang, "commands.legacy.file"));
    lines.push(...writeLegacyNodeJson(legacyNodeJson(input), shell));
    command = "openclaw node run";
  } else {
    command = nodeCommand(input, method, shell);
  }

  comment(t(lang, "commands.token.env"));
  if (input.token === undefined) comment(t(lang, "commands.token.replace"));
  const token = quote(input.token === undefined ? TOKEN_PLACEHOLDER : input.token.reveal());
  if (shell === "posix") {
    comment(t(lang, "commands.token.history"));
    // The leading space: bash with HISTCONTROL=ignorespace (Debian's default) and zsh with HIST_IGNORE_SPACE skip it.
    lines.push(` export ${TOKEN_ENV}=${token}`);
  } else {
    lines.push(`$env:${TOKEN_ENV} = ${token}`);
  }

  if (method === "install") {
    comment(t(lang, "commands.service.install"));
    comment(t(lang, "commands.service.restart"));
  } else {
    comment(t(lang, "commands.foreground"));
    // The real node stays paused after the device is approved; it must be started again (OPENCLAW-FACTS.md).
    comment(t(lang, "commands.pairing.rerun"));
  }

  lines.push(
    ...(input.token === undefined
      ? guardPlaceholder(command, shell, t(lang, "commands.token.guard"))
      : [command]),
  );
  return { shell, text: `${lines.join("\n")}\n` };
}

/**
 * The same `openclaw node run` again, for the terminal where the shared-token script ran: the token is still set
 * there, so it is not sent again. A terminal without it is stopped with a hint instead of starting a node that fails.
 */
export function rerunScript(
  input: Omit<SharedTokenInput, "token">,
  shell: Shell,
  lang: Lang,
): Script {
  checkEndpoint(input);
  checkDisplayName(input.displayName);
  const unwritable = cannotWrite(input.displayName, shell, false);
  if (unwritable) return noCommand(shell, unwritable, lang);
  const lines = [
    t(lang, "commands.header.rerun", { name: quoter(shell)(input.displayName) }),
    t(lang, `commands.shell.${shell}`),
    t(lang, "commands.rerun.token"),
    t(lang, "commands.foreground"),
  ].map((text) => `# ${text}`);
  lines.push(
    ...guardPlaceholder(nodeCommand(input, "run", shell), shell, t(lang, "commands.rerun.guard")),
  );
  return { shell, text: `${lines.join("\n")}\n` };
}

/** The setup-link script: `node run --pair` in the foreground, or `connect … --service`. It carries no token. */
export function setupLinkScript(input: SetupLinkInput, shell: Shell, lang: Lang): Script {
  checkDisplayName(input.displayName);
  const unwritable = cannotWrite(input.displayName, shell, false);
  if (unwritable) return noCommand(shell, unwritable, lang);
  const quote = quoter(shell);
  const code = input.setupCode.reveal();
  const link = code.toLowerCase().startsWith(PAIR_SCHEME) ? code : `${PAIR_SCHEME}${code}`;
  const name = displayNameArgument(input.displayName, shell);
  const lines = [
    t(lang, input.service ? "commands.header.service" : "commands.header.run", {
      name: quote(input.displayName),
    }),
    t(lang, `commands.shell.${shell}`),
    t(lang, "commands.setupLink.secret"),
    t(lang, input.service ? "commands.service.connect" : "commands.foreground"),
  ].map((text) => `# ${text}`);
  // `node install --pair` is refused by OpenClaw by design; `connect --service` pairs, then installs the service.
  lines.push(
    input.service
      ? `openclaw connect ${quote(link)} --service ${name}`
      : `openclaw node run --pair ${quote(link)} ${name}`,
  );
  return { shell, text: `${lines.join("\n")}\n` };
}

/**
 * Why no script can be written for `displayName` in `shell`, if so. validate.ts refuses such names now; a session
 * stored before can still hold one. An invisible character would make the command read as another than it runs;
 * Windows would pass some characters to openclaw changed, or run what follows them (`inFile`: the name only goes into
 * node.json, never on a command line).
 */
function cannotWrite(displayName: string, shell: Shell, inFile: boolean): MessageKey | undefined {
  if (hasInvisible(displayName)) return "commands.invisibleName";
  if (shell === "powershell" && !inFile && !carriesOnWindows(displayName))
    return "commands.powershell.cannotCarry";
  return undefined;
}

/** A script that runs nothing: one comment that says why. */
function noCommand(shell: Shell, why: MessageKey, lang: Lang): Script {
  return { shell, text: `# ${t(lang, why)}\n` };
}

/** `openclaw node run|install` with the endpoint, the certificate pin and the name; never the token. */
function nodeCommand(
  input: Omit<SharedTokenInput, "token">,
  method: "run" | "install",
  shell: Shell,
): string {
  const quote = quoter(shell);
  return [
    "openclaw",
    "node",
    method,
    "--host",
    quote(input.host),
    "--port",
    String(input.port),
    "--tls",
    "--tls-fingerprint",
    quote(input.fingerprint),
    displayNameArgument(input.displayName, shell),
  ].join(" ");
}

function quoter(shell: Shell): (value: string) => string {
  return shell === "posix" ? quotePosix : quotePowerShell;
}

// `--display-name=VALUE` as one word, never `--display-name VALUE`: OpenClaw scans every argument for its root
// options (`--dev`, `--profile`, `--log-level`, `--container`) before commander parses them, so a separate value
// "--dev" is taken as the root flag (measured on openclaw 2026.9.6: "option '--display-name <name>' argument missing").
// Commander 15 reads `--long=value` as that option's value, whatever the value starts with.
function displayNameArgument(displayName: string, shell: Shell): string {
  return shell === "posix"
    ? `--display-name=${quotePosix(displayName)}`
    : quotePowerShell(`--display-name=${displayName}`);
}

// A person pasting line by line runs the next line even after a failed one, so the check and the command must be
// one compound command: the shell reads all of it before running any of it.
function guardPlaceholder(command: string, shell: Shell, message: string): string[] {
  if (shell === "posix") {
    const value = `"$${TOKEN_ENV}"`;
    return [
      `if [ -z ${value} ] || [ ${value} = ${quotePosix(TOKEN_PLACEHOLDER)} ]; then`,
      `  echo ${quotePosix(message)} >&2`,
      "  false",
      "else",
      `  ${command}`,
      "fi",
    ];
  }
  // `} else {` on one line: PowerShell would run a finished `if { }` before reading an `else` on the next line.
  const value = `$env:${TOKEN_ENV}`;
  return [
    `if (-not ${value} -or ${value} -eq ${quotePowerShell(TOKEN_PLACEHOLDER)}) {`,
    `  Write-Error ${quotePowerShell(message)}`,
    "} else {",
    `  ${command}`,
    "}",
  ];
}

function writeLegacyNodeJson(json: string, shell: Shell): string[] {
  const jsonLines = json.split("\n");
  if (shell === "posix") {
    if (jsonLines.includes(HEREDOC_DELIMITER))
      throw new Error("node.json contains the heredoc delimiter");
    // A quoted delimiter: the shell expands nothing inside, so the JSON is written byte for byte.
    return [
      `mkdir -p ~/.openclaw && cat > ~/.openclaw/node.json <<'${HEREDOC_DELIMITER}'`,
      ...jsonLines,
      HEREDOC_DELIMITER,
    ];
  }
  if (jsonLines.some((line) => /^['\u2018\u2019\u201a\u201b]@/.test(line))) {
    throw new Error("node.json contains a line that would close the here-string");
  }
  // WriteAllText writes UTF-8 without a byte order mark in both PowerShell 7 and Windows PowerShell 5.1, whose
  // `Set-Content -Encoding utf8` would add one.
  return [
    "$nodeJson = @'",
    ...jsonLines,
    "'@",
    "New-Item -ItemType Directory -Force -Path (Join-Path $HOME '.openclaw') | Out-Null",
    "[System.IO.File]::WriteAllText((Join-Path $HOME '.openclaw/node.json'), $nodeJson)",
  ];
}

// The callers pass validated values (validate.ts); these checks catch a programming error before it becomes a
// script that misleads a person. Their messages never include a value.
function checkEndpoint(input: Omit<SharedTokenInput, "token">): void {
  if (!/^[0-9a-f]{64}$/.test(input.fingerprint))
    throw new Error("fingerprint must be 64 lowercase hex digits");
  if (!Number.isInteger(input.port) || input.port < 1 || input.port > 65535)
    throw new Error("port must be 1-65535");
  if (input.host === "" || input.host.startsWith("-"))
    throw new Error("host must not be empty or start with '-'");
  refuseLineBreaks(input.host, "host");
}

function checkDisplayName(displayName: string): void {
  if (displayName === "") throw new Error("displayName must not be empty");
  refuseLineBreaks(displayName, "displayName");
}

function refuseLineBreaks(value: string, field: string): void {
  if (LINE_BREAKING.test(value))
    throw new Error(`${field} must not contain control characters or line breaks`);
}

function refuseNul(value: string): void {
  if (value.includes("\0")) throw new Error("a shell argument cannot contain a NUL character");
}
