// Renders a session as what people see: the channel card, each private message, notices and the credentials form.
// The card is for everyone in the channel, so it never reveals a secret; only the node operator's messages do.

import { rerunScript, setupLinkScript, sharedTokenScript } from "./commands.ts";
import { adviceFor, type Diagnosis } from "./diagnose.ts";
import {
  capabilityGrantBlocks,
  cardGrantBlocks,
  grantExceededView,
  isNarrowed,
  linkGrantBlocks,
  narrowButton,
  narrowedBlocks,
  requestButtons,
  requestGrantBlocks,
} from "./grant-views.ts";
import { type MessageKey, t } from "./i18n/index.ts";
import { MAX_LOG_BYTES } from "./log-tail.ts";
import { formatAt } from "./nodes.ts";
import { isRefusal } from "./policy.ts";
import { pendingSubject, type Step, tally } from "./quorum.ts";
import { capabilitySubject, deviceSubject, shownSubject } from "./subject.ts";
import type {
  CapabilityApproval,
  DmKind,
  Lang,
  Notice,
  PairingRequest,
  Platform,
  Session,
  Stage,
  UserRef,
} from "./types.ts";
import { gatewayProblem, isTerminal, userKey } from "./types.ts";
import { checkFingerprint } from "./validate.ts";
import type { Block, Button, CommandNames, FormView, MessageView, Tone } from "./view.ts";

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

const STAGE_TONE: Record<Stage, Tone> = {
  awaitingApproval: "waiting",
  minting: "waiting",
  linkSent: "action",
  linkExpired: "waiting",
  redeemed: "action",
  awaitingGatewayOperator: "waiting",
  awaitingCredentials: "waiting",
  preflight: "waiting",
  credentialsSent: "action",
  devicePairingPending: "waiting",
  awaitingRerun: "action",
  capabilityPending: "waiting",
  verifying: "action",
  connected: "success",
  cancelled: "neutral",
  expired: "neutral",
  failed: "danger",
};

/** The language to speak to `user` in this session. */
export function langOf(
  session: Session,
  user: Pick<UserRef, "platform" | "id">,
  fallback: Lang,
): Lang {
  return session.langs[userKey(user)] ?? fallback;
}

/** The session card in the channel: who is who, where the handshake stands, and the buttons that move it. */
export function cardView(s: Session, lang: Lang, ctx: ViewContext): MessageView {
  const tr = (key: MessageKey, params?: Record<string, string | number>) => t(lang, key, params);
  const blocks: Block[] = [
    { kind: "field", label: tr("card.nodeOperator"), value: s.nodeOperator.name },
    {
      kind: "field",
      label: tr("card.mode"),
      value: tr(s.mode === "setupLink" ? "card.mode.setupLink" : "card.mode.sharedToken"),
    },
  ];
  if (s.gatewayOperator)
    blocks.push({
      kind: "field",
      label: tr("card.gatewayOperator"),
      value: s.gatewayOperator.name,
    });
  if (s.fallbackReason)
    blocks.push({
      kind: "text",
      text: tr("card.fallback", { reason: problemText(s.fallbackReason, lang) }),
    });
  // Right after a device approval the node may still carry on by itself: nobody is told to re-run it yet.
  const stageKey: MessageKey =
    s.stage === "awaitingRerun" && s.rerunDueAt !== undefined
      ? "stage.awaitingRerun.checking"
      : s.stage === "linkExpired" && s.setupLink?.deliveryUncertain
        ? "stage.linkUncertain"
        : `stage.${s.stage}`;
  blocks.push({ kind: "text", text: tr(stageKey, stageParams(s, ctx, lang)) });
  if (s.reason) blocks.push({ kind: "field", label: tr("card.reason"), value: s.reason });
  blocks.push(...cardGrantBlocks(s, lang));
  const waiting = waitingFor(s);
  if (waiting) {
    if (waiting.tally.required > 1)
      blocks.push({ kind: "text", text: quorumText(waiting.tally, lang) });
    // Said once it means something: the card is drawn again at each change, and at the reminder.
    if (ctx.now - waiting.since >= 60_000)
      blocks.push({
        kind: "text",
        text: tr("card.waited", { elapsed: formatDuration(ctx.now - waiting.since) }),
      });
  }
  if (s.stage === "expired")
    blocks.push({
      kind: "text",
      text: tr("card.startOver", { connectNode: commandsOn(ctx, s.channel.platform).connectNode }),
    });
  for (const [label, done, params] of checklist(s))
    blocks.push({ kind: "check", label: tr(label, params), done });
  if (s.pairingRequest && s.stage === "devicePairingPending") {
    const r = s.pairingRequest;
    blocks.push({
      kind: "field",
      label: tr("card.pairingRequest"),
      value: [r.requestId, r.remoteIp, r.platform].filter(Boolean).join(" · "),
    });
  }
  for (const d of s.decisions)
    blocks.push({
      kind: "text",
      text: tr(d.approved ? "card.approvedBy" : "card.rejectedBy", {
        step: tr(`step.${d.step}`),
        name: d.by === "elsewhere" ? tr("card.elsewhere") : d.by.name,
      }),
    });
  if (s.lastError)
    blocks.push({
      kind: "text",
      text: tr("card.lastError", { error: problemText(s.lastError, lang) }),
    });
  // Said where everyone sees it, so the failure is known even when the gateway operator could not be told privately.
  if (s.stage === "awaitingCredentials" && s.preflight && !s.preflight.ok)
    blocks.push({ kind: "text", text: tr("card.preflightFailed", preflightParams(s, lang)) });
  if (s.lastDiagnosis)
    blocks.push({ kind: "field", label: tr("card.lastDiagnosis"), value: s.lastDiagnosis.code });
  if (s.disconnected)
    blocks.push({
      kind: "text",
      text: tr("card.disconnected", {
        name: s.disconnected.by.name,
        at: formatAt(s.disconnected.at),
      }),
    });
  // One state at a time: sent, waiting for them to open it (DMs closed), or shown to them privately.
  const delivery = privateDelivery(s);
  if (delivery === "waiting")
    blocks.push({
      kind: "text",
      text: tr("card.dmClosed", { name: s.nodeOperator.name, button: tr("button.reveal") }),
    });
  else if (delivery === "sent")
    blocks.push({ kind: "text", text: tr("card.sentByDm", { name: s.nodeOperator.name }) });

  return {
    sessionId: s.id,
    title: tr("card.title", { name: s.displayName }),
    tone: STAGE_TONE[s.stage],
    blocks,
    buttons: isTerminal(s.stage) ? [] : cardButtons(s, lang, ctx),
  };
}

