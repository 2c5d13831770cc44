// Reads what a node operator pasted from `openclaw node run` and names what went wrong, with advice.
// Pure and total: never throws, never does I/O, runs in linear time, and never echoes a token or setup code.

import { t } from "./i18n/index.ts";
import { logTail, type NodeLog } from "./log-tail.ts";
import { REDACTED } from "./secret.ts";
import type { Lang } from "./types.ts";

export type DiagnosisCode =
  | "CONNECTED"
  | "FINGERPRINT_MISMATCH"
  | "FINGERPRINT_INVALID"
  | "TOKEN_MISMATCH"
  | "TOKEN_MISSING"
  | "CONNECTION_REFUSED"
  | "HOST_NOT_FOUND"
  | "TLS_EXPECTED"
  | "PAIRING_REQUIRED"
  | "CAPABILITY_APPROVAL_PENDING"
  | "SETUP_CODE_INVALID"
  | "NODE_STATE_RETIRED"
  | "DEVICE_IDENTITY_CHANGED"
  | "PROXY_REJECTED"
  | "DEVICE_TOKEN_MISMATCH"
  | "DEVICE_REMOVED"
  | "COMMANDS_UNAVAILABLE"
  | "UNKNOWN";

/** Every code `diagnose` can return, UNKNOWN last. */
export const DIAGNOSIS_CODES: readonly DiagnosisCode[] = [
  "CONNECTED",
  "FINGERPRINT_MISMATCH",
  "FINGERPRINT_INVALID",
  "TOKEN_MISMATCH",
  "TOKEN_MISSING",
  "CONNECTION_REFUSED",
  "HOST_NOT_FOUND",
  "TLS_EXPECTED",
  "PAIRING_REQUIRED",
  "CAPABILITY_APPROVAL_PENDING",
  "SETUP_CODE_INVALID",
  "NODE_STATE_RETIRED",
  "DEVICE_IDENTITY_CHANGED",
  "PROXY_REJECTED",
  "DEVICE_TOKEN_MISMATCH",
  "DEVICE_REMOVED",
  "COMMANDS_UNAVAILABLE",
  "UNKNOWN",
];

/** One recognised line of the log: what it means and the line itself, as evidence. */
export interface Finding {
  code: DiagnosisCode;
  /** The line, trimmed, without terminal colours, cut to 500 characters. */
  line: string;
  /** 1-based, in the part of the log that was read; CRLF, LF and a lone CR each end a line. */
  lineNumber: number;
  /** The pairing request or capability approval this line names, when it names one. */
  requestId?: string;
}

/**
 * What a pasted node log says. `code` is the node's latest state (the last finding), so a log that
 * shows a mismatch and then a successful connection diagnoses as CONNECTED.
 */
export interface Diagnosis {
  code: DiagnosisCode;
  requestId?: string;
  /** The last recognised lines, oldest first. */
  findings: Finding[];
  /** The log was longer than MAX_LOG_BYTES: only its end was read. */
  truncated?: true;
}

// A line is examined only this far: the node's messages are short, and the cap bounds what one line can cost.
const MAX_EXAMINED = 4096;
const MAX_EVIDENCE = 500;
// The last this many recognised lines are kept as findings: a log that repeats one failure for megabytes would
// otherwise cost a finding (and its evidence) per line, and only the latest state and what came shortly before it
// help the person reading the diagnosis.
const MAX_FINDINGS = 100;
// The log is read backward this many characters (whole lines) at a time, until MAX_FINDINGS are found.
const CHUNK = 64 * 1024;

