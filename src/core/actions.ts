// What pressing a button means: each button's action becomes the event the machine understands.
// Shared by every chat adapter, so a button does the same thing on Discord, Telegram and the console.

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
  reveal: "reveal",
} as const satisfies Record<Action, Event["type"]>;

export const ACTIONS = Object.keys(ACTION_EVENTS) as Action[];

export function isAction(text: string): text is Action {
  return Object.hasOwn(ACTION_EVENTS, text);
}

/** The event a button press by `actor` stands for. */
export function eventFor(action: Action, actor: Actor): Event {
  return { type: ACTION_EVENTS[action], actor } as Event;
}
