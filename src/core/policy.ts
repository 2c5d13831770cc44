// Who may do what in a session, and what a refused person is told. Fails closed: a role nobody holds means nobody
// can act in chat. Pure; roles come in on the Actor as the configuration says at the moment of the click. A refusal
// points at the configuration only when a missing role is the reason; otherwise it says whose the act is.

import type { Actor, Notice, NoticeKey, Session } from "./types.ts";
import { sameUser } from "./types.ts";

export type Act =
  | "claim"
  | "submitCredentials"
  | "approveRequest"
  | "approveDevice"
  | "approveCapability"
  | "reject"
  | "reissueLink"
  | "cancel"
  | "reveal"
  | "diagnose";

/** Why `actor` may not do `act` in `session`, as the notice they get, or undefined when they may. */
export function refusal(session: Session, actor: Actor, act: Act): Notice | undefined {
  // A session's people are on its own platform: its approvers, gateway operators and node operator are found there.
  // A click naming it from another platform (a forged callback, one approver's second account) is nobody to it, and
  // never a second approver of a quorum.
  if (actor.platform !== session.channel.platform) return { key: "notAuthorized" };
  switch (act) {
    case "claim":
      return actor.isGatewayOperator ? undefined : { key: "notAuthorized" };
    case "submitCredentials": {
      const holder = session.gatewayOperator;
      // Another gateway operator holds this request: the configuration cannot change that, the holder's name can.
      if (holder && !sameUser(holder, actor))
        return { key: "alreadyClaimed", params: { name: holder.name } };
      return actor.isGatewayOperator && holder ? undefined : { key: "notAuthorized" };
    }
    case "approveRequest":
    case "approveDevice":
    case "approveCapability":
    case "reject":
    case "reissueLink":
      if (!actor.isApprover) return { key: "notAuthorized" };
      // Approvals are high-privilege acts: they happen in a private chat, never by a click in the channel.
      if (actor.via !== "dm") return { key: "approveOnlyInDm" };
      if (act !== "reject" && !session.allowSelfApproval && isParticipant(session, actor))
        return { key: "selfApproval" };
      return undefined;
    case "cancel":
      return isParticipant(session, actor) ||
        sameUser(session.gatewayOperator, actor) ||
        actor.isApprover
        ? undefined
        : { key: "cancelNotYours", params: { names: participantNames(session) } };
    case "reveal":
      // What the button shows belongs to one person; no role or setting makes it anyone else's.
      return sameUser(session.nodeOperator, actor)
        ? undefined
        : { key: "forSomeoneElse", params: { name: session.nodeOperator.name } };
    case "diagnose":
      return undefined;
  }
}

/**
 * Notices that say no: nothing was done for the person, and they must read why (Telegram shows these as an alert that
 * stays; every other notice is a brief confirmation). A key left out here reads as a confirmation.
 */
const REFUSALS: ReadonlySet<NoticeKey> = new Set<NoticeKey>([
  "notAuthorized",
  "forSomeoneElse",
  "cancelNotYours",
  "approveOnlyInDm",
  "selfApproval",
  "alreadyApproved",
  "alreadyRejected",
  "sessionOver",
  "notNow",
  "invalidCredentials",
  "alreadyClaimed",
  "secretLost",
  "nothingToReveal",
  "replaced",
  "grantEmpty",
  "narrowedAlready",
]);

/** Whether the notice `key` refuses what the person asked for. */
export function isRefusal(key: NoticeKey): boolean {
  return REFUSALS.has(key);
}

/** The two people a second pair of eyes is for: who asked for the node, and who will run it. */
function isParticipant(session: Session, actor: Actor): boolean {
  return sameUser(session.requester, actor) || sameUser(session.nodeOperator, actor);
}

/** Who may cancel besides an approver, by name, each once: "rita, nico, gabe". */
function participantNames(session: Session): string {
  const people = [session.requester, session.nodeOperator, session.gatewayOperator];
  return people
    .filter((p, i) => p !== undefined && people.findIndex((q) => sameUser(q, p)) === i)
    .map((p) => p?.name)
    .join(", ");
}