function cardButtons(s: Session, lang: Lang, ctx: ViewContext): Button[] {
  const tr = (key: MessageKey) => t(lang, key);
  const buttons: Button[] = [];
  if (s.stage === "awaitingGatewayOperator")
    buttons.push({ kind: "action", action: "claim", label: tr("button.claim"), style: "primary" });
  if (s.stage === "awaitingCredentials")
    buttons.push({
      kind: "action",
      action: "enterCredentials",
      label: tr("button.enterCredentials"),
      style: "primary",
    });
  if (s.stage === "awaitingCredentials" && ctx.canAutofill)
    buttons.push({
      kind: "action",
      action: "autofill",
      label: tr("button.autofill"),
      style: "secondary",
    });
  if (s.undelivered.length > 0)
    buttons.push({
      kind: "private",
      action: "reveal",
      label: tr("button.reveal"),
      for: { platform: s.nodeOperator.platform, id: s.nodeOperator.id },
    });
  if (ctx.webUiUrl && (s.stage === "devicePairingPending" || s.stage === "capabilityPending"))
    buttons.push({ kind: "link", label: tr("button.webUi"), url: ctx.webUiUrl });
  buttons.push({ kind: "action", action: "cancel", label: tr("button.cancel"), style: "danger" });
  return buttons;
}

type Check = [MessageKey, boolean, Record<string, string>?];

/** Stages in which the node operator's secret message is live: ending there withdraws it. */
const SECRET_LIVE: Record<Session["mode"], Stage[]> = {
  setupLink: ["linkSent"],
  sharedToken: [
    "credentialsSent",
    "devicePairingPending",
    "awaitingRerun",
    "capabilityPending",
    "verifying",
  ],
};

/**
 * Where the handshake got to. After a session ended it shows what had happened by then (from the stage it ended in),
 * not what is possible now: a cancel does not un-send the credentials.
 */
function checklist(s: Session): Check[] {
  const at = isTerminal(s.stage) && s.stage !== "connected" ? (s.endedFrom ?? s.stage) : s.stage;
  const reached = (stages: Stage[]) => stages.includes(at) || at === "connected";
  if (s.mode === "setupLink")
    return [
      [
        "check.requestApproved",
        at !== "awaitingApproval" && s.decisions.some((d) => d.step === "request" && d.approved),
      ],
      secretCheck(s, at, reached(["linkSent", "linkExpired", "redeemed"])),
      ["check.linkRedeemed", reached(["redeemed"])],
      ["check.connected", s.stage === "connected"],
    ];
  return [
    ["check.gatewayOperator", s.gatewayOperator !== undefined],
    ["check.preflight", s.preflight?.ok === true],
    secretCheck(s, at, reached(SECRET_LIVE.sharedToken)),
    [
      "check.deviceApproved",
      reached(["awaitingRerun", "capabilityPending", "verifying"]) ||
        (at !== "devicePairingPending" &&
          s.decisions.some((d) => d.step === "device" && d.approved)),
    ],
    ["check.capabilityApproved", reached(["verifying"])],
    ["check.connected", s.stage === "connected"],
  ];
}

/** The step that hands the node operator their link or credentials, as it went for them. */
function secretCheck(s: Session, at: Stage, sent: boolean): Check {
  const base = s.mode === "setupLink" ? "check.linkSent" : "check.credentialsSent";
  if (!sent) return [base, false];
  const name = { name: s.nodeOperator.name };
  if (isTerminal(s.stage) && s.stage !== "connected" && SECRET_LIVE[s.mode].includes(at))
    return [`${base}.withdrawn`, true];
  const delivery = s.revealed?.includes(secretDm(s)) ? "shown" : privateDelivery(s);
  if (delivery === "waiting") return [`${base}.waiting`, false, name];
  if (delivery === "shown") return [`${base}.shown`, true, name];
  return [base, true];
}

