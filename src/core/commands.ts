// The scripts a node operator pastes to enrol a node: with a setup link, or with the shared token (the seed's A, B, C).
// Never puts the gateway token on a command line, and never lets a display name or a secret be read as shell syntax.
// Every script checks the machine first (openclaw present, in the gateway's version, Node new enough) and stops with one
// line and the install command; it never closes the terminal it was pasted into (no `exit` outside a subshell).

import { COMMAND_ID } from "./grant.ts";
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
  /** The gateway's OpenClaw version: the script stops unless the node's `openclaw --version` says the same. */
  gatewayVersion?: string;
  /** The only command ids the node may advertise (`--commands`); undefined: everything it has. */
  commands?: readonly string[];
}

/** A setup code minted by the gateway (`device.pair.setupCode`), with or without its `oc-pair://` scheme. */
export interface SetupLinkInput {
  setupCode: Secret;
  displayName: string;
  /** True: `openclaw connect … --service`, a permanent node; false: `node run --pair`, in the foreground. */
  service: boolean;
  /** As in SharedTokenInput. */
  gatewayVersion?: string;
  commands?: readonly string[];
}

/** A script a person pastes as it is; explanations are comments (# in both shells). */
export interface Script {
  shell: Shell;
  text: string;
}

/** Stands in for the gateway token when the script is shown before the token is known. */
export const TOKEN_PLACEHOLDER = "<paste the gateway token here>";

const TOKEN_ENV = "OPENCLAW_GATEWAY_TOKEN";
// A shell variable, not exported: the setup code reaches openclaw's argv, never its environment or the history line.
const SETUP_CODE_VAR = "CLAWSHAKE_SETUP_CODE";
// PSReadLine's default history handler keeps lines that mention a secret (or a token) out of its history file.
const SETUP_CODE_PS_VAR = "$clawshakeSetupSecret";
/** OpenClaw 2026.9.6 refuses older Node ("this OpenClaw release requires Node >=24.16.0"). */
export const MIN_NODE = "24.16";
// `node --version` of 24.16 or newer, as POSIX case patterns and as a PowerShell (.NET) regex.
const NODE_OK_POSIX = [
  "v24.1[6-9].*",
  "v24.[2-9][0-9].*",
  "v24.[1-9][0-9][0-9]*",
  "v2[5-9].*",
  "v[3-9][0-9].*",
  "v[1-9][0-9][0-9]*",
].join(" | ");
const NODE_OK_POWERSHELL =
  "^v(2[5-9]|[3-9][0-9]|[1-9][0-9]{2,}|24\\.(1[6-9]|[2-9][0-9]|[1-9][0-9]{2,}))\\.";
// What a gateway version may look like to be written into a script (OpenClaw's are like 2026.9.6 or 2026.9.6-beta.1).
const VERSION_SHAPE = /^[0-9][0-9A-Za-z.+-]{0,63}$/;
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
  comment(checksComment(input.gatewayVersion, lang));
  comment(t(lang, "commands.fingerprint"));
  if (input.commands) comment(t(lang, "commands.grant.shared"));

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
    ...checkedCommand(
      command,
      shell,
      lang,
      input.gatewayVersion,
      input.token === undefined ? t(lang, "commands.token.guard") : undefined,
    ),
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
    checksComment(input.gatewayVersion, lang),
    ...(input.commands ? [t(lang, "commands.grant.shared")] : []),
    t(lang, "commands.rerun.token"),
    t(lang, "commands.foreground"),
  ].map((text) => `# ${text}`);
  lines.push(
    ...checkedCommand(
      nodeCommand(input, "run", shell),
      shell,
      lang,
      input.gatewayVersion,
      t(lang, "commands.rerun.guard"),
    ),
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
    checksComment(input.gatewayVersion, lang),
    ...(input.commands ? [t(lang, "commands.grant")] : []),
    t(lang, "commands.setupLink.secret"),
    t(lang, input.service ? "commands.service.connect" : "commands.foreground"),
  ].map((text) => `# ${text}`);
  // The code is set on a line of its own and the command names the variable, so the line that shell history keeps for
  // the command holds no code. POSIX: the leading space, as for the token (HISTCONTROL=ignorespace, HIST_IGNORE_SPACE).
  // PowerShell: PSReadLine keeps a line that names a secret out of its history file.
  let variable: string;
  if (shell === "posix") {
    lines.push(`# ${t(lang, "commands.setupLink.history")}`, ` ${SETUP_CODE_VAR}=${quote(link)}`);
    variable = `"$${SETUP_CODE_VAR}"`;
  } else {
    lines.push(`${SETUP_CODE_PS_VAR} = ${quote(link)}`);
    variable = SETUP_CODE_PS_VAR;
  }
  // `node install --pair` is refused by OpenClaw by design; `connect --service` pairs, then installs the service.
  const command = `${
    input.service
      ? `openclaw connect ${variable} --service ${name}`
      : `openclaw node run --pair ${variable} ${name}`
  }${commandsArgument(input.commands, shell)}`;
  lines.push(...checkedCommand(command, shell, lang, input.gatewayVersion));
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
  return (
    [
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
    ].join(" ") + commandsArgument(input.commands, shell)
  );
}

