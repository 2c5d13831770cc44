// The opaque custom_ids on the bot's buttons and modals: `cs1:<sessionId>:<action>`.
// They carry only which session and which button; never a role, a user or anything that grants a right.

import { isAction } from "../../core/actions.ts";
import type { Action } from "../../core/view.ts";

const PREFIX = "cs1";
/** Session ids are `newSessionId()`'s base64url; anything else is not ours. */
const SESSION_ID = /^[A-Za-z0-9_-]{1,64}$/;

export type ParsedId =
  | { kind: "action"; sessionId: string; action: Action }
  /** The gateway operator's credentials modal of a session. */
  | { kind: "form"; sessionId: string }
  /** The /diagnose paste box. */
  | { kind: "diagnose" };

export function actionId(sessionId: string, action: Action): string {
  return `${PREFIX}:${sessionId}:${action}`;
}

export function formId(sessionId: string): string {
  return `${PREFIX}:${sessionId}:form`;
}

export const DIAGNOSE_ID = `${PREFIX}::diagnose`;

/** What a custom_id stands for, or undefined when it is not one the bot made. */
export function parseId(customId: string): ParsedId | undefined {
  if (customId === DIAGNOSE_ID) return { kind: "diagnose" };
  const [prefix, sessionId = "", what = "", ...rest] = customId.split(":");
  if (prefix !== PREFIX || rest.length > 0 || !SESSION_ID.test(sessionId)) return undefined;
  if (what === "form") return { kind: "form", sessionId };
  if (isAction(what)) return { kind: "action", sessionId, action: what };
  return undefined;
}
