// Reads what a node operator pasted from `openclaw node run` and names what went wrong, with advice.
// Pure and total: never throws, never does I/O, runs in linear time, and never echoes a token or setup code.

import { t } from "./i18n/index.ts";
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
  "UNKNOWN",
];

/** One recognised line of the log: what it means and the line itself, as evidence. */
export interface Finding {
  code: DiagnosisCode;
  /** The line, trimmed, without terminal colours, cut to 500 characters. */
  line: string;
  /** 1-based; CRLF, LF and a lone CR each end a line. */
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
  findings: Finding[];
}

// Longer lines are examined only this far: the node's messages are short, and the cap keeps a
// pasted megabyte from costing more than its length.
const MAX_EXAMINED = 4096;
const MAX_EVIDENCE = 500;

// Most specific first: one line yields one finding, and some lines carry two phrases (the pairing
// close reason says both "pairing required" and PAIRING_REQUIRED; an identity change says
// "pairing required" too; AUTH_DEVICE_TOKEN_MISMATCH must not read as a shared-token mismatch).
// Needles are lower case, matched against the lower-cased line with whitespace runs collapsed.
const RULES: readonly { code: DiagnosisCode; needles: readonly string[] }[] = [
  { code: "FINGERPRINT_INVALID", needles: ["invalid tls fingerprint; expected a sha-256"] },
  { code: "FINGERPRINT_MISMATCH", needles: ["gateway tls fingerprint mismatch"] },
  { code: "NODE_STATE_RETIRED", needles: ["retired node-host state remains at"] },
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

const UUID = "([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})";
const PAIRING_ID = new RegExp(`requestid: ?${UUID}`);
const CAPABILITY_ID = new RegExp(`openclaw nodes approve ${UUID}`);
const REQUEST_ID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// Terminal escapes, in one pass: OSC (ESC ] … BEL or ESC \), CSI (ESC [ or the 8-bit 0x9B), then
// any other two-byte escape. No nested quantifiers; an unterminated OSC stops at the next ESC.
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
const ANSI = /\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]|\x1b[ -~]?/g;
// Control characters other than tab; tabs become spaces below.
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;
// A paste may include the command that was run; its secrets must not survive into the evidence.
const SECRET_ARG =
  /(oc-pair:\/\/|OPENCLAW_GATEWAY_TOKEN=|OPENCLAW_GATEWAY_PASSWORD=|--token[= ])[^\s"'`]+/gi;

/** Names the node's latest state in a pasted log, with one finding per recognised line. */
export function diagnose(log: string): Diagnosis {
  const findings: Finding[] = [];
  const text = typeof log === "string" ? log : "";
  const ends = lineEnds(text);
  let start = 0;
  let lineNumber = 0;
  while (start <= text.length) {
    const end = ends(start);
    lineNumber += 1;
    // Twice the cap, so that colour codes stripped from a long line still leave MAX_EXAMINED of text.
    const finding = readLine(
      text.slice(start, Math.min(end, start + MAX_EXAMINED * 2)),
      lineNumber,
    );
    if (finding) findings.push(finding);
    if (end >= text.length) break;
    start = text.charCodeAt(end) === 13 && text.charCodeAt(end + 1) === 10 ? end + 2 : end + 1;
  }
  const latest = findings.at(-1);
  if (!latest) return { code: "UNKNOWN", findings };
  const withId = findings.findLast((f) => f.requestId !== undefined);
  return withId?.code === latest.code && withId.requestId
    ? { code: latest.code, requestId: withId.requestId, findings }
    : { code: latest.code, findings };
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
} {
  const findings = d.findings.map((f) => ({
    code: f.code,
    line: f.line,
    ...adviceFor(f.code, lang, f.requestId ? { requestId: f.requestId } : undefined),
  }));
  return d.requestId
    ? { code: d.code, requestId: d.requestId, findings }
    : { code: d.code, findings };
}

// Where the line starting at `from` ends. It remembers the next LF and the next CR it found, so a
// log with one kind of line ending is not rescanned to its end for the other on every line.
function lineEnds(text: string): (from: number) => number {
  let lf = -1;
  let cr = -1;
  return (from) => {
    if (lf !== text.length && lf < from) lf = indexOrEnd(text, "\n", from);
    if (cr !== text.length && cr < from) cr = indexOrEnd(text, "\r", from);
    return Math.min(lf, cr);
  };
}

function indexOrEnd(text: string, char: string, from: number): number {
  const at = text.indexOf(char, from);
  return at === -1 ? text.length : at;
}

function readLine(raw: string, lineNumber: number): Finding | undefined {
  const clean = cleanLine(raw);
  if (clean === "") return undefined;
  const examined = clean.toLowerCase().replace(/ {2,}/g, " ");
  const rule = RULES.find((r) => r.needles.some((needle) => examined.includes(needle)));
  if (!rule) return undefined;
  const line = evidence(clean);
  const requestId = requestIdIn(rule.code, examined);
  return requestId
    ? { code: rule.code, line, lineNumber, requestId }
    : { code: rule.code, line, lineNumber };
}

function cleanLine(raw: string): string {
  return raw
    .replace(ANSI, "")
    .replace(/[\t\u00a0]/g, " ")
    .replace(CONTROL, "")
    .slice(0, MAX_EXAMINED)
    .trim();
}

function requestIdIn(code: DiagnosisCode, examined: string): string | undefined {
  if (code === "PAIRING_REQUIRED" || code === "DEVICE_IDENTITY_CHANGED")
    return PAIRING_ID.exec(examined)?.[1];
  if (code === "CAPABILITY_APPROVAL_PENDING") return CAPABILITY_ID.exec(examined)?.[1];
  return undefined;
}

function evidence(clean: string): string {
  const redacted = clean.replace(SECRET_ARG, (_whole, prefix: string) => `${prefix}${REDACTED}`);
  if (redacted.length <= MAX_EVIDENCE) return redacted.toWellFormed();
  // Cut on a code point, not inside a surrogate pair, then mark the cut.
  const cut = Array.from(redacted.slice(0, MAX_EVIDENCE)).slice(0, -1).join("");
  return `${cut.trimEnd()}…`.toWellFormed();
}
