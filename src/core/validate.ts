// Checks every value a person types, and says what is wrong and what a right one looks like.
// Pure; a problem is data (a message key and its parameters), never an exception, and never echoes a token.

import { isIP } from "node:net";
import type { MessageKey } from "./i18n/index.ts";
import type { GatewayEndpoint } from "./types.ts";

export const DEFAULT_PORT = 18789;
export const MAX_TOKEN_LENGTH = 512;
export const MAX_DISPLAY_NAME_LENGTH = 64;
export const MAX_REASON_LENGTH = 300;

export interface Problem {
  field: "host" | "port" | "fingerprint" | "token" | "displayName" | "reason" | "commands";
  key: MessageKey;
  params?: Record<string, string>;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; problem: Problem };

const ok = <T>(value: T): Checked<T> => ({ ok: true, value });
const fail = (
  field: Problem["field"],
  key: MessageKey,
  params?: Record<string, string>,
): Checked<never> => ({
  ok: false,
  problem: params ? { field, key, params } : { field, key },
});

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/i;

/**
 * Control (Cc), format (Cf: direction overrides and isolates, zero-width spaces and joiners, the soft hyphen, the
 * Arabic letter mark) and lone surrogate (Cs) characters: invisible, or shown differently from what they are, they
 * make `build-1` and `build-1` + U+200B two names and a token that is not the one on screen.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Cs}]/u;
/** A zero-width joiner between two pictographs draws one emoji (🧑‍💻): a picture, no look-alike of a letter. */
const EMOJI_JOINER =
  /(?<=\p{Extended_Pictographic}[\u{FE0F}\u{1F3FB}-\u{1F3FF}]?)\u200D(?=\p{Extended_Pictographic})/gu;

/** "U+202E": how the problem names a character a person cannot see. */
export function codePointOf(character: string): string {
  const code = character.codePointAt(0) ?? 0;
  return `U+${code.toString(16).toUpperCase().padStart(4, "0")}`;
}

/** Characters that reorder the text around them (overrides, embeddings, isolates, marks). */
const DIRECTION_MARKS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/**
 * `text` with each direction mark shown as its code point ("[U+202E]"): a person's name from Discord or Telegram
 * (which the bot does not validate) cannot turn the rest of a line around, so an approval reads as it is.
 */
export function showDirectionMarks(text: string): string {
  return text.replace(DIRECTION_MARKS, (mark) => `[${codePointOf(mark)}]`);
}

/** Whether `text` holds a control or format character (a joiner inside an emoji aside). */
export function hasInvisible(text: string): boolean {
  return INVISIBLE.test(text.replace(EMOJI_JOINER, ""));
}

function invisibleIn(field: Problem["field"], text: string): Checked<never> | undefined {
  const found = INVISIBLE.exec(text);
  return found
    ? fail(field, "validate.invisible", { codePoint: codePointOf(found[0]) })
    : undefined;
}

