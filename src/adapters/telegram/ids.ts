// The short opaque strings Telegram carries for clawshake: button callback_data and /start deep-link payloads.
// Both hold only a session id, a code or nonce and a request digest; never a secret, a name or anything a person typed.

import { ACTIONS, isBound } from "../../core/actions.ts";
import type { Action } from "../../core/view.ts";

/** Telegram refuses callback_data over 64 bytes (BUTTON_DATA_INVALID). */
export const MAX_CALLBACK_DATA_BYTES = 64;
/** A /start parameter: up to 64 characters from A–Z, a–z, 0–9, "_" and "-". */
export const MAX_START_PAYLOAD = 64;
/** Nonces are 12 random bytes in base64url: exactly this many characters, at the end of a payload. */
export const NONCE_LENGTH = 16;
/** The payload of the "start the bot, then I continue" link: it carries nothing, the sender's id says who. */
export const RESUME_PAYLOAD = "resume";

const ACTION_CODES = {
  claim: "cl",
  enterCredentials: "ec",
  autofill: "af",
  cancel: "xx",
  approveRequest: "ar",
  rejectRequest: "rr",
  reissueLink: "nl",
  approveDevice: "ad",
  rejectDevice: "rd",
  approveCapability: "ac",
  rejectCapability: "rc",
  narrowCapability: "nc",
  confirmCredentials: "ok",
  reveal: "rv",
  confirmDisconnect: "dc",
  cancelDisconnect: "dx",
} as const satisfies Record<Action, string>;

const ACTION_BY_CODE = new Map<string, Action>(
  ACTIONS.map((action) => [ACTION_CODES[action], action]),
);

const PAYLOAD_CHARACTERS = /^[A-Za-z0-9_-]+$/;

/**
 * `<sessionId>:<action code>[:<target>]` (the target: the digest of the request an approval button was drawn for);
 * throws when it would not fit Telegram's 64 bytes (a session id that long is a bug).
 */
export function callbackData(sessionId: string, action: Action, target?: string): string {
  const data = `${sessionId}:${ACTION_CODES[action]}${target === undefined ? "" : `:${target}`}`;
  if (Buffer.byteLength(data) > MAX_CALLBACK_DATA_BYTES)
    throw new Error(`callback data for session ${sessionId} exceeds 64 bytes`);
  return data;
}

/** The session, action and target a button's callback_data stands for, or undefined for anything else. */
export function parseCallbackData(
  data: string | undefined,
): { sessionId: string; action: Action; target?: string } | undefined {
  if (!data) return undefined;
  const [sessionId = "", code = "", target, ...rest] = data.split(":");
  const action = ACTION_BY_CODE.get(code);
  if (!action || !sessionId || rest.length > 0) return undefined;
  if (target === undefined) return { sessionId, action };
  return isBound(action) && PAYLOAD_CHARACTERS.test(target)
    ? { sessionId, action, target }
    : undefined;
}

/** The form's "Keep" button: it keeps the pre-filled value (or the default) of one field of one session's form. */
const KEEP_CODE = "kp";
const FORM_FIELDS = ["host", "port", "fingerprint", "token"] as const;

export function keepData(sessionId: string, field: (typeof FORM_FIELDS)[number]): string {
  const data = `${sessionId}:${KEEP_CODE}:${field}`;
  if (Buffer.byteLength(data) > MAX_CALLBACK_DATA_BYTES)
    throw new Error(`callback data for session ${sessionId} exceeds 64 bytes`);
  return data;
}

export function parseKeepData(
  data: string | undefined,
): { sessionId: string; field: (typeof FORM_FIELDS)[number] } | undefined {
  const [sessionId = "", code, field, ...rest] = (data ?? "").split(":");
  const known = FORM_FIELDS.find((name) => name === field);
  return code === KEEP_CODE && sessionId && known && rest.length === 0
    ? { sessionId, field: known }
    : undefined;
}

/** A deep-link payload: the session id followed by a fixed-length nonce, so no separator is needed. */
export function startPayload(sessionId: string, nonce: string): string {
  const payload = `${sessionId}${nonce}`;
  if (
    nonce.length !== NONCE_LENGTH ||
    payload.length > MAX_START_PAYLOAD ||
    !PAYLOAD_CHARACTERS.test(payload)
  )
    throw new Error(`session ${sessionId} cannot be carried in a /start payload`);
  return payload;
}

export function parseStartPayload(
  payload: string,
): { sessionId: string; nonce: string } | undefined {
  if (
    payload.length <= NONCE_LENGTH ||
    payload.length > MAX_START_PAYLOAD ||
    !PAYLOAD_CHARACTERS.test(payload)
  )
    return undefined;
  return {
    sessionId: payload.slice(0, -NONCE_LENGTH),
    nonce: payload.slice(-NONCE_LENGTH),
  };
}

/** `https://t.me/<bot>?start=<payload>`: opens the private chat with a Start button that sends `/start <payload>`. */
export function deepLink(botUsername: string, payload: string): string {
  return `https://t.me/${botUsername}?start=${payload}`;
}
