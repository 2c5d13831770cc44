// The approvers' private messages: approve a new node, claim the gateway operator's part, approve a device pairing or
// a node's commands, re-issue an expired link, the reminder; and what an approver judges a request by (where it came
// from, who asked and why, the request's details). They never carry a secret, and decide nothing: a button press is
// checked by the machine against the request the message was drawn for.

import {
  capabilityGrantBlocks,
  isNarrowed,
  narrowButton,
  narrowedBlocks,
  requestButtons,
  requestGrantBlocks,
} from "../grant-views.ts";
import { type MessageKey, t } from "../i18n/index.ts";
import { tally } from "../quorum.ts";
import { capabilitySubject, deviceSubject } from "../subject.ts";
import type { CapabilityApproval, DmKind, Lang, PairingRequest, Session } from "../types.ts";
import { isTerminal } from "../types.ts";
import type { Block, Button, MessageView } from "../view.ts";
import {
  formatDuration,
  quorumText,
  stageParams,
  type ViewContext,
  waitingFor,
  wording,
} from "./shared.ts";

/** The messages that ask the approvers (or the gateway operators) to act. */
export type ApproverDm = Extract<
  DmKind,
  | "approvalRequest"
  | "linkExpired"
  | "claimRequest"
  | "devicePairingApproval"
  | "capabilityApproval"
  | "reminder"
>;

/** An approver's message as the session stands: buttons while its step waits for them, the decision once made. */
export function approverBody(
  kind: ApproverDm,
  s: Session,
  lang: Lang,
  ctx: ViewContext,
): MessageView {
  const { tr, who } = wording(s, lang);
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
  }
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
export function replacedView(
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
