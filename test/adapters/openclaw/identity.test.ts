import assert from "node:assert/strict";
import { createHash, createPublicKey, verify } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import {
  DEVICE_TOKEN_FILE,
  DeviceIdentityStore,
  deviceIdOf,
  IDENTITY_FILE,
  publicKeyRawBase64Url,
  signPayload,
} from "../../../src/adapters/openclaw/identity.ts";

describe("DeviceIdentityStore", () => {
  const dirs: string[] = [];
  const dataDir = () => {
    const dir = mkdtempSync(join(tmpdir(), "clawshake-identity-"));
    dirs.push(dir);
    return dir;
  };
  after(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it("creates an Ed25519 identity once, in a file of mode 600, and reloads the same one", () => {
    const dir = dataDir();
    const first = new DeviceIdentityStore(dir).loadOrCreate();
    const again = new DeviceIdentityStore(dir).loadOrCreate();
    assert.deepEqual(again, first);
    assert.equal(statSync(join(dir, IDENTITY_FILE)).mode & 0o777, 0o600);
    assert.equal(createPublicKey(first.publicKeyPem).asymmetricKeyType, "ed25519");
  });

  it("derives the device id as hex SHA-256 of the raw 32-byte public key", () => {
    const identity = new DeviceIdentityStore(dataDir()).loadOrCreate();
    const der = createPublicKey(identity.publicKeyPem).export({ format: "der", type: "spki" });
    const raw = der.subarray(der.length - 32);
    assert.equal(identity.deviceId, createHash("sha256").update(raw).digest("hex"));
    assert.equal(deviceIdOf(identity.publicKeyPem), identity.deviceId);
    assert.equal(publicKeyRawBase64Url(identity.publicKeyPem), raw.toString("base64url"));
    assert.match(identity.deviceId, /^[0-9a-f]{64}$/);
  });

  it("signs the UTF-8 payload with Ed25519, base64url, verifiable with the public key", () => {
    const identity = new DeviceIdentityStore(dataDir()).loadOrCreate();
    const payload = "v3|device|gateway-client|backend|operator|operator.read|1|token|nonce|linux|";
    const signature = signPayload(identity.privateKeyPem, payload);
    assert.match(signature, /^[A-Za-z0-9_-]+$/);
    assert.equal(
      verify(
        null,
        Buffer.from(payload, "utf8"),
        identity.publicKeyPem,
        Buffer.from(signature, "base64url"),
      ),
      true,
    );
  });

  it("refuses an identity file whose device id does not belong to its key", () => {
    const dir = dataDir();
    new DeviceIdentityStore(dir).loadOrCreate();
    const path = join(dir, IDENTITY_FILE);
    const file = JSON.parse(readFileSync(path, "utf8"));
    writeFileSync(path, JSON.stringify({ ...file, deviceId: "0".repeat(64) }));
    assert.throws(() => new DeviceIdentityStore(dir).loadOrCreate(), /does not match/);
  });

  it("persists the device token per device and role (mode 600), and forgets it on clear", () => {
    const dir = dataDir();
    const store = new DeviceIdentityStore(dir);
    const { deviceId } = store.loadOrCreate();
    assert.equal(store.hasToken(deviceId, "operator"), false);
    const deps = store.hostDeps();
    deps.storeDeviceAuthToken?.({
      deviceId,
      role: "operator",
      token: "device-token-1",
      scopes: ["operator.read"],
    });
    assert.deepEqual(new DeviceIdentityStore(dir).loadToken(deviceId, "operator"), {
      token: "device-token-1",
      scopes: ["operator.read"],
    });
    assert.equal(statSync(join(dir, DEVICE_TOKEN_FILE)).mode & 0o777, 0o600);
    assert.equal(deps.loadDeviceAuthToken?.({ deviceId, role: "node" }), null);
    deps.clearDeviceAuthToken?.({ deviceId, role: "operator" });
    assert.equal(store.hasToken(deviceId, "operator"), false);
  });

  it("gives GatewayClient the identity, signer and public key it needs", () => {
    const store = new DeviceIdentityStore(dataDir());
    const deps = store.hostDeps();
    const identity = deps.loadOrCreateDeviceIdentity?.();
    assert.ok(identity);
    assert.equal(deps.publicKeyRawBase64UrlFromPem?.(identity.publicKeyPem)?.length, 43);
    assert.ok(deps.signDevicePayload?.(identity.privateKeyPem, "payload"));
  });
});
