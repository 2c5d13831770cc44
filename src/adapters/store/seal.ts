// Seals a session's secrets (the gateway token, a setup code) with AES-256-GCM before they touch a disk or Redis.
// Never writes a secret in plain text, never returns garbage: a blob no configured key opens is a lost secret, reported.

import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createSecretKey,
  type KeyObject,
  randomBytes,
} from "node:crypto";
import { dueAt } from "../../core/machine.ts";
import { Secret } from "../../core/secret.ts";
import { isTerminal, type Session } from "../../core/types.ts";

/** Keys from the environment: the current one seals, any listed one opens (so keys can be rotated). */
export class Sealer {
  /** Key objects, made once rather than from raw bytes on every seal and open. */
  readonly #keys: Map<string, KeyObject>;
  readonly #current: string;

  /** `keys[0]` seals; the others only open what they sealed before a rotation. Each is 32 bytes. */
  constructor(keys: Buffer[]) {
    if (keys.length === 0) throw new Error("Sealer needs at least one key");
    this.#keys = new Map();
    for (const key of keys) {
      if (key.length !== 32)
        throw new Error("a sealing key is 32 bytes (64 hex digits or 44 base64 characters)");
      this.#keys.set(keyId(key), createSecretKey(key));
    }
    this.#current = keyId(keys[0] as Buffer);
  }

  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.#keys.get(this.#current) as KeyObject, iv);
    const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
    return [
      "v1",
      this.#current,
      iv.toString("base64url"),
      cipher.getAuthTag().toString("base64url"),
      body.toString("base64url"),
    ].join(".");
  }

  open(sealed: string): string {
    const [version, id, iv, tag, body] = sealed.split(".");
    const key = id === undefined ? undefined : this.#keys.get(id);
    if (version !== "v1" || !key || !iv || !tag || body === undefined)
      throw new Error(
        "sealed secrets use a key that is not configured (was CLAWSHAKE_SEALING_KEY changed without keeping the old one in CLAWSHAKE_SEALING_KEYS_PREVIOUS?)",
      );
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([
      decipher.update(Buffer.from(body, "base64url")),
      decipher.final(),
    ]).toString("utf8");
  }

  /** True when `sealed` was sealed with a key other than the current one (to re-seal after a rotation). */
  isStale(sealed: string): boolean {
    return sealed.split(".")[1] !== this.#current;
  }
}

function keyId(key: Buffer): string {
  return createHash("sha256").update(key).digest("hex").slice(0, 8);
}

/** A 32-byte key from 64 hex digits or base64. */
export function parseKey(text: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(trimmed)
    ? Buffer.from(trimmed, "hex")
    : Buffer.from(trimmed, "base64");
  if (key.length !== 32)
    throw new Error(
      "must be 32 bytes: 64 hex digits or 44 base64 characters (openssl rand -hex 32)",
    );
  return key;
}

type Secrets = Session["secrets"];

/** What a store reports about the secrets it keeps. */
export interface KeeperEvents {
  /**
   * A session's sealed secrets open with no configured key (the key was replaced without keeping the old one in
   * CLAWSHAKE_SEALING_KEYS_PREVIOUS, or the blob is damaged). Called once per session; the session then goes on without
   * its secret, as after a restart with no key at all.
   */
  onLost?: (sessionId: string) => void;
}

/**
 * How a store keeps secrets: sealed beside the session with a key, or, with no key, only in this
 * process's memory (lost on restart: the session then asks for the secret again).
 */
export class SecretKeeper {
  readonly #sealer: Sealer | undefined;
  readonly #events: KeeperEvents;
  readonly #memory = new Map<string, Secrets>();
  /** The last sealed form of each session's secrets, so an unchanged set is neither sealed nor opened again. */
  readonly #lastSealed = new Map<string, { plain: string; sealed: string }>();
  /** Sealed blobs no configured key opens, by session: reported once, not tried again. */
  readonly #lost = new Map<string, string>();

  constructor(sealer?: Sealer, events: KeeperEvents = {}) {
    this.#sealer = sealer;
    this.#events = events;
  }

  /** What to write beside the session: a sealed blob, or null (and the secrets kept in memory). */
  put(session: Session): string | null {
    const plain: Record<string, string> = {};
    for (const [name, secret] of Object.entries(session.secrets))
      if (secret) plain[name] = secret.reveal();
    if (!this.#sealer) {
      if (Object.keys(plain).length > 0) this.#memory.set(session.id, { ...session.secrets });
      else this.#memory.delete(session.id);
      return null;
    }
    if (Object.keys(plain).length === 0) {
      this.#lastSealed.delete(session.id);
      // A blob no key here opens stays while the session lives: another instance may still hold its key (a rotation
      // under way). It goes when the session ends, as every secret does.
      const lost = this.#lost.get(session.id);
      if (lost !== undefined && !isTerminal(session.stage)) return lost;
      this.#lost.delete(session.id);
      return null;
    }
    this.#lost.delete(session.id);
    const text = JSON.stringify(plain);
    const last = this.#lastSealed.get(session.id);
    if (last?.plain === text && !this.#sealer.isStale(last.sealed)) return last.sealed;
    const sealed = this.#sealer.seal(text);
    this.#lastSealed.set(session.id, { plain: text, sealed });
    return sealed;
  }

  get(sessionId: string, sealed: string | null): Secrets {
    if (!this.#sealer || sealed === null) return { ...(this.#memory.get(sessionId) ?? {}) };
    const last = this.#lastSealed.get(sessionId);
    const text = last?.sealed === sealed ? last.plain : this.#open(sessionId, sealed);
    if (text === undefined) return {};
    this.#lastSealed.set(sessionId, { plain: text, sealed });
    const plain = JSON.parse(text) as Record<string, string>;
    return Object.fromEntries(
      Object.entries(plain).map(([name, value]) => [name, new Secret(value)]),
    );
  }

  /** The plain text of `sealed`, or undefined when no configured key opens it (reported once per session). */
  #open(sessionId: string, sealed: string): string | undefined {
    if (this.#lost.get(sessionId) === sealed) return undefined;
    try {
      return (this.#sealer as Sealer).open(sealed);
    } catch {
      this.#lost.set(sessionId, sealed);
      this.#events.onLost?.(sessionId);
      return undefined;
    }
  }

  needsReseal(sealed: string | null): boolean {
    return sealed !== null && this.#sealer?.isStale(sealed) === true;
  }
}

/** The session as stored: everything but its secrets, which the keeper holds. */
export function toStored(session: Session): string {
  const { secrets: _secrets, ...rest } = session;
  return JSON.stringify(rest);
}

/** `dueAt` as stores index it: an integer (a terminal session, never due, gets the largest safe one). */
export function storedDueAt(session: Session): number {
  return Math.min(dueAt(session), Number.MAX_SAFE_INTEGER);
}

export function fromStored(json: string, secrets: Secrets): Session {
  return { ...(JSON.parse(json) as Omit<Session, "secrets">), secrets };
}
