// What OpenClaw said when something failed (its own type, code and message), where, and a hint for the cases people hit.
// Never carries a secret: every text that goes in is passed through `redact` with the token and setup codes known.

import type { GatewayProblem } from "../../core/types.ts";

/** The failures the bot treats differently; `other` is everything OpenClaw says that we do not recognise. */
export type OpenClawErrorKind =
  | "mintRefusedLoopback"
  | "unauthorized"
  | "pairingRequired"
  | "unknownRequest"
  | "binaryNotFound"
  | "timeout"
  | "notConnected"
  | "badOutput"
  | "tlsUntrusted"
  | "config"
  | "other";

export interface OpenClawErrorInit {
  /** OpenClaw's `error.type` (`gateway_request_error`, `cli_error`, …) or ours (`spawn`, `timeout`, `parse`, `config`). */
  type: string;
  /** OpenClaw's gateway error code (`INVALID_REQUEST`, `UNAVAILABLE`) or connect detail code, when it gave one. */
  code?: string;
  /** What OpenClaw said, unchanged except for secrets. */
  message: string;
  /** The command (`openclaw devices list --json`) or WebSocket method (`device.pair.approve`) that failed. */
  command?: string;
  exitCode?: number;
  kind?: OpenClawErrorKind;
  hint?: string;
  cause?: unknown;
}

const HINTS: Record<OpenClawErrorKind, string | undefined> = {
  mintRefusedLoopback:
    "The gateway listens on loopback only, so a setup link would point nowhere. Set gateway.bind=lan " +
    "(or custom with gateway.customBindHost), enable Tailscale Serve, or set " +
    "plugins.entries.device-pair.config.publicUrl; until then clawshake uses the shared-token flow.",
  unauthorized:
    "The gateway refused the credentials. Check the gateway token (OPENCLAW_GATEWAY_TOKEN or gateway.auth.token) " +
    "and that the bot's device is still paired (`openclaw devices list`).",
  pairingRequired:
    "The bot's own device is waiting for approval on the gateway: run `openclaw devices approve <requestId>` there once.",
  unknownRequest: "The request was already decided elsewhere (WebUI or CLI) or has expired.",
  binaryNotFound:
    "The openclaw binary was not found. Install OpenClaw on this host or set the path of the binary in the bot's settings.",
  timeout: "OpenClaw did not answer in time. Is the gateway running and reachable?",
  notConnected: "The bot has no connection to the gateway right now; it reconnects by itself.",
  badOutput:
    "OpenClaw printed something the bot does not understand; is this a supported OpenClaw version?",
  tlsUntrusted:
    "The openclaw CLI trusts a remote gateway's self-signed certificate only through gateway.remote.tlsFingerprint " +
    "in its own config; or let the bot hold the operator connection (events path), which pins the fingerprint itself.",
  config: undefined,
  other: undefined,
};

/** What the card may say for each kind of failure; the words OpenClaw used stay in the logs and private notices. */
const PROBLEMS: Record<OpenClawErrorKind, GatewayProblem> = {
  mintRefusedLoopback: "loopbackOnly",
  unauthorized: "unauthorized",
  pairingRequired: "botNotPaired",
  unknownRequest: "other",
  binaryNotFound: "noGateway",
  timeout: "timeout",
  notConnected: "notConnected",
  badOutput: "other",
  tlsUntrusted: "other",
  config: "other",
  other: "other",
};

/** A failure reported by OpenClaw (CLI or gateway WebSocket), like grammY's GrammyError: what it said, plus a hint. */
export class OpenClawError extends Error {
  readonly type: string;
  readonly code: string | undefined;
  readonly openclawMessage: string;
  readonly command: string | undefined;
  readonly exitCode: number | undefined;
  readonly kind: OpenClawErrorKind;
  readonly hint: string | undefined;
  /** The typed reason the flows decide on and the card shows (`problemOf`). */
  readonly problem: GatewayProblem;

  constructor(init: OpenClawErrorInit) {
    const kind = init.kind ?? classify(init);
    const where = init.command ? `${init.command}: ` : "";
    super(`${where}${init.message}`, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = "OpenClawError";
    this.type = init.type;
    this.code = init.code;
    this.openclawMessage = init.message;
    this.command = init.command;
    this.exitCode = init.exitCode;
    this.kind = kind;
    this.hint = init.hint ?? HINTS[kind];
    this.problem = PROBLEMS[kind];
  }
}

/** Recognises the failures people hit from OpenClaw's own words (measured on 2026.9.6). */
export function classify(
  init: Pick<OpenClawErrorInit, "type" | "code" | "message">,
): OpenClawErrorKind {
  const text = init.message.toLowerCase();
  if (text.includes("only bound to loopback")) return "mintRefusedLoopback";
  // `unknown requestId` (gateway), `Unknown node pairing requestId: …` (nodes approve/reject),
  // `No pending device request matches …` (devices approve, printed without JSON).
  if (/unknown (node pairing )?requestid|no pending device request matches/.test(text))
    return "unknownRequest";
  if (text.includes("pairing required") || init.code === "PAIRING_REQUIRED")
    return "pairingRequired";
  if (
    text.includes("unauthorized") ||
    text.includes("token mismatch") ||
    text.includes("token missing") ||
    text.includes("missing scope") ||
    text.includes("approval denied") ||
    /^AUTH_/.test(init.code ?? "")
  ) {
    return "unauthorized";
  }
  if (text.includes("self-signed certificate") || text.includes("unable to verify"))
    return "tlsUntrusted";
  if (init.type === "timeout" || text.includes("timed out") || text.includes("timeout"))
    return "timeout";
  return "other";
}

/**
 * OpenClaw's `unknown deviceId` / `unknown nodeId` (gateway: remove, describe) and the CLI's `unknown node: <id> (known:
 * …)` (`nodes describe --node`): it does not, or no longer, know the target.
 */
export function isUnknownTarget(error: { message: string }): boolean {
  return /unknown (deviceid|nodeid)|unknown node: /i.test(error.message);
}

/** Replaces every occurrence of each secret value by `[redacted]`, and the value after a `--token` flag. */
export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join("[redacted]");
  }
  return out.replace(/(--(?:token|password)(?:=|\s+))("[^"]*"|'[^']*'|\S+)/g, "$1[redacted]");
}

/** The command as a person would type it, quoted where needed, with token values redacted. */
export function formatCommand(
  bin: string,
  args: readonly string[],
  secrets: readonly string[] = [],
): string {
  const shown: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? "";
    const previous = args[i - 1];
    if (previous === "--token" || previous === "--password") shown.push("[redacted]");
    else if (/^--(?:token|password)=/.test(arg))
      shown.push(`${arg.slice(0, arg.indexOf("=") + 1)}[redacted]`);
    else shown.push(/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, "'\\''")}'`);
  }
  return redact([bin.split("/").pop() ?? bin, ...shown].join(" "), secrets);
}
