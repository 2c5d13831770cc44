// What pressing a button means: each button's action becomes the event the machine understands.
// Shared by every chat adapter, so a button does the same thing on Discord, Telegram and the console.

import { isGrantChoice } from "./grant.ts";
import type { Actor, Event } from "./types.ts";
import type { Action } from "./view.ts";

const ACTION_EVENTS = {
  claim: "claimGatewayOperator",
  enterCredentials: "openCredentialsForm",
  autofill: "requestAutofill",
  confirmCredentials: "confirmCredentials",
  cancel: "cancel",
  approveRequest: "approveRequest",
  rejectRequest: "rejectRequest",
  reissueLink: "reissueLink",
  approveDevice: "approveDevice",
  rejectDevice: "rejectDevice",
  approveCapability: "approveCapability",
  rejectCapability: "rejectCapability",
  narrowCapability: "narrowCapability",
  reveal: "reveal",
  confirmDisconnect: "confirmDisconnect",
  cancelDisconnect: "cancelDisconnect",
} as const satisfies Record<Action, Event["type"]>;

export const ACTIONS = Object.keys(ACTION_EVENTS) as Action[];

export function isAction(text: string): text is Action {
  return Object.hasOwn(ACTION_EVENTS, text);
}

/**
 * Buttons whose press carries what their message showed: the digest of the gateway request (device, capability, node
 * to remove), or, for the request approval, which commands the button grants (grant.ts `GrantChoice`).
 */
const BOUND: ReadonlySet<string> = new Set<Action>([
  "approveRequest",
  "approveDevice",
  "rejectDevice",
  "approveCapability",
  "rejectCapability",
  "narrowCapability",
  "confirmDisconnect",
]);

/** Whether a press of this button names the request it was drawn for (the adapters refuse a target on others). */
export function isBound(action: Action): boolean {
  return BOUND.has(action);
}

/** The event a button press by `actor` stands for; `target` is what the button carried (see `Button.target`). */
export function eventFor(action: Action, actor: Actor, target?: string): Event {
  // A choice nobody drew (a forged or mangled target) falls back to the session's default: the first button shown.
  if (action === "approveRequest")
    return { type: "approveRequest", actor, ...(isGrantChoice(target) ? { grant: target } : {}) };
  return {
    type: ACTION_EVENTS[action],
    actor,
    ...(BOUND.has(action) && target !== undefined ? { shown: target } : {}),
  } as Event;
}
