// A button press as a person makes it: on the private message the session shows them now, carrying what that
// message's button carries (for approvals, the digest of the request it showed).

import { eventFor } from "../../src/core/actions.ts";
import type { Actor, DmKind, Event, Session } from "../../src/core/types.ts";
import type { Action } from "../../src/core/view.ts";
import { dmView } from "../../src/core/views.ts";

const MESSAGE_OF: Partial<Record<Action, DmKind>> = {
  approveRequest: "approvalRequest",
  rejectRequest: "approvalRequest",
  reissueLink: "linkExpired",
  approveDevice: "devicePairingApproval",
  rejectDevice: "devicePairingApproval",
  approveCapability: "capabilityApproval",
  rejectCapability: "capabilityApproval",
  narrowCapability: "capabilityApproval",
};

/**
 * The event of pressing `action` on the approval message `session` shows now (the button whose target is `target`, when
 * several carry the same action: the request approval's choices of commands); throws when it has no such button.
 */
export function press(session: Session, action: Action, actor: Actor, target?: string): Event {
  const kind = MESSAGE_OF[action];
  if (!kind) throw new Error(`${action} is not a button of an approval message`);
  const view = dmView(kind, session, actor.lang, { now: session.updatedAt });
  const button = view.buttons.find(
    (b) =>
      b.kind === "action" && b.action === action && (target === undefined || b.target === target),
  );
  if (button?.kind !== "action")
    throw new Error(`the ${kind} message shows no ${action} button at stage ${session.stage}`);
  return eventFor(action, actor, button.target);
}
