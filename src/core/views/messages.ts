// The private messages of a handshake: which view draws each kind, for one recipient in their language, and the
// requester's own notes (approved, rejected, expired, connected). The approvers' messages are in approvals.ts, the
// node operator's in node-operator.ts, the gateway operator's in form.ts.
// It decides nothing; only the node operator's messages carry a secret, and only while it is live.

import { grantExceededView } from "../grant-views.ts";
import type { Step } from "../quorum.ts";
import { shownSubject } from "../subject.ts";
import type { DmKind, Lang, Session } from "../types.ts";
import type { MessageView } from "../view.ts";
import { approverBody, replacedView } from "./approvals.ts";
import { gatewayOperatorBody } from "./form.ts";
import { nodeOperatorBody } from "./node-operator.ts";
import { commandsOn, formatDuration, type ViewContext, wording } from "./shared.ts";

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

/** Each kind drawn by the file of the person it goes to; "grantExceeded" goes to all of them alike. */
function dmBody(kind: DmKind, s: Session, lang: Lang, ctx: ViewContext): MessageView {
  switch (kind) {
    case "approvalRequest":
    case "linkExpired":
    case "claimRequest":
    case "devicePairingApproval":
    case "capabilityApproval":
    case "reminder":
      return approverBody(kind, s, lang, ctx);
    case "setupLink":
    case "credentials":
    case "rerun":
    case "connected":
    case "narrowed":
      return nodeOperatorBody(kind, s, lang, ctx);
    case "confirmCredentials":
    case "preflightFailed":
    case "preflightPassed":
      return gatewayOperatorBody(kind, s, lang);
    case "requestApproved":
    case "requestRejected":
    case "requestExpired":
    case "requestConnected":
      return requesterBody(kind, s, lang, ctx);
    case "grantExceeded":
      return grantExceededView(s, lang, commandsOn(ctx, s.channel.platform).connectNode);
  }
}

/** The requester's notes of how their request went (unless they saw it happen). */
type RequesterDm = Extract<
  DmKind,
  "requestApproved" | "requestRejected" | "requestExpired" | "requestConnected"
>;

function requesterBody(kind: RequesterDm, s: Session, lang: Lang, ctx: ViewContext): MessageView {
  const { tr, who } = wording(s, lang);
  switch (kind) {
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
  }
}
