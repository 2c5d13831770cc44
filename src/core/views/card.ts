// The session card in the channel: who is who, where the handshake stands, the checklist, and the buttons that move
// it. Everyone in the channel sees it, so it never reveals a secret (setup code, token) nor a program's own words: it
// says that the node operator's link or credentials went privately, never what they are. It decides nothing.

import { cardGrantBlocks } from "../grant-views.ts";
import { type MessageKey, t } from "../i18n/index.ts";
import { formatAt } from "../nodes.ts";
import type { DmKind, Lang, Session, Stage } from "../types.ts";
import { isTerminal } from "../types.ts";
import type { Block, Button, MessageView, Tone } from "../view.ts";
import { preflightParams } from "./form.ts";
import {
  commandsOn,
  formatDuration,
  problemText,
  quorumText,
  stageParams,
  type ViewContext,
  waitingFor,
} from "./shared.ts";

/** The card's tone at each stage: waiting on someone, someone's turn to act, done well or badly. */
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
