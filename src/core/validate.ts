// Checks every value a person types, and says what is wrong and what a right one looks like.
// Pure; a problem is data (a message key and its parameters), never an exception, and never echoes a token.

import { isIP } from "node:net";
import type { MessageKey } from "./i18n/index.ts";
import type { GatewayEndpoint } from "./types.ts";

export const DEFAULT_PORT = 18789;
export const MAX_TOKEN_LENGTH = 512;
export const MAX_DISPLAY_NAME_LENGTH = 64;

export interface Problem {
  field: "host" | "port" | "fingerprint" | "token" | "displayName";
  key: MessageKey;
  params?: Record<string, string>;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; problem: Problem };

const ok = <T>(value: T): Checked<T> => ({ ok: true, value });
const fail = (
  field: Problem["field"],
  key: MessageKey,
  params?: Record<string, string>,
): Checked<never> => ({
  ok: false,
  problem: params ? { field, key, params } : { field, key },
});

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/i;

/** A hostname (RFC 1123), an IPv4 or an IPv6 address (brackets allowed around IPv6). */
export function checkHost(raw: string): Checked<string> {
  const text = raw.trim();
  if (text === "") return fail("host", "validate.host.empty");
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(text);
  if (scheme) return fail("host", "validate.host.scheme", { scheme: `${scheme[1]}://` });
  const unbracketed = text.startsWith("[") && text.endsWith("]") ? text.slice(1, -1) : text;
  if (isIP(unbracketed) === 6) return ok(unbracketed.toLowerCase());
  if (/[/?#]/.test(text))
    return fail("host", "validate.host.path", { host: text.split(/[/?#]/)[0] ?? "" });
  const withPort = /^(.+):(\d+)$/.exec(text);
  if (withPort)
    return fail("host", "validate.host.port", { host: withPort[1] ?? "", port: withPort[2] ?? "" });
  if (isIP(text) === 4) return ok(text);
  if (/^[\d.]+$/.test(text)) return fail("host", "validate.host.badIpv4", { host: text });
  const name = text.endsWith(".") ? text.slice(0, -1) : text;
  if (name.length > 253) return fail("host", "validate.host.tooLong");
  const bad = [...new Set(name.replace(/[a-z0-9.-]/gi, ""))].join("");
  if (bad) return fail("host", "validate.host.characters", { characters: bad });
  if (!name.split(".").every((label) => LABEL.test(label)))
    return fail("host", "validate.host.label", { host: name });
  return ok(name.toLowerCase());
}

/** An integer 1–65535; empty means the gateway's default port. */
export function checkPort(raw: string): Checked<number> {
  const text = raw.trim();
  if (text === "") return ok(DEFAULT_PORT);
  if (!/^\d{1,5}$/.test(text))
    return fail("port", "validate.port.notNumber", { port: text.slice(0, 20) });
  const port = Number(text);
  if (port < 1 || port > 65535) return fail("port", "validate.port.range", { port: text });
  return ok(port);
}

/**
 * What people paste for a SHA-256 fingerprint: openssl's `SHA256 Fingerprint=85:54:…`, a `sha256:` prefix, colons,
 * spaces, upper case. Returns the canonical form: 64 lowercase hex digits, no separators.
 */
export function checkFingerprint(raw: string): Checked<string> {
  let text = raw.trim();
  const labelled = /^(?:sha-?256\s*fingerprint\s*=|sha-?256\s*[:=])\s*/i.exec(text);
  if (labelled) text = text.slice(labelled[0].length);
  const digits = text.replace(/[\s:]/g, "");
  if (digits === "") return fail("fingerprint", "validate.fingerprint.empty");
  const bad = [...new Set(digits.replace(/[0-9a-f]/gi, ""))].join("");
  if (bad)
    return fail("fingerprint", "validate.fingerprint.characters", { characters: bad.slice(0, 20) });
  if (digits.length !== 64)
    return fail("fingerprint", "validate.fingerprint.length", { length: String(digits.length) });
  return ok(digits.toLowerCase());
}

/** The gateway token: not empty, no whitespace or control characters, at most 512 characters. */
export function checkToken(raw: string): Checked<string> {
  if (raw.trim() === "") return fail("token", "validate.token.empty");
  // Surrounding whitespace is a copy-paste accident; inside the token it is an error.
  const token = raw.trim();
  if (token.length > MAX_TOKEN_LENGTH)
    return fail("token", "validate.token.tooLong", { max: String(MAX_TOKEN_LENGTH) });
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused
  if (/[\s\u0000-\u001f\u007f-\u009f]/.test(token))
    return fail("token", "validate.token.characters");
  return ok(token);
}

/** 1–64 printable characters, no newline or control characters; surrounding spaces are dropped. */
export function checkDisplayName(raw: string): Checked<string> {
  const name = raw.trim();
  if (name === "") return fail("displayName", "validate.displayName.empty");
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(name))
    return fail("displayName", "validate.displayName.control");
  if ([...name].length > MAX_DISPLAY_NAME_LENGTH)
    return fail("displayName", "validate.displayName.tooLong", {
      max: String(MAX_DISPLAY_NAME_LENGTH),
    });
  return ok(name);
}

export interface CredentialsInput {
  host: string;
  port: string;
  fingerprint: string;
  token: string;
}

/** All four gateway credentials at once; every problem is reported, not just the first. */
export function checkCredentials(
  input: CredentialsInput,
): { endpoint: GatewayEndpoint; token: string } | { problems: Problem[] } {
  const host = checkHost(input.host);
  const port = checkPort(input.port);
  const fingerprint = checkFingerprint(input.fingerprint);
  const token = checkToken(input.token);
  if (host.ok && port.ok && fingerprint.ok && token.ok)
    return {
      endpoint: { host: host.value, port: port.value, fingerprint: fingerprint.value },
      token: token.value,
    };
  return {
    problems: [host, port, fingerprint, token].flatMap((checked) =>
      checked.ok ? [] : [checked.problem],
    ),
  };
}