function secretDm(s: Session): DmKind {
  return s.mode === "setupLink" ? "setupLink" : "credentials";
}

/** How the node operator's link or credentials reached them, while the card speaks of it. */
function privateDelivery(s: Session): "sent" | "waiting" | "shown" | undefined {
  if (!sentPrivately(s)) return undefined;
  const kind = secretDm(s);
  if (s.revealed?.includes(kind)) return "shown";
  return s.undelivered.includes(kind) ? "waiting" : "sent";
}

function sentPrivately(s: Session): boolean {
  return [
    "linkSent",
    "credentialsSent",
    "devicePairingPending",
    "awaitingRerun",
    "capabilityPending",
    "verifying",
    "redeemed",
  ].includes(s.stage);
}

function stageParams(s: Session, ctx: ViewContext, lang: Lang): Record<string, string | number> {
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
function problemText(problem: unknown, lang: Lang): string {
  return t(lang, `problem.${gatewayProblem(problem)}`);
}

/** A private message of the handshake, for one recipient in their language. */
export function dmView(
  kind: DmKind,
  s: Session,
  lang: Lang,
  ctx: ViewContext,
  /** The request an approval message was first drawn for (`shownSubject`); when it was replaced, the message says so. */
  drawnFor?: string,
): MessageView {
  if (drawnFor !== undefined && drawnFor !== shownSubject(kind, s))
    return { sessionId: s.id, ...replacedView(kind, s, lang, drawnFor) };
  return { sessionId: s.id, ...dmBody(kind, s, lang, ctx) };
}

function dmBody(kind: DmKind, s: Session, lang: Lang, ctx: ViewContext): MessageView {
  const tr = (key: MessageKey, params?: Record<string, string | number>) => t(lang, key, params);
  const who = {
    name: s.displayName,
    requester: s.requester.name,
    nodeOperator: s.nodeOperator.name,
  };
  const open = !isTerminal(s.stage);
  switch (kind) {
    case "approvalRequest": {
      const pending = s.stage === "awaitingApproval";
      return {
        title: tr("dm.approvalRequest.title", who),
        tone: pending ? "action" : "neutral",
        blocks: [
          { kind: "text", text: tr("dm.approvalRequest.body", who) },
          ...originBlocks(s, lang),
          { kind: "text", text: tr("dm.approvalRequest.grants") },
          ...(pending ? requestGrantBlocks(s, lang) : []),
          ...decisionBlocks(s, "request", lang, ctx),
        ],
        buttons: pending ? requestButtons(s, lang) : [],
      };
    }
    case "setupLink": {
      const code = s.secrets.setupCode;
      if (!code || s.stage !== "linkSent")
        return {
          title: tr("dm.setupLink.title", who),
          tone: "neutral",
          blocks: [{ kind: "text", text: tr(redactedReason(s)) }],
          buttons: [],
        };
      const minutes = s.setupLink
        ? Math.max(0, Math.round((s.setupLink.expiresAt - ctx.now) / 60_000))
        : 10;
      return {
        title: tr("dm.setupLink.title", who),
        tone: "action",
        blocks: [
          { kind: "text", text: tr("dm.setupLink.body", { ...who, minutes }) },
          ...linkGrantBlocks(s, lang),
          {
            kind: "code",
            shell: "posix",
            text: setupLinkScript(
              {
                setupCode: code,
                displayName: s.displayName,
                service: false,
                ...scriptExtras(s, ctx),
              },
              "posix",
              lang,
            ).text,
          },
          { kind: "text", text: tr("dm.setupLink.service") },
          {
            kind: "code",
            shell: "posix",
            text: setupLinkScript(
              {
                setupCode: code,
                displayName: s.displayName,
                service: true,
                ...scriptExtras(s, ctx),
              },
              "posix",
              lang,
            ).text,
          },
          { kind: "text", text: tr("dm.setupLink.powershell") },
          {
            kind: "code",
            shell: "powershell",
            text: setupLinkScript(
              {
                setupCode: code,
                displayName: s.displayName,
                service: false,
                ...scriptExtras(s, ctx),
              },
              "powershell",
              lang,
            ).text,
          },
        ],
        buttons: [],
      };
    }
    case "linkExpired": {
      // The gateway spent the code without confirming the node got its credentials: same re-issue, other words.
      const uncertain = s.setupLink?.deliveryUncertain === true;
      return {
        title: tr(uncertain ? "dm.linkUncertain.title" : "dm.linkExpired.title", who),
        tone: s.stage === "linkExpired" ? "action" : "neutral",
        blocks: [
          {
            kind: "text",
            text: tr(uncertain ? "dm.linkUncertain.body" : "dm.linkExpired.body", who),
          },
          ...originBlocks(s, lang),
        ],
        buttons:
          s.stage === "linkExpired"
            ? [
                {
                  kind: "action",
                  action: "reissueLink",
                  label: tr("button.reissueLink"),
                  style: "primary",
                },
              ]
            : [],
      };
    }
    case "credentials": {
      const token = s.secrets.token;
      const e = s.endpoint;
      if (!token || !e || !open)
        return {
          title: tr("dm.credentials.title", who),
          tone: "neutral",
          blocks: [{ kind: "text", text: tr(redactedReason(s)) }],
          buttons: [],
        };
      const input = {
        host: e.host,
        port: e.port,
        fingerprint: e.fingerprint,
        displayName: s.displayName,
        token,
        ...scriptExtras(s, ctx),
      };
      return {
        title: tr("dm.credentials.title", who),
        tone: "action",
        blocks: [
          {
            kind: "text",
            text: tr("dm.credentials.body", {
              ...who,
              gatewayOperator: s.gatewayOperator?.name ?? "",
            }),
          },
          { kind: "field", label: tr("field.host"), value: e.host },
          { kind: "field", label: tr("field.port"), value: String(e.port) },
          { kind: "field", label: tr("field.fingerprint"), value: e.fingerprint },
          { kind: "text", text: tr("dm.credentials.run") },
          {
            kind: "code",
            shell: "posix",
            text: sharedTokenScript(input, "run", "posix", lang).text,
          },
          { kind: "text", text: tr("dm.credentials.powershell") },
          {
            kind: "code",
            shell: "powershell",
            text: sharedTokenScript(input, "run", "powershell", lang).text,
          },
          { kind: "text", text: tr("dm.credentials.install") },
        ],
        buttons: [],
      };
    }
    case "confirmCredentials": {
      const d = s.draft ?? {};
      const pending = s.stage === "awaitingCredentials" && s.secrets.token !== undefined;
      return {
        title: tr("dm.confirmCredentials.title", who),
        tone: pending ? "action" : "neutral",
        blocks: [
          { kind: "text", text: tr("dm.confirmCredentials.body", who) },
          { kind: "field", label: tr("field.host"), value: d.host ?? "?" },
          { kind: "field", label: tr("field.port"), value: d.port ?? "?" },
          { kind: "field", label: tr("field.fingerprint"), value: d.fingerprint ?? "?" },
          { kind: "field", label: tr("field.token"), value: tr("dm.confirmCredentials.tokenRead") },
        ],
        buttons: pending
          ? [
              {
                kind: "action",
                action: "confirmCredentials",
                label: tr("button.confirmCredentials"),
                style: "success",
              },
              {
                kind: "action",
                action: "enterCredentials",
                label: tr("button.editCredentials"),
                style: "secondary",
              },
            ]
          : [],
      };
    }
    case "preflightFailed": {
      const p = s.preflight;
      const blocks: Block[] = [
        {
          kind: "text",
          text: tr("dm.preflightFailed.body", {
            host: s.endpoint?.host ?? "",
            port: s.endpoint?.port ?? "",
          }),
        },
      ];
      if (p && !p.ok) {
        blocks.push({
          kind: "text",
          text: tr(`preflight.${p.problem}`, { detail: p.detail ?? "" }),
        });
        if (p.problem === "fingerprintMismatch" && s.endpoint && p.seenFingerprint) {
          blocks.push({
            kind: "field",
            label: tr("preflight.entered"),
            value: shortFingerprint(s.endpoint.fingerprint),
          });
          blocks.push({
            kind: "field",
            label: tr("preflight.seen"),
            value: shortFingerprint(p.seenFingerprint),
          });
        }
      }
      return {
        title: tr("dm.preflightFailed.title", who),
        tone: "danger",
        blocks,
        buttons:
          s.stage === "awaitingCredentials"
            ? [
                {
                  kind: "action",
                  action: "enterCredentials",
                  label: tr("button.enterCredentials"),
                  style: "primary",
                },
              ]
            : [],
      };
    }
    case "preflightPassed": {
      const closed = s.undelivered.includes("credentials");
      return {
        title: tr(closed ? "dm.preflightPassed.titleClosed" : "dm.preflightPassed.title", who),
        tone: "success",
        blocks: [
          {
            kind: "text",
            text: tr(closed ? "dm.preflightPassed.closed" : "dm.preflightPassed.body", {
              ...who,
              host: s.endpoint?.host ?? "",
              port: s.endpoint?.port ?? "",
            }),
          },
        ],
        buttons: [],
      };
    }
    case "claimRequest": {
      const pending = s.stage === "awaitingGatewayOperator";
      return {
        title: tr("dm.claimRequest.title", who),
        tone: pending ? "action" : "neutral",
        blocks: [
          { kind: "text", text: tr("dm.claimRequest.body", who) },
          ...originBlocks(s, lang),
          {
            kind: "text",
            text: pending
              ? tr("dm.claimRequest.ask")
              : s.gatewayOperator
                ? tr("dm.claimRequest.taken", { gatewayOperator: s.gatewayOperator.name })
                : tr("dm.claimRequest.over"),
          },
        ],
        buttons: pending
          ? [{ kind: "action", action: "claim", label: tr("button.claim"), style: "primary" }]
          : [],
      };
    }
    case "devicePairingApproval": {
      const r = s.pairingRequest;
      const pending = s.stage === "devicePairingPending" && !!r && !tally(s, "device").settled;
      const blocks: Block[] = [
        { kind: "text", text: tr("dm.devicePairing.body", who) },
        ...originBlocks(s, lang),
      ];
      if (r) {
        blocks.push(...pairingFields(r, lang));
        const other = s.replaced?.device.findLast((e) => e.deviceId !== r.deviceId);
        if (other)
          blocks.push({
            kind: "text",
            text: tr("dm.devicePairing.otherDevice", {
              ...who,
              ip: r.remoteIp ?? "?",
              earlierIp: other.remoteIp ?? "?",
            }),
          });
      }
      blocks.push({ kind: "text", text: tr("dm.devicePairing.grants") });
      if (ctx.webUiUrl)
        blocks.push({
          kind: "text",
          text: tr("dm.webUi", { url: ctx.webUiUrl, fingerprint: s.endpoint?.fingerprint ?? "" }),
        });
      blocks.push(...decisionBlocks(s, "device", lang, ctx));
      return {
        title: tr("dm.devicePairing.title", who),
        tone: pending ? "action" : "neutral",
        blocks,
        buttons:
          pending && r
            ? approvalButtons("approveDevice", "rejectDevice", lang, ctx, deviceSubject(r))
            : [],
      };
    }
    case "rerun":
      return { title: tr("dm.rerun.title", who), ...rerunBody(s, lang, ctx), buttons: [] };
    case "capabilityApproval": {
      const c = s.capabilityApproval;
      const pending = s.stage === "capabilityPending" && !!c && !tally(s, "capability").settled;
      const blocks: Block[] = [
        { kind: "text", text: tr("dm.capability.body", who) },
        ...originBlocks(s, lang),
      ];
      if (c) blocks.push(...capabilityFields(c, lang), ...capabilityGrantBlocks(s, c, lang));
      blocks.push(...narrowedBlocks(s, lang));
      blocks.push({ kind: "text", text: tr("dm.capability.grants") });
      if (ctx.webUiUrl)
        blocks.push({
          kind: "text",
          text: tr("dm.webUi", { url: ctx.webUiUrl, fingerprint: s.endpoint?.fingerprint ?? "" }),
        });
      blocks.push(...decisionBlocks(s, "capability", lang, ctx));
      return {
        title: tr("dm.capability.title", who),
        tone: pending ? "action" : "neutral",
        blocks,
        buttons:
          pending && c
            ? isNarrowed(s, c)
              ? approvalButtons(
                  "approveCapability",
                  "rejectCapability",
                  lang,
                  ctx,
                  capabilitySubject(c),
                ).filter((b) => b.kind !== "action" || b.action !== "approveCapability")
              : [
                  ...approvalButtons(
                    "approveCapability",
                    "rejectCapability",
                    lang,
                    ctx,
                    capabilitySubject(c),
                  ),
                  ...narrowButton(c, lang),
                ]
            : [],
      };
    }
    case "connected":
      return {
        title: tr("dm.connected.title", who),
        tone: "success",
        blocks: [
          {
            kind: "text",
            text: tr("dm.connected.body", {
              ...who,
              elapsed: formatDuration((s.connectedAt ?? ctx.now) - s.createdAt),
            }),
          },
        ],
        buttons: [],
      };
    case "reminder": {
      const waiting = waitingFor(s);
      return {
        title: tr("dm.reminder.title", who),
        tone: waiting ? "action" : "neutral",
        blocks: [
          {
            kind: "text",
            text: tr("dm.reminder.body", {
              ...who,
              elapsed: formatDuration(ctx.now - (waiting?.since ?? s.createdAt)),
            }),
          },
          ...originBlocks(s, lang),
          ...(waiting && waiting.tally.required > 1
            ? [{ kind: "text" as const, text: quorumText(waiting.tally, lang) }]
            : []),
        ],
        buttons: [],
      };
    }
    case "requestApproved": {
      const step: Step = s.mode === "setupLink" ? "request" : "device";
      const names = s.decisions
        .filter((d) => d.step === step && d.approved)
        .map((d) => (d.by === "elsewhere" ? tr("card.elsewhere") : d.by.name));
      return {
        title: tr("dm.requestApproved.title", who),
        tone: "success",
        blocks: [
          {
            kind: "text",
            text: tr("dm.requestApproved.body", { ...who, names: [...new Set(names)].join(", ") }),
          },
        ],
        buttons: [],
      };
    }
    case "requestRejected": {
      const no = s.decisions.findLast((d) => !d.approved);
      return {
        title: tr("dm.requestRejected.title", who),
        tone: "danger",
        blocks: [
          {
            kind: "text",
            text: tr("dm.requestRejected.body", {
              step: tr(`step.${no?.step ?? "request"}`),
              by: !no || no.by === "elsewhere" ? tr("card.elsewhere") : no.by.name,
            }),
          },
        ],
        buttons: [],
      };
    }
    case "requestExpired":
      return {
        title: tr("dm.requestExpired.title", who),
        tone: "neutral",
        blocks: [
          {
            kind: "text",
            text: tr("dm.requestExpired.body", {
              connectNode: commandsOn(ctx, s.requester.platform).connectNode,
            }),
          },
        ],
        buttons: [],
      };
    case "requestConnected":
      return {
        title: tr("dm.requestConnected.title", who),
        tone: "success",
        blocks: [
          {
            kind: "text",
            text: tr("dm.requestConnected.body", {
              elapsed: formatDuration((s.connectedAt ?? ctx.now) - s.createdAt),
            }),
          },
        ],
        buttons: [],
      };
    case "grantExceeded":
      return grantExceededView(s, lang, commandsOn(ctx, s.channel.platform).connectNode);
    case "narrowed":
      return { title: tr("dm.narrowed.title", who), ...narrowedBody(s, lang, ctx), buttons: [] };
  }
}

/** The approval step waiting for the approvers now, how far it came, and since when; undefined when none is. */
function waitingFor(
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

function quorumText(counted: ReturnType<typeof tally>, lang: Lang): string {
  return t(lang, "card.quorum", { count: counted.approvers.length, required: counted.required });
}

/**
 * The re-run step while the node is paused: the same `node run` command, without the token (still set in that
 * terminal). Once the node reached the gateway again, by itself or re-run, the message says it is no longer needed.
 */
function rerunBody(s: Session, lang: Lang, ctx: ViewContext): Pick<MessageView, "tone" | "blocks"> {
  const tr = (key: MessageKey) => t(lang, key, { name: s.displayName });
  if (s.stage !== "awaitingRerun")
    return {
      tone: "neutral",
      blocks: [
        {
          kind: "text",
          text: tr(
            isTerminal(s.stage) && s.stage !== "connected" ? "dm.rerun.ended" : "dm.rerun.done",
          ),
        },
      ],
    };
  const blocks: Block[] = [{ kind: "text", text: tr("dm.rerun.body") }];
  const e = s.endpoint;
  if (e) {
    const input = {
      host: e.host,
      port: e.port,
      fingerprint: e.fingerprint,
      displayName: s.displayName,
      ...scriptExtras(s, ctx),
    };
    blocks.push(
      { kind: "code", shell: "posix", text: rerunScript(input, "posix", lang).text },
      { kind: "text", text: tr("dm.credentials.powershell") },
      { kind: "code", shell: "powershell", text: rerunScript(input, "powershell", lang).text },
    );
  }
  blocks.push({ kind: "text", text: tr("dm.rerun.service") });
  return { tone: "action", blocks };
}

/** The node operator's way to ask again with fewer commands: the re-run command with the narrowed `--commands`. */
function narrowedBody(
  s: Session,
  lang: Lang,
  ctx: ViewContext,
): Pick<MessageView, "tone" | "blocks"> {
  const n = s.narrowed;
  const live =
    n &&
    s.stage === "capabilityPending" &&
    s.capabilityApproval &&
    isNarrowed(s, s.capabilityApproval);
  if (!n || !live || !s.endpoint)
    return {
      tone: "neutral",
      blocks: [{ kind: "text", text: t(lang, "dm.rerun.done", { name: s.displayName }) }],
    };
  const input = {
    host: s.endpoint.host,
    port: s.endpoint.port,
    fingerprint: s.endpoint.fingerprint,
    displayName: s.displayName,
    ...versionOf(ctx),
    commands: n.commands,
  };
  return {
    tone: "action",
    blocks: [
      {
        kind: "text",
        text: t(lang, "dm.narrowed.body", { by: n.by.name, commands: n.commands.join(", ") }),
      },
      { kind: "code", shell: "posix", text: rerunScript(input, "posix", lang).text },
      { kind: "text", text: t(lang, "dm.credentials.powershell") },
      { kind: "code", shell: "powershell", text: rerunScript(input, "powershell", lang).text },
    ],
  };
}

/** What an approver judges a pairing request by. */
function pairingFields(r: PairingRequest, lang: Lang): Block[] {
  const fields: Block[] = [
    { kind: "field", label: t(lang, "field.requestId"), value: r.requestId },
  ];
  if (r.deviceId)
    fields.push({ kind: "field", label: t(lang, "field.deviceId"), value: r.deviceId });
  if (r.displayName)
    fields.push({ kind: "field", label: t(lang, "field.displayName"), value: r.displayName });
  if (r.remoteIp)
    fields.push({ kind: "field", label: t(lang, "field.remoteIp"), value: r.remoteIp });
  if (r.platform)
    fields.push({ kind: "field", label: t(lang, "field.platform"), value: r.platform });
  return fields;
}

function capabilityFields(c: CapabilityApproval, lang: Lang): Block[] {
  return [
    { kind: "field", label: t(lang, "field.requestId"), value: c.requestId },
    {
      kind: "field",
      label: t(lang, "field.commands"),
      value: c.commands.length ? c.commands.join(", ") : "—",
    },
  ];
}

/**
 * An approval message whose request was followed by one with other details: it says that its request was replaced
 * (or, when someone had decided on it, that a newer request came after), keeps what it showed while the session
 * remembers that request, and has no buttons.
 */
function replacedView(
  kind: DmKind,
  s: Session,
  lang: Lang,
  drawnFor: string,
): Omit<MessageView, "sessionId"> {
  const tr = (key: MessageKey) => t(lang, key, { name: s.displayName });
  const device = kind === "devicePairingApproval";
  const earlier: (PairingRequest | CapabilityApproval)[] =
    (device ? s.replaced?.device : s.replaced?.capability) ?? [];
  const subject = (r: PairingRequest | CapabilityApproval) =>
    device ? deviceSubject(r as PairingRequest) : capabilitySubject(r as CapabilityApproval);
  const at = earlier.findLastIndex((r) => subject(r) === drawnFor);
  const request = earlier[at];
  // Decisions are stamped no earlier than the request they decide: one between this request and the next decided it.
  const next = earlier[at + 1] ?? (device ? s.pairingRequest : s.capabilityApproval);
  const decided =
    request !== undefined &&
    s.decisions.some(
      (d) =>
        d.step === (device ? "device" : "capability") &&
        d.at >= request.seenAt &&
        d.at < (next?.seenAt ?? Number.POSITIVE_INFINITY),
    );
  const fields = !request
    ? []
    : device
      ? pairingFields(request as PairingRequest, lang)
      : capabilityFields(request as CapabilityApproval, lang);
  return {
    title: tr(device ? "dm.devicePairing.title" : "dm.capability.title"),
    tone: "neutral",
    blocks: [{ kind: "text", text: tr(decided ? "dm.followed" : "dm.replaced") }, ...fields],
    buttons: [],
  };
}

/**
 * Where the request was made and who made it, with ids and the requester's unique handle: a look-alike server, group
 * or display name reads the same in a title, never in these two lines.
 */
function originBlocks(s: Session, lang: Lang): Block[] {
  const o = s.origin ?? {};
  const where: string[] = [];
  if (o.place) where.push(t(lang, `origin.${o.place.kind}`, o.place));
  if (o.channel) where.push(t(lang, "origin.channel", o.channel));
  if (o.topic)
    where.push(
      o.topic.name
        ? t(lang, "origin.topic", { id: o.topic.id, name: o.topic.name })
        : t(lang, "origin.topicId", o.topic),
    );
  // A session stored before origins were recorded still has its chat's id.
  if (where.length === 0) where.push(t(lang, "origin.chatId", { id: s.channel.id }));
  const r = s.requester;
  const who = o.handle
    ? t(lang, "origin.byHandle", { name: r.name, handle: o.handle, id: r.id })
    : r.id === r.name
      ? r.name
      : t(lang, "origin.byId", { name: r.name, id: r.id });
  return [
    { kind: "field", label: t(lang, "origin.where"), value: where.join(" › ") },
    { kind: "field", label: t(lang, "origin.who"), value: who },
    // Why they asked, as they typed it: the approver judges the request by it.
    ...(s.reason
      ? [{ kind: "field" as const, label: t(lang, "card.reason"), value: s.reason }]
      : []),
  ];
}

function approvalButtons(
  approve: "approveDevice" | "approveCapability",
  reject: "rejectDevice" | "rejectCapability",
  lang: Lang,
  ctx: ViewContext,
  target: string,
): Button[] {
  const buttons: Button[] = [
    {
      kind: "action",
      action: approve,
      label: t(lang, `button.${approve}`),
      style: "success",
      target,
    },
    { kind: "action", action: reject, label: t(lang, "button.reject"), style: "danger", target },
  ];
  if (ctx.webUiUrl)
    buttons.push({ kind: "link", label: t(lang, "button.webUi"), url: ctx.webUiUrl });
  return buttons;
}

function decisionBlocks(
  s: Session,
  step: "request" | "device" | "capability",
  lang: Lang,
  ctx: ViewContext,
): Block[] {
  const last = s.decisions.findLast((d) => d.step === step);
  const blocks: Block[] = [];
  const counted = tally(s, step);
  if (counted.required > 1 && !isTerminal(s.stage))
    blocks.push({ kind: "text", text: quorumText(counted, lang) });
  if (last)
    blocks.push({
      kind: "text",
      text: t(lang, last.approved ? "card.approvedBy" : "card.rejectedBy", {
        step: t(lang, `step.${step}`),
        name: last.by === "elsewhere" ? t(lang, "card.elsewhere") : last.by.name,
      }),
    });
  if (isTerminal(s.stage))
    blocks.push({
      kind: "text",
      text: t(lang, `stage.${s.stage}`, stageParams(s, ctx, lang)),
    });
  return blocks;
}

/** What the scripts need to check the node's openclaw against the gateway's version, when it is known. */
/** What every script for this session carries besides its secret: the gateway's version, the command allowlist. */
function scriptExtras(
  s: Session,
  ctx: ViewContext,
): { gatewayVersion?: string; commands?: string[] } {
  return { ...versionOf(ctx), ...(s.grant?.commands ? { commands: s.grant.commands } : {}) };
}

function versionOf(ctx: ViewContext): { gatewayVersion?: string } {
  return ctx.gatewayVersion === undefined ? {} : { gatewayVersion: ctx.gatewayVersion };
}

function redactedReason(s: Session): MessageKey {
  if (s.stage === "connected") return "dm.redacted.connected";
  if (s.stage === "redeemed") return "dm.redacted.redeemed";
  if (s.stage === "linkExpired") return "dm.redacted.linkExpired";
  if (isTerminal(s.stage)) return "dm.redacted.ended";
  return "dm.redacted.lost";
}

/** A notice for the person who acted, marked as a refusal or a brief confirmation by its key. */
export function noticeView(n: Notice, lang: Lang): MessageView {
  return {
    title: "",
    tone: "neutral",
    blocks: [{ kind: "text", text: noticeText(n, lang) }],
    buttons: [],
    notice: isRefusal(n.key) ? "refusal" : "brief",
  };
}

/** What the bot does and its commands, for a private message that is neither a command, a form answer nor a log. */
export function helpView(lang: Lang, commands: CommandNames): MessageView {
  return {
    title: "",
    tone: "neutral",
    blocks: [{ kind: "text", text: t(lang, "help.private", { ...commands }) }],
    buttons: [],
  };
}

/** A notice for the person who acted. */
export function noticeText(n: Notice, lang: Lang): string {
  const text = t(lang, `notice.${n.key}`, {
    ...n.params,
    ...(n.problem ? { reason: problemText(n.problem, lang) } : {}),
  });
  if (!n.problems?.length) return text;
  return [
    text,
    ...n.problems.map((p) => `• ${t(lang, `field.${p.field}`)}: ${t(lang, p.key, p.params ?? {})}`),
  ].join("\n");
}

/**
 * The gateway operator's form: host, port, fingerprint, token. Pre-filled with what they typed before, never the
 * token, and never a fingerprint the gateway just refused (offering it back invites sending the same mistake again).
 */
export function credentialsForm(s: Session, lang: Lang): FormView {
  const d = { ...s.draft };
  if (refusedFingerprint(s, d.fingerprint)) delete d.fingerprint;
  const field = (
    name: "host" | "port" | "fingerprint" | "token",
    required: boolean,
    value?: string,
  ) => ({
    name,
    label: t(lang, `field.${name}`),
    placeholder: t(lang, `placeholder.${name}`),
    secret: name === "token",
    required,
    ...(value ? { value } : {}),
  });
  return {
    title: t(lang, "form.title", { name: s.displayName }),
    intro: t(lang, "form.intro", { nodeOperator: s.nodeOperator.name }),
    fields: [
      field("host", true, d.host),
      field("port", false, d.port),
      field("fingerprint", true, d.fingerprint),
      field("token", true),
    ],
  };
}

function refusedFingerprint(s: Session, typed: string | undefined): boolean {
  const p = s.preflight;
  if (typed === undefined || !p || p.ok || p.problem !== "fingerprintMismatch") return false;
  const checked = checkFingerprint(typed);
  return checked.ok && checked.value === s.endpoint?.fingerprint;
}

/** What went wrong at the gateway check, for the card: the problem, never a value that was typed. */
function preflightParams(s: Session, lang: Lang): Record<string, string> {
  const p = s.preflight;
  const problem = p && !p.ok ? t(lang, `preflight.${p.problem}`, { detail: p.detail ?? "" }) : "";
  return { gatewayOperator: s.gatewayOperator?.name ?? "", problem };
}

/** "85544cd4…3582ea7": enough for a person to compare two fingerprints by eye. */
export function shortFingerprint(fingerprint: string): string {
  return fingerprint.length > 16
    ? `${fingerprint.slice(0, 8)}…${fingerprint.slice(-8)}`
    : fingerprint;
}

export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return m > 0 ? `${m} min ${s} s` : `${s} s`;
}

/** The answer to a pasted node log: the node's latest state, what it means, how to fix it, with the evidence. */
export function diagnosisView(d: Diagnosis, lang: Lang): MessageView {
  const { text, advice } = adviceFor(d.code, lang, d.requestId ? { requestId: d.requestId } : {});
  const latest = d.findings.at(-1);
  const blocks: Block[] = [
    { kind: "text", text },
    { kind: "text", text: advice },
  ];
  // A cut log's line numbers count from where reading began, not from the person's file: then the line alone.
  if (latest)
    blocks.push({
      kind: "code",
      shell: "log",
      text: d.truncated ? latest.line : `${latest.lineNumber}: ${latest.line}`,
    });
  const earlier = [...new Set(d.findings.slice(0, -1).map((f) => f.code))].filter(
    (code) => code !== d.code,
  );
  if (earlier.length > 0)
    blocks.push({
      kind: "text",
      text: t(lang, "diagnosis.earlier", { codes: earlier.join(", ") }),
    });
  if (d.truncated)
    blocks.push({
      kind: "text",
      text: t(lang, "diagnosis.truncated", { mb: MAX_LOG_BYTES / (1024 * 1024) }),
    });
  return {
    title: t(lang, "diagnosis.title", { code: d.code }),
    tone: d.code === "CONNECTED" ? "success" : d.code === "UNKNOWN" ? "neutral" : "danger",
    blocks,
    buttons: [],
  };
}
