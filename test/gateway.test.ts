// Where the bot's operator connection goes: beside its gateway over loopback, pinned; elsewhere the configured URL.
// The real gateway's side (silent pairing over loopback) is in test/adapters/openclaw/beside.test.ts.

import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { loadConfig } from "../src/config.ts";
import { gatewayTarget, isThisHost } from "../src/gateway.ts";
import { selfSignedCertificate } from "./support/tls-gateway.ts";

describe("gatewayTarget", () => {
  const dir = mkdtempSync(join(tmpdir(), "clawshake-target-"));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const cert = selfSignedCertificate();
  const certPath = join(dir, "gateway-cert.pem");
  writeFileSync(certPath, cert.certPem);

  /** A gateway config beside the bot, bound to 10.0.0.5:18800 (custom), with or without its certificate. */
  function configFile(name: string, withCert: boolean): string {
    const path = join(dir, `${name}.json`);
    const tls = withCert
      ? { enabled: true, certPath }
      : { enabled: true, certPath: join(dir, "none.pem") };
    writeFileSync(
      path,
      JSON.stringify({
        gateway: { port: 18800, bind: "custom", customBindHost: "10.0.0.5", tls },
      }),
    );
    return path;
  }
  const target = (env: Record<string, string>) =>
    gatewayTarget(loadConfig({ CLAWSHAKE_DATA_DIR: join(dir, "data"), ...env }));

  it("beside a gateway bound to a custom address, connects to its loopback listener, pinned to the certificate beside it", async () => {
    const found = await target({ OPENCLAW_CONFIG_PATH: configFile("custom", true) });
    assert.equal(found.loopback, true);
    assert.equal(found.url, "wss://127.0.0.1:18800");
    assert.equal(found.boundUrl, "wss://10.0.0.5:18800");
    assert.equal(found.fingerprint, cert.fingerprint);
    // Links people open keep the address they can reach.
    assert.equal(found.webUiBaseUrl, "wss://10.0.0.5:18800");
  });

  it("without a pin (no certificate beside it, no setting), keeps the bound address: loopback is never unverified", async () => {
    const found = await target({ OPENCLAW_CONFIG_PATH: configFile("nocert", false) });
    assert.equal(found.loopback, false);
    assert.equal(found.fingerprint, undefined);
    assert.equal(found.url, "wss://10.0.0.5:18800");
  });

  it("with OPENCLAW_GATEWAY_URL to another host, connects there even with a gateway config beside it", async () => {
    const found = await target({
      OPENCLAW_CONFIG_PATH: configFile("remote", true),
      OPENCLAW_GATEWAY_URL: "wss://gateway.example.com:18800",
    });
    assert.equal(found.loopback, false);
    assert.equal(found.url, "wss://gateway.example.com:18800");
  });

  it("with OPENCLAW_GATEWAY_URL to this machine at the gateway's port, still goes over loopback", async () => {
    const found = await target({
      OPENCLAW_CONFIG_PATH: configFile("self", true),
      OPENCLAW_GATEWAY_URL: "wss://localhost:18800",
    });
    assert.equal(found.loopback, true);
    assert.equal(found.url, "wss://127.0.0.1:18800");
  });
});

describe("isThisHost", () => {
  const here = ["192.168.1.20", "fd00::20"];
  it("knows loopback names and this machine's own addresses, at the gateway's port only", () => {
    assert.equal(isThisHost("wss://127.0.0.1:18789", 18789, here), true);
    assert.equal(isThisHost("wss://localhost:18789", 18789, here), true);
    assert.equal(isThisHost("wss://[::1]:18789", 18789, here), true);
    assert.equal(isThisHost("wss://192.168.1.20:18789", 18789, here), true);
    assert.equal(isThisHost("wss://[fd00::20]:18789", 18789, here), true);
    assert.equal(isThisHost("wss://192.168.1.20:18790", 18789, here), false);
    assert.equal(isThisHost("wss://192.168.1.21:18789", 18789, here), false);
    // A name is not resolved: DNS must not decide where the token goes.
    assert.equal(isThisHost("wss://gateway.example.com:18789", 18789, here), false);
    assert.equal(isThisHost("ws://127.0.0.1:18789", 18789, here), false);
    assert.equal(isThisHost("not a url", 18789, here), false);
  });
});
