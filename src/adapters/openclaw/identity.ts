// The bot's own OpenClaw device: an Ed25519 key pair and the device token the gateway issues, kept under the data dir.
// Files are written with mode 600 and atomically; the private key and the device token are never logged or returned as text.

import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign as signBytes,
} from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type {
  DeviceAuthTokenRecord,
  DeviceIdentity,
  GatewayClientHostDeps,
} from "@openclaw/gateway-client";

export const IDENTITY_FILE = "openclaw-device.json";
export const DEVICE_TOKEN_FILE = "openclaw-device-token.json";

interface IdentityFile {
  version: 1;
  deviceId: string;
  publicKeyPem: string;
  privateKeyPem: string;
  createdAtMs: number;
}

type TokenFile = Record<string, Record<string, { token: string; scopes: string[] }>>;

/** The 32 raw bytes of an Ed25519 public key, from its PEM (SPKI). */
export function rawPublicKey(publicKeyPem: string): Buffer {
  const jwk = createPublicKey(publicKeyPem).export({ format: "jwk" });
  if (jwk.crv !== "Ed25519" || typeof jwk.x !== "string")
    throw new Error("not an Ed25519 public key");
  return Buffer.from(jwk.x, "base64url");
}

/** OpenClaw's device id: hex SHA-256 of the raw 32-byte public key. */
export function deviceIdOf(publicKeyPem: string): string {
  return createHash("sha256").update(rawPublicKey(publicKeyPem)).digest("hex");
}

/** The raw public key, base64url, as the gateway expects it in `connect.device.publicKey`. */
export function publicKeyRawBase64Url(publicKeyPem: string): string {
  return rawPublicKey(publicKeyPem).toString("base64url");
}

/** Ed25519 signature of the UTF-8 payload, base64url. */
export function signPayload(privateKeyPem: string, payload: string): string {
  return signBytes(null, Buffer.from(payload, "utf8"), createPrivateKey(privateKeyPem)).toString(
    "base64url",
  );
}

function writePrivate(path: string, value: unknown): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
  chmodSync(temp, 0o600);
  renameSync(temp, path);
}

/**
 * The bot's persisted device identity in `dataDir`: created on first use, reloaded afterwards, so the gateway's
 * admin approves the bot once. Supplies the `hostDeps` that `GatewayClient` needs for device auth.
 */
export class DeviceIdentityStore {
  readonly identityPath: string;
  readonly tokenPath: string;

  constructor(dataDir: string) {
    this.identityPath = join(dataDir, IDENTITY_FILE);
    this.tokenPath = join(dataDir, DEVICE_TOKEN_FILE);
  }

  /** Loads the key pair, or creates and saves a new one. Refuses a file whose device id does not match its key. */
  loadOrCreate(): DeviceIdentity {
    if (existsSync(this.identityPath)) {
      const file = JSON.parse(readFileSync(this.identityPath, "utf8")) as Partial<IdentityFile>;
      if (typeof file.publicKeyPem !== "string" || typeof file.privateKeyPem !== "string") {
        throw new Error(`${this.identityPath} is not an OpenClaw device identity file`);
      }
      const deviceId = deviceIdOf(file.publicKeyPem);
      if (file.deviceId !== deviceId)
        throw new Error(`${this.identityPath}: deviceId does not match the public key`);
      return { deviceId, publicKeyPem: file.publicKeyPem, privateKeyPem: file.privateKeyPem };
    }
    const pair = generateKeyPairSync("ed25519");
    const publicKeyPem = pair.publicKey.export({ format: "pem", type: "spki" }).toString();
    const privateKeyPem = pair.privateKey.export({ format: "pem", type: "pkcs8" }).toString();
    const identity: IdentityFile = {
      version: 1,
      deviceId: deviceIdOf(publicKeyPem),
      publicKeyPem,
      privateKeyPem,
      createdAtMs: Date.now(),
    };
    writePrivate(this.identityPath, identity);
    return { deviceId: identity.deviceId, publicKeyPem, privateKeyPem };
  }

  loadToken(deviceId: string, role: string): DeviceAuthTokenRecord | null {
    const entry = this.#readTokens()[deviceId]?.[role];
    return entry ? { token: entry.token, scopes: [...entry.scopes] } : null;
  }

  storeToken(deviceId: string, role: string, token: string, scopes: string[]): void {
    const tokens = this.#readTokens();
    tokens[deviceId] = { ...tokens[deviceId], [role]: { token, scopes: [...scopes] } };
    writePrivate(this.tokenPath, tokens);
  }

  clearToken(deviceId: string, role: string): void {
    const tokens = this.#readTokens();
    const forDevice = tokens[deviceId];
    if (!forDevice || !(role in forDevice)) return;
    delete forDevice[role];
    writePrivate(this.tokenPath, tokens);
  }

  /** Whether the gateway has issued this device a token (then the shared gateway token is no longer needed). */
  hasToken(deviceId: string, role: string): boolean {
    return Boolean(this.loadToken(deviceId, role)?.token);
  }

  /** The callbacks `GatewayClient` uses for device auth, built on node:crypto and these files. */
  hostDeps(): GatewayClientHostDeps {
    return {
      loadOrCreateDeviceIdentity: () => this.loadOrCreate(),
      signDevicePayload: signPayload,
      publicKeyRawBase64UrlFromPem: publicKeyRawBase64Url,
      loadDeviceAuthToken: ({ deviceId, role }) => this.loadToken(deviceId, role),
      storeDeviceAuthToken: ({ deviceId, role, token, scopes }) =>
        this.storeToken(deviceId, role, token, scopes),
      clearDeviceAuthToken: ({ deviceId, role }) => this.clearToken(deviceId, role),
    };
  }

  #readTokens(): TokenFile {
    if (!existsSync(this.tokenPath)) return {};
    const parsed: unknown = JSON.parse(readFileSync(this.tokenPath, "utf8"));
    return parsed !== null && typeof parsed === "object" ? (parsed as TokenFile) : {};
  }
}