// Most specific first: one line yields one finding, and some lines carry two phrases (the pairing
// close reason says both "pairing required" and PAIRING_REQUIRED; an identity change says
// "pairing required" too; AUTH_DEVICE_TOKEN_MISMATCH must not read as a shared-token mismatch).
// Needles are lower case: a needle matches a line whose lower-cased text contains it, with any run of spaces, tabs or
// no-break spaces where the needle has a space.
const RULES: readonly { code: DiagnosisCode; needles: readonly string[] }[] = [
  { code: "FINGERPRINT_INVALID", needles: ["invalid tls fingerprint; expected a sha-256"] },
  { code: "FINGERPRINT_MISMATCH", needles: ["gateway tls fingerprint mismatch"] },
  { code: "NODE_STATE_RETIRED", needles: ["retired node-host state remains at"] },
  // The gateway's close reason when an operator removed the device (measured: `devices remove`, `nodes remove`).
  { code: "DEVICE_REMOVED", needles: ["closed (4001): device removed"] },
  // `--commands` named only ids this node does not have: it refuses to start (openclaw 2026.9.6, node-host manifest).
  { code: "COMMANDS_UNAVAILABLE", needles: ["allowlist retained no available commands"] },
  {
    code: "SETUP_CODE_INVALID",
    needles: [
      "setup code invalid, expired, revoked, or already used",
      "auth_bootstrap_token_invalid",
    ],
  },
  {
    code: "DEVICE_TOKEN_MISMATCH",
    needles: ["auth_device_token_mismatch", "device token mismatch"],
  },
  { code: "TOKEN_MISMATCH", needles: ["gateway token mismatch", "auth_token_mismatch"] },
  { code: "TOKEN_MISSING", needles: ["gateway token missing", "auth_token_missing"] },
  {
    code: "DEVICE_IDENTITY_CHANGED",
    // The second phrase is how current OpenClaw words the same "metadata-upgrade" request.
    needles: [
      "device identity changed and must be re-approved",
      "device metadata change pending approval",
    ],
  },
  {
    code: "CAPABILITY_APPROVAL_PENDING",
    needles: ["node capability surface is awaiting operator approval"],
  },
  {
    code: "PAIRING_REQUIRED",
    needles: [
      "device pairing required",
      "pairing required: device is not approved yet",
      "pairing_required",
    ],
  },
  { code: "PROXY_REJECTED", needles: ["unexpected server response: 400"] },
  // Only the node's own connect failure: a hang-up elsewhere (e.g. an update check) says nothing about TLS.
  { code: "TLS_EXPECTED", needles: ["gateway connect failed: socket hang up"] },
  { code: "HOST_NOT_FOUND", needles: ["getaddrinfo enotfound", "getaddrinfo eai_again"] },
  { code: "CONNECTION_REFUSED", needles: ["econnrefused", "connection refused"] },
  { code: "CONNECTED", needles: ["node host gateway connected:"] },
];

const BLANKS = "[ \\t\\u00a0]+";

/** One character of a needle as a pattern: regex syntax escaped, a space any run of blanks. */
function charPattern(char: string): string {
  return char === " " ? BLANKS : char.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&");
}

/**
 * The needles as one alternation with shared prefixes factored out ("gateway (?:tls …|token …|connect …)"): the
 * regex engine then tries each position of the log once per distinct prefix, not once per needle, which halves the
 * scan of a log full of near misses.
 */
function alternation(needles: readonly string[]): string {
  const branches = new Map<string, string[]>();
  let whole = false;
  for (const needle of needles) {
    if (needle === "") whole = true;
    else {
      const first = needle.slice(0, 1);
      branches.set(first, [...(branches.get(first) ?? []), needle.slice(1)]);
    }
  }
  const parts = [...branches].map(([first, rests]) => charPattern(first) + alternation(rests));
  if (parts.length === 0) return "";
  const body = parts.length === 1 ? (parts[0] as string) : `(?:${parts.join("|")})`;
  // A needle that ends where a longer one goes on: the longer one, or nothing more.
  return whole ? `(?:${body})?` : body;
}

// One pattern per rule, to decide a line; and all needles in one, to find the lines worth deciding in one native scan
// of the whole log. Alternations of literals with no nested quantifiers: linear in the text.
const RULE_PATTERNS = RULES.map((rule) => ({
  code: rule.code,
  pattern: new RegExp(alternation(rule.needles)),
}));
const ANY_NEEDLE = new RegExp(alternation(RULES.flatMap((r) => r.needles)), "g");

