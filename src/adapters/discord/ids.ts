// The opaque custom_ids on the bot's buttons and modals: `cs1:<sessionId>:<action>[:<target>]`.
// They carry only which session, which button and which request it was drawn for; never a role, a user or anything
// that grants a right.

import { isAction, isBound } from "../../core/actions.ts";
import type { Action } from "../../core/view.ts";

const PREFIX = "cs1";
/** Session ids are `newSessionId()`'s base64url; anything else is not ours. */
const SESSION_ID = /^[A-Za-z0-9_-]{1,64}$/;
/** A button's target is a `src/core/subject.ts` digest: base64url. */
const TARGET = /^[A-Za-z0-9_-]{1,32}$/;

export type ParsedId =
  | { kind: "action"; sessionId: string; action: Action; target?: string }
  /** The gateway operator's credentials modal of a session. */
  | { kind: "form"; sessionId: string }
  /** The /diagnose paste box. */
  | { kind: "diagnose" };

export function actionId(sessionId: string, action: Action, target?: string): string {
  return `${PREFIX}:${sessionId}:${action}${target === undefined ? "" : `:${target}`}`;
}

export function formId(sessionId: string): string {
  return `${PREFIX}:${sessionId}:form`;
}

export const DIAGNOSE_ID = `${PREFIX}::diagnose`;

/** What a custom_id stands for, or undefined when it is not one the bot made. */
export function parseId(customId: string): ParsedId | undefined {
  if (customId === DIAGNOSE_ID) return { kind: "diagnose" };
  const [prefix, sessionId = "", what = "", ...rest] = customId.split(":");
  if (prefix !== PREFIX || rest.length > 1 || !SESSION_ID.test(sessionId)) return undefined;
  const [target] = rest;
  if (target !== undefined && !TARGET.test(target)) return undefined;
  if (what === "form") return target === undefined ? { kind: "form", sessionId } : undefined;
  if (isAction(what) && (target === undefined || isBound(what)))
    return { kind: "action", sessionId, action: what, ...(target === undefined ? {} : { target }) };
  return undefined;
}