/** A hostname (RFC 1123), an IPv4 or an IPv6 address (brackets allowed around IPv6). */
export function checkHost(raw: string): Checked<string> {
  const text = raw.trim();
  if (text === "") return fail("host", "validate.host.empty");
  const invisible = invisibleIn("host", text);
  if (invisible) return invisible;
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(text);
  if (scheme) return fail("host", "validate.host.scheme", { scheme: `${scheme[1]}://` });
  const unbracketed = text.startsWith("[") && text.endsWith("]") ? text.slice(1, -1) : text;
  if (isIP(unbracketed) === 6) return ok(unbracketed.toLowerCase());
  if (/[/?#]/.test(text))
    return fail("host", "validate.host.path", { host: text.split(/[/?#]/)[0] ?? "" });
  const withPort = /^(.+):(\d+)$/.exec(text);
  if (withPort)
    return fail("host", "validate.host.port", { host: withPort[1] ?? "", port: withPort[2] ?? "" });
  if (isIP(text) === 4) return ok(text);
  if (/^[\d.]+$/.test(text)) return fail("host", "validate.host.badIpv4", { host: text });
  const name = text.endsWith(".") ? text.slice(0, -1) : text;
  if (name.length > 253) return fail("host", "validate.host.tooLong");
  const bad = [...new Set(name.replace(/[a-z0-9.-]/gi, ""))].join("");
  if (bad) return fail("host", "validate.host.characters", { characters: bad });
  if (!name.split(".").every((label) => LABEL.test(label)))
    return fail("host", "validate.host.label", { host: name });
  return ok(name.toLowerCase());
}

/** An integer 1–65535; empty means the gateway's default port. */
export function checkPort(raw: string): Checked<number> {
  const text = raw.trim();
  if (text === "") return ok(DEFAULT_PORT);
  if (!/^\d{1,5}$/.test(text))
    return fail("port", "validate.port.notNumber", { port: text.slice(0, 20) });
  const port = Number(text);
  if (port < 1 || port > 65535) return fail("port", "validate.port.range", { port: text });
  return ok(port);
}

/**
 * What people paste for a SHA-256 fingerprint: openssl's `SHA256 Fingerprint=85:54:…`, a `sha256:` prefix, colons,
 * spaces, upper case. Returns the canonical form: 64 lowercase hex digits, no separators.
 */
export function checkFingerprint(raw: string): Checked<string> {
  let text = raw.trim();
  const invisible = invisibleIn("fingerprint", text);
  if (invisible) return invisible;
  const labelled = /^(?:sha-?256\s*fingerprint\s*=|sha-?256\s*[:=])\s*/i.exec(text);
  if (labelled) text = text.slice(labelled[0].length);
  const digits = text.replace(/[\s:]/g, "");
  if (digits === "") return fail("fingerprint", "validate.fingerprint.empty");
  const bad = [...new Set(digits.replace(/[0-9a-f]/gi, ""))].join("");
  if (bad)
    return fail("fingerprint", "validate.fingerprint.characters", { characters: bad.slice(0, 20) });
  if (digits.length !== 64)
    return fail("fingerprint", "validate.fingerprint.length", { length: String(digits.length) });
  return ok(digits.toLowerCase());
}

/** The gateway token: not empty, no whitespace or control characters, at most 512 characters. */
export function checkToken(raw: string): Checked<string> {
  if (raw.trim() === "") return fail("token", "validate.token.empty");
  // Surrounding whitespace is a copy-paste accident; inside the token it is an error.
  const token = raw.trim();
  if (token.length > MAX_TOKEN_LENGTH)
    return fail("token", "validate.token.tooLong", { max: String(MAX_TOKEN_LENGTH) });
  // Names the character (U+200B), never the token around it.
  const invisible = invisibleIn("token", token);
  if (invisible) return invisible;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused
  if (/[\s\u0000-\u001f\u007f-\u009f]/.test(token))
    return fail("token", "validate.token.characters");
  return ok(token);
}

/**
 * Characters a Windows node operator's shell would change or run. PowerShell 5.1 (and 7 for `.cmd` files) passes
 * `--display-name=…` to the `openclaw.cmd`/`openclaw.ps1` shim with legacy quoting: quotes around an argument with a
 * space, an inner `"` not escaped, so the program splits it; `cmd.exe` then reads `& | < > ^` outside quotes as
 * commands and `%…%`, `!…!` as variables, inside quotes too. test/core/windows-arguments.test.ts models those rules.
 */
const WINDOWS_UNSAFE = /["&|<>^%!]/g;
const STRAY_COMMANDS_FLAG = /(?:^|\s)(?:--|[\u2013\u2014])commands(?![A-Za-z0-9])/i;

/**
 * 1–64 visible characters on one line, in NFC; surrounding spaces are dropped. No control or format character
 * (named by code point when refused), none of `" & | < > ^ % !`, and no `\` at the end (before the closing quote
 * PowerShell adds, it would escape it): every name accepted works in every script the bot writes.
 */
export function checkDisplayName(raw: string): Checked<string> {
  const name = raw.trim().normalize("NFC");
  if (name === "") return fail("displayName", "validate.displayName.empty");
  // A `--commands` that splitNameAndReason could not read as a list (a space after a comma, "—" from a phone's
  // keyboard, two flags): taken as part of the name, the node would be asked for with no list at all.
  if (STRAY_COMMANDS_FLAG.test(name))
    return fail("displayName", "validate.displayName.commandsFlag");
  const invisible = invisibleIn("displayName", name.replace(EMOJI_JOINER, ""));
  if (invisible) return invisible;
  if (/[\u2028\u2029]/.test(name)) return fail("displayName", "validate.displayName.control");
  if ([...name].length > MAX_DISPLAY_NAME_LENGTH)
    return fail("displayName", "validate.displayName.tooLong", {
      max: String(MAX_DISPLAY_NAME_LENGTH),
    });
  if (!carriesOnWindows(name)) {
    const unsafe = [...new Set(name.match(WINDOWS_UNSAFE))];
    return unsafe.length > 0
      ? fail("displayName", "validate.displayName.windows", { characters: unsafe.join(" ") })
      : fail("displayName", "validate.displayName.backslash");
  }
  return ok(name);
}

/**
 * Why the requester wants the node, as every approver will read it: one paragraph, no invisible characters, at most
 * MAX_REASON_LENGTH characters. Empty is no reason (undefined); whether one is required is the caller's to say.
 */
export function checkReason(raw: string | undefined): Checked<string | undefined> {
  // Lines joined by splitting, not by a `\s*…\s*` pattern: that one rescans a run of spaces from each of its
  // positions, and a long paste would hold the bot for seconds.
  const reason = (raw ?? "")
    .normalize("NFC")
    .split(/[\r\n\u2028\u2029]/)
    .map((line) => line.trim())
    .filter((line) => line !== "")
    .join(" ");
  if (reason === "") return ok(undefined);
  const invisible = invisibleIn("reason", reason.replace(EMOJI_JOINER, ""));
  if (invisible) return invisible;
  if ([...reason].length > MAX_REASON_LENGTH)
    return fail("reason", "validate.reason.tooLong", { max: String(MAX_REASON_LENGTH) });
  return ok(reason);
}

/**
 * `/connect-node` typed as text (Telegram, the console): the display name, then the reason after " -- " or on the
 * next lines. Names may hold spaces ("build server 1"), so a space alone cannot end the name. The name may end with
 * `--commands <ids>` (or `--commands=<ids>`): the node commands the requester asks for, checked by `checkCommands`.
 */
export function splitNameAndReason(text: string): {
  name: string;
  reason?: string;
  commands?: string;
} {
  const line = /\r?\n/.exec(text);
  const dashes = text.indexOf(" -- ");
  const cuts = [line?.index, dashes >= 0 ? dashes : undefined].filter((i) => i !== undefined);
  const at = cuts.length === 0 ? text.length : Math.min(...cuts);
  const rest = text.slice(at).replace(/^\s*(--\s)?/, "");
  const head = text.slice(0, at);
  // A list is one word of ids and commas; searched from the last "--commands" on, so a long line is read once.
  const flag = head.lastIndexOf("--commands");
  const list =
    flag > 0 && /\s/.test(head[flag - 1] ?? "")
      ? /^--commands(?:=|[ \t]+)([^\s]+)[ \t]*$/.exec(head.slice(flag))
      : null;
  const name = list ? head.slice(0, flag).trimEnd() : head;
  return {
    name,
    ...(rest.trim() === "" ? {} : { reason: rest }),
    ...(list?.[1] ? { commands: list[1] } : {}),
  };
}

/** Whether the PowerShell script can pass `name` to openclaw on Windows unchanged (see WINDOWS_UNSAFE). */
export function carriesOnWindows(name: string): boolean {
  return !/["&|<>^%!]/.test(name) && !name.endsWith("\\");
}

/**
 * What two display names are compared on for duplicates: NFKC and case folding (upper then lower case, until it no
 * longer changes), so `build-1`, `BUILD-1` and full-width `ｂｕｉｌｄ－１` are one name.
 */
export function displayNameKey(name: string): string {
  let key = name;
  for (let round = 0; round < 4; round += 1) {
    const next = key.normalize("NFKC").toUpperCase().toLowerCase().normalize("NFKC");
    if (next === key) break;
    key = next;
  }
  return key;
}

export interface CredentialsInput {
  host: string;
  port: string;
  fingerprint: string;
  token: string;
}

/** All four gateway credentials at once; every problem is reported, not just the first. */
export function checkCredentials(
  input: CredentialsInput,
): { endpoint: GatewayEndpoint; token: string } | { problems: Problem[] } {
  const host = checkHost(input.host);
  const port = checkPort(input.port);
  const fingerprint = checkFingerprint(input.fingerprint);
  const token = checkToken(input.token);
  if (host.ok && port.ok && fingerprint.ok && token.ok)
    return {
      endpoint: { host: host.value, port: port.value, fingerprint: fingerprint.value },
      token: token.value,
    };
  return {
    problems: [host, port, fingerprint, token].flatMap((checked) =>
      checked.ok ? [] : [checked.problem],
    ),
  };
}