const UUID = "([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})";
const PAIRING_ID = new RegExp(`requestid:[ \\t\\u00a0]*${UUID}`);
const CAPABILITY_ID = new RegExp(
  `openclaw[ \\t\\u00a0]+nodes[ \\t\\u00a0]+approve[ \\t\\u00a0]+${UUID}`,
);
const REQUEST_ID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// Terminal escapes, in one pass over the whole log: OSC (ESC ] … BEL or ESC \), CSI (ESC [ or the 8-bit 0x9B), then
// any other two-byte escape. None crosses a line end; no nested quantifiers; an unterminated OSC stops at the next ESC
// or line end.
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
const ANSI = /\x1b\][^\x07\x1b\n\r]*(?:\x07|\x1b\\)|(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]|\x1b[ -~]?/g;
// Control characters other than tab and the line ends; tabs become spaces in the evidence.
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]+/g;
// A paste may include the command that was run; its secrets must not survive into the evidence.
const SECRET_ARG =
  /(oc-pair:\/\/|OPENCLAW_GATEWAY_TOKEN=|OPENCLAW_GATEWAY_PASSWORD=|--token[= ])[^\s"'`]+/gi;

/**
 * Names the node's latest state in a pasted log, with one finding per recognised line (the last MAX_FINDINGS). A log
 * longer than MAX_LOG_BYTES is read from its end (`truncated`). Linear in the log's length, with one native scan
 * for the lines worth reading: the largest log takes tens of milliseconds at worst (`npm run bench`:
 * diagnose_max_log_ms).
 */
export function diagnose(log: string | NodeLog): Diagnosis {
  const given = typeof log === "string" ? { text: log, truncated: false } : log;
  const tail = logTail(typeof given?.text === "string" ? given.text : "");
  const truncated = given?.truncated === true || tail.truncated;
  const text = tail.text.replace(ANSI, "").replace(CONTROL, "");
  // Lower case keeps every offset: U+0130 is the one character whose lower case is two (i and a combining dot).
  const lower = text.replaceAll("\u0130", "i").toLowerCase();
  const found = latestFindings(text, lower);
  found.reverse();
  const numbers = lineNumbers(
    text,
    found.map((f) => f.start),
  );
  const findings = found.map(({ finding }, i) => ({
    ...finding,
    lineNumber: numbers[i] as number,
  }));
  const latest = findings.at(-1);
  const result: Diagnosis = { code: stateOf(findings), findings };
  const withId = findings.findLast((f) => f.requestId !== undefined);
  if (latest && withId?.code === latest.code && withId.requestId)
    result.requestId = withId.requestId;
  if (truncated) result.truncated = true;
  return result;
}

/**
 * The node's latest state: the last finding's code, except that a removed device is what the token mismatches after
 * its removal mean (the node's saved device token died with the device), so they are not read as a token problem.
 */
function stateOf(findings: readonly Finding[]): DiagnosisCode {
  const latest = findings.at(-1)?.code ?? "UNKNOWN";
  if (latest !== "DEVICE_TOKEN_MISMATCH") return latest;
  const before = findings.findLast((f) => f.code !== "DEVICE_TOKEN_MISMATCH");
  return before?.code === "DEVICE_REMOVED" ? "DEVICE_REMOVED" : latest;
}

/** The explanation and the advice for `code`, with the request id filled in when it is known. */
export function adviceFor(
  code: DiagnosisCode,
  lang: Lang,
  params?: { requestId?: string },
): { text: string; advice: string } {
  const known = DIAGNOSIS_CODES.includes(code) ? code : "UNKNOWN";
  const id = params?.requestId;
  // Only a real request id goes into a command someone will paste into a shell.
  const requestId = id !== undefined && REQUEST_ID_SHAPE.test(id) ? id : "<requestId>";
  return {
    text: t(lang, `diagnose.${known}.text`, { requestId }),
    advice: t(lang, `diagnose.${known}.advice`, { requestId }),
  };
}

/** A diagnosis as plain JSON, each finding with its explanation and advice in `lang`. */
export function diagnosisToJson(
  d: Diagnosis,
  lang: Lang,
): {
  code: string;
  requestId?: string;
  findings: { code: string; line: string; text: string; advice: string }[];
  truncated?: true;
} {
  const findings = d.findings.map((f) => ({
    code: f.code,
    line: f.line,
    ...adviceFor(f.code, lang, f.requestId ? { requestId: f.requestId } : undefined),
  }));
  return {
    code: d.code,
    ...(d.requestId ? { requestId: d.requestId } : {}),
    findings,
    ...(d.truncated ? { truncated: true as const } : {}),
  };
}

/**
 * The last MAX_FINDINGS recognised lines, newest first, with the offsets where they start. The log is read backward,
 * a chunk of whole lines at a time: a log that repeats a known line for megabytes costs one chunk, and one that holds
 * none costs one native scan of its text.
 */
function latestFindings(
  text: string,
  lower: string,
): { finding: Omit<Finding, "lineNumber">; start: number }[] {
  const found: { finding: Omit<Finding, "lineNumber">; start: number }[] = [];
  const lineStart = lineStartsBackward(lower);
  for (let end = lower.length; end > 0 && found.length < MAX_FINDINGS; ) {
    const start = lineStart(Math.max(0, end - CHUNK));
    const lines = linesWithNeedles(lower.slice(start, end));
    for (let i = lines.length - 1; i > 0 && found.length < MAX_FINDINGS; i -= 2) {
      const from = start + (lines[i - 1] as number);
      const to = Math.min(start + (lines[i] as number), from + MAX_EXAMINED);
      const finding = readLine(text.slice(from, to), lower.slice(from, to));
      if (finding) found.push({ finding, start: from });
    }
    end = start;
  }
  return found;
}

/**
 * Start and end offsets (flat: start, end, start, end, …) of the lines in which some needle occurs, in order. The
 * regex engine skips the rest of the log natively; each line is walked once, to find its start and its end.
 */
function linesWithNeedles(text: string): number[] {
  const lines: number[] = [];
  let walked = 0; // nothing before this can start a line we have not seen
  ANY_NEEDLE.lastIndex = 0;
  while (ANY_NEEDLE.test(text)) {
    // The needle ends at lastIndex and holds no line end: its line is found by walking out from there.
    let start = ANY_NEEDLE.lastIndex - 1;
    while (start > walked && !isLineEnd(text.charCodeAt(start - 1))) start -= 1;
    let end = ANY_NEEDLE.lastIndex;
    while (end < text.length && !isLineEnd(text.charCodeAt(end))) end += 1;
    lines.push(start, end);
    if (end >= text.length) break;
    ANY_NEEDLE.lastIndex = end;
    walked = end;
  }
  return lines;
}

/**
 * Where the line holding offset `at` starts, for offsets asked in decreasing order. Native searches; each remembers
 * the line end it found, which answers every later (smaller) offset until passed, so no part of the log is searched
 * twice, even when it has no CR at all.
 */
function lineStartsBackward(text: string): (at: number) => number {
  let lf = Number.POSITIVE_INFINITY;
  let cr = Number.POSITIVE_INFINITY;
  return (at) => {
    if (at === 0) return 0; // (lastIndexOf reads a negative start as 0, and would find a line end there)
    if (lf >= at) lf = text.lastIndexOf("\n", at - 1);
    if (cr >= at) cr = text.lastIndexOf("\r", at - 1);
    return Math.max(lf, cr) + 1;
  };
}

function isLineEnd(unit: number): boolean {
  return unit === 0x0a || unit === 0x0d;
}

/** The 1-based line number at each of `starts` (ascending offsets of line starts); CRLF, LF and a lone CR end a line. */
function lineNumbers(text: string, starts: readonly number[]): number[] {
  const numbers: number[] = [];
  let line = 1;
  let at = 0;
  for (const start of starts) {
    for (; at < start; at++) {
      const unit = text.charCodeAt(at);
      if (unit === 0x0a || (unit === 0x0d && text.charCodeAt(at + 1) !== 0x0a)) line += 1;
    }
    numbers.push(line);
  }
  return numbers;
}

/** What one line says, if it matches a rule: the line without colours and control characters, and in lower case. */
function readLine(clean: string, lower: string): Omit<Finding, "lineNumber"> | undefined {
  const rule = RULE_PATTERNS.find((r) => r.pattern.test(lower));
  if (!rule) return undefined;
  const line = evidence(clean.replace(/[\t\u00a0]/g, " ").trim());
  const requestId = requestIdIn(rule.code, lower);
  return requestId ? { code: rule.code, line, requestId } : { code: rule.code, line };
}

function requestIdIn(code: DiagnosisCode, lower: string): string | undefined {
  if (code === "PAIRING_REQUIRED" || code === "DEVICE_IDENTITY_CHANGED")
    return PAIRING_ID.exec(lower)?.[1];
  if (code === "CAPABILITY_APPROVAL_PENDING") return CAPABILITY_ID.exec(lower)?.[1];
  return undefined;
}

function evidence(clean: string): string {
  const redacted = clean.replace(SECRET_ARG, (_whole, prefix: string) => `${prefix}${REDACTED}`);
  if (redacted.length <= MAX_EVIDENCE) return redacted.toWellFormed();
  // Cut on a code point, not inside a surrogate pair, then mark the cut.
  const cut = Array.from(redacted.slice(0, MAX_EVIDENCE)).slice(0, -1).join("");
  return `${cut.trimEnd()}…`.toWellFormed();
}
