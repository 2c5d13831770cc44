// What every view of a session shares: the context they are drawn in, the language to speak, the bot's commands as
// typed on each platform, a stage's wording, the quorum, durations and fingerprints in words.
// Pure formatting: it decides nothing, and never puts a secret or a program's own words into a sentence.

import { type MessageKey, t } from "../i18n/index.ts";
import { pendingSubject, type Step, tally } from "../quorum.ts";
import type { Lang, Platform, Session, UserRef } from "../types.ts";
import { gatewayProblem, userKey } from "../types.ts";
import type { CommandNames } from "../view.ts";

/** What views need to know beyond the session. */
export interface ViewContext {
  now: number;
  /** The gateway's Control UI (Devices page), when known. */
  webUiUrl?: string;
  /** The bot runs beside its gateway and can read host, port, fingerprint and token from it. */
  canAutofill?: boolean;
  /** Each platform's spelling of the bot's commands, as its adapter declares them. */
  commands?: Partial<Record<Platform, CommandNames>>;
  /** The gateway's OpenClaw version: the scripts stop on a node whose openclaw differs. */
  gatewayVersion?: string;
}

/** How hints name the commands where no adapter said otherwise. */
const PLAIN_COMMANDS: CommandNames = { connectNode: "/connect-node", diagnose: "/diagnose" };

/** The bot's commands as people type them on `platform`. */
export function commandsOn(ctx: Pick<ViewContext, "commands">, platform: Platform): CommandNames {
  return ctx.commands?.[platform] ?? PLAIN_COMMANDS;
}

/** The language to speak to `user` in this session. */
export function langOf(
  session: Session,
  user: Pick<UserRef, "platform" | "id">,
  fallback: Lang,
): Lang {
  return session.langs[userKey(user)] ?? fallback;
}

/** What a private message is worded with: sentences in the recipient's language, and the names it speaks of. */
export function wording(s: Session, lang: Lang) {
  return {
    tr: (key: MessageKey, params?: Record<string, string | number>) => t(lang, key, params),
    who: { name: s.displayName, requester: s.requester.name, nodeOperator: s.nodeOperator.name },
  };
}

/** What a stage's sentence may name: the people, the link's minutes left, the time taken, why it stopped. */
export function stageParams(
  s: Session,
  ctx: ViewContext,
  lang: Lang,
): Record<string, string | number> {
  return {
    name: s.displayName,
    nodeOperator: s.nodeOperator.name,
    gatewayOperator: s.gatewayOperator?.name ?? "",
    minutes: s.setupLink ? Math.max(0, Math.ceil((s.setupLink.expiresAt - ctx.now) / 60_000)) : 0,
    elapsed: formatDuration((s.connectedAt ?? ctx.now) - s.createdAt),
    reason: s.failure ? failureText(s.failure, lang) : "",
  };
}

/** Why a session stopped, in a sentence: from the typed reason only, never from what a program printed. */
function failureText(failure: NonNullable<Session["failure"]>, lang: Lang): string {
  const reason = FAILURE_REASONS.includes(failure.reason) ? failure.reason : "gatewayError";
  return t(lang, `failure.${reason}`, { problem: problemText(failure.problem, lang) });
}
const FAILURE_REASONS: NonNullable<Session["failure"]>["reason"][] = [
  "requestRejected",
  "deviceRejected",
  "capabilityRejected",
  "gatewayError",
  "secretLost",
  "grantExceeded",
  "grantUnverified",
];

/** Why the gateway could not do something, in a sentence (a reason stored as free text reads as "other"). */
export function problemText(problem: unknown, lang: Lang): string {
  return t(lang, `problem.${gatewayProblem(problem)}`);
}

/** The approval step waiting for the approvers now, how far it came, and since when; undefined when none is. */
export function waitingFor(
  s: Session,
): { step: Step; tally: ReturnType<typeof tally>; since: number } | undefined {
  const step: Step | undefined =
    s.stage === "awaitingApproval"
      ? "request"
      : s.stage === "devicePairingPending"
        ? "device"
        : s.stage === "capabilityPending"
          ? "capability"
          : undefined;
  if (!step) return undefined;
  const counted = tally(s, step);
  const pending = pendingSubject(s, step);
  if (counted.settled || !pending) return undefined;
  return { step, tally: counted, since: pending.since };
}

/** "1 of 2 approvals". */
export function quorumText(counted: ReturnType<typeof tally>, lang: Lang): string {
  return t(lang, "card.quorum", { count: counted.approvers.length, required: counted.required });
}

/** "85544cd4…3582ea7": enough for a person to compare two fingerprints by eye. */
export function shortFingerprint(fingerprint: string): string {
  return fingerprint.length > 16
    ? `${fingerprint.slice(0, 8)}…${fingerprint.slice(-8)}`
    : fingerprint;
}

/** "3 min 5 s": how long something took or has waited. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return m > 0 ? `${m} min ${s} s` : `${s} s`;
}