/**
 * ` --commands=<ids>`: the node advertises only these (least privilege), or "" for everything. One word with `=`, as the
 * display name, and each id checked again here: whatever a stored session holds, it can only be a list of ids.
 */
function commandsArgument(commands: readonly string[] | undefined, shell: Shell): string {
  if (commands === undefined) return "";
  if (commands.length === 0 || !commands.every((id) => COMMAND_ID.test(id)))
    throw new Error("a command allowlist holds something that is not a command id");
  const ids = commands.join(",");
  return shell === "posix"
    ? ` --commands=${quotePosix(ids)}`
    : ` ${quotePowerShell(`--commands=${ids}`)}`;
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

/** The gateway version if it can be written into a script as it is; otherwise the scripts check no version. */
function usableVersion(version: string | undefined): string | undefined {
  return version !== undefined && VERSION_SHAPE.test(version) ? version : undefined;
}

/** The comment that says what the script checks before it runs anything. */
function checksComment(gatewayVersion: string | undefined, lang: Lang): string {
  const version = usableVersion(gatewayVersion);
  return version === undefined
    ? t(lang, "commands.check.intro", { node: MIN_NODE })
    : t(lang, "commands.check.introVersion", { node: MIN_NODE, version });
}

/** The one line each failed check prints: what is wrong and the command that fixes it. */
function checkMessages(gatewayVersion: string | undefined, lang: Lang) {
  const version = usableVersion(gatewayVersion);
  const install = `npm install -g openclaw${version === undefined ? "" : `@${version}`}`;
  return {
    missing: t(lang, "commands.check.missing", { install }),
    node: t(lang, "commands.check.node", { node: MIN_NODE }),
    version:
      version === undefined ? undefined : t(lang, "commands.check.version", { version, install }),
    found: version,
  };
}

// A person pasting line by line runs the next line even after a failed one, so the checks and the command must be
// one compound command: the shell reads all of it before running any of it. In POSIX shells the checks run in a
// subshell, whose `exit` ends only the subshell, never the terminal it was pasted into; PowerShell gets one if/elseif
// chain, with `} elseif (…) {` and `} else {` on one line (PowerShell would run a finished `if { }` before reading an
// `else` on the next line). `guard`: the message when the gateway token is not set (or still the placeholder).
function checkedCommand(
  command: string,
  shell: Shell,
  lang: Lang,
  gatewayVersion: string | undefined,
  guard?: string,
): string[] {
  const say = checkMessages(gatewayVersion, lang);
  if (shell === "posix") {
    const fail = (message: string) => `echo ${quotePosix(message)} >&2; exit 1`;
    const token = `"$${TOKEN_ENV}"`;
    return [
      "if (",
      `  command -v openclaw >/dev/null 2>&1 || { ${fail(say.missing)}; }`,
      '  case "$(node --version 2>/dev/null)" in',
      `    ${NODE_OK_POSIX}) ;;`,
      `    *) ${fail(say.node)} ;;`,
      "  esac",
      ...(say.found === undefined || say.version === undefined
        ? []
        : [
            // Padded with spaces, so the version matches as a whole word of `OpenClaw 2026.9.6 (eb377ac)`.
            '  case " $(openclaw --version 2>/dev/null) " in',
            `    *[[:space:]]${quotePosix(say.found)}[[:space:]]*) ;;`,
            `    *) ${fail(say.version)} ;;`,
            "  esac",
          ]),
      ...(guard === undefined
        ? []
        : [
            `  if [ -z ${token} ] || [ ${token} = ${quotePosix(TOKEN_PLACEHOLDER)} ]; then ${fail(guard)}; fi`,
          ]),
      "); then",
      `  ${command}`,
      "else",
      "  false",
      "fi",
    ];
  }
  const fail = (message: string) => `  Write-Error ${quotePowerShell(message)}`;
  const lines = [
    "if (-not (Get-Command openclaw -ErrorAction SilentlyContinue)) {",
    fail(say.missing),
    `} elseif (-not (Get-Command node -ErrorAction SilentlyContinue) -or -not ((node --version) -match ${quotePowerShell(NODE_OK_POWERSHELL)})) {`,
    fail(say.node),
  ];
  if (say.found !== undefined && say.version !== undefined) {
    const pattern = `(^|\\s)${say.found.replace(/[.+]/g, (c) => `\\${c}`)}(\\s|$)`;
    lines.push(
      `} elseif (-not ((openclaw --version) -match ${quotePowerShell(pattern)})) {`,
      fail(say.version),
    );
  }
  if (guard !== undefined) {
    const value = `$env:${TOKEN_ENV}`;
    lines.push(
      `} elseif (-not ${value} -or ${value} -eq ${quotePowerShell(TOKEN_PLACEHOLDER)}) {`,
      fail(guard),
    );
  }
  lines.push("} else {", `  ${command}`, "}");
  return lines;
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
