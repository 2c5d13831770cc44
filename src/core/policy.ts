// Who may do what in a session. Fails closed: a role nobody holds means nobody can act in chat.
// Pure; roles come in on the Actor as the configuration says at the moment of the click.

import type { Actor, NoticeKey, Session } from "./types.ts";
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

/** Why `actor` may not do `act` in `session`, or undefined when they may. */
export function refusal(session: Session, actor: Actor, act: Act): NoticeKey | undefined {
  switch (act) {
    case "claim":
      return actor.isGatewayOperator ? undefined : "notAuthorized";
    case "submitCredentials":
      return actor.isGatewayOperator && sameUser(session.gatewayOperator, actor)
        ? undefined
        : "notAuthorized";
    case "approveRequest":
    case "approveDevice":
    case "approveCapability":
    case "reject":
    case "reissueLink":
      if (!actor.isApprover) return "notAuthorized";
      // Approvals are high-privilege acts: they happen in a private chat, never by a click in the channel.
      if (actor.via !== "dm") return "approveOnlyInDm";
      if (act !== "reject" && !session.allowSelfApproval && isParticipant(session, actor))
        return "selfApproval";
      return undefined;
    case "cancel":
      return isParticipant(session, actor) ||
        sameUser(session.gatewayOperator, actor) ||
        actor.isApprover
        ? undefined
        : "notAuthorized";
    case "reveal":
      return sameUser(session.nodeOperator, actor) ? undefined : "notAuthorized";
    case "diagnose":
      return undefined;
  }
}

/** The two people a second pair of eyes is for: who asked for the node, and who will run it. */
function isParticipant(session: Session, actor: Actor): boolean {
  return sameUser(session.requester, actor) || sameUser(session.nodeOperator, actor);
}
