import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import type { AddressInfo, Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { createServer } from "node:tls";
import { autofillFromHost, gatewayToken } from "../../../src/adapters/openclaw/autofill.ts";
import {
  devicesPageUrl,
  gatewayPort,
  LOOPBACK_REFUSAL,
  mintAvailability,
  openclawPaths,
  readOpenClawConfig,
} from "../../../src/adapters/openclaw/config.ts";
import type { OpenClawError } from "../../../src/adapters/openclaw/errors.ts";

function selfSigned(dir: string, name: string): { cert: string; key: string; fingerprint: string } {
  const cert = join(dir, `${name}-cert.pem`);
  const key = join(dir, `${name}-key.pem`);
  execFileSync(
    "openssl",
    ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"].concat([
      "-keyout",
      key,
      "-out",
      cert,
      "-days",
      "1",
      "-subj",
      `/CN=${name}`,
    ]),
    { stdio: "ignore" },
  );
  const pem = readFileSync(cert, "utf8");
  return {
    cert: pem,
    key: readFileSync(key, "utf8"),
    fingerprint: new X509Certificate(pem).fingerprint256.replace(/:/g, "").toLowerCase(),
  };
}

describe("reading the gateway's config file (JSON5, as OpenClaw reads it)", () => {
  const dir = mkdtempSync(join(tmpdir(), "clawshake-json5-"));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const write = (text: string) => {
    const path = join(dir, `c${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(path, text);
    return path;
  };

  it("reads comments, unquoted keys, single quotes and trailing commas", async () => {
    const path = write(`// gateway settings
{
  gateway: {
    port: 0x4965, /* 18789 */
    bind: 'lan',
    auth: { mode: "token", token: 'it\\'s', },
  },
}`);
    assert.deepEqual(await readOpenClawConfig(path), {
      gateway: { port: 18789, bind: "lan", auth: { mode: "token", token: "it's" } },
    });
  });

  it("says the file cannot be parsed without quoting its content", async () => {
    const path = write('{ gateway: { auth: { token: "secret-value" oops } } }');
    await assert.rejects(
      readOpenClawConfig(path),
      (error: OpenClawError) =>
        /cannot parse/.test(error.message) && !error.message.includes("secret-value"),
    );
  });

  it("has nothing to say when there is no file (the bot is not beside its gateway)", async () => {
    assert.equal(await readOpenClawConfig(join(dir, "missing.json")), undefined);
  });
});

describe("the gateway's config file", () => {
  it("lives where OpenClaw looks for it: an explicit path, OPENCLAW_CONFIG_PATH, OPENCLAW_STATE_DIR, ~/.openclaw", () => {
    assert.deepEqual(openclawPaths({ env: { HOME: "/home/gw" } }), {
      configPath: "/home/gw/.openclaw/openclaw.json",
      stateDir: "/home/gw/.openclaw",
    });
    assert.equal(
      openclawPaths({ env: { HOME: "/h", OPENCLAW_STATE_DIR: "/srv/oc" } }).configPath,
      "/srv/oc/openclaw.json",
    );
    assert.equal(
      openclawPaths({ env: { HOME: "/h", OPENCLAW_CONFIG_PATH: "~/oc.json" } }).configPath,
      "/h/oc.json",
    );
    assert.equal(
      openclawPaths({ configPath: "/etc/oc.json", env: { HOME: "/h" } }).configPath,
      "/etc/oc.json",
    );
  });

  it("can mint setup links only when the gateway is reachable beyond loopback, with OpenClaw's own reason otherwise", () => {
    assert.deepEqual(mintAvailability({ gateway: { bind: "loopback" } }), {
      canMint: false,
      reason: LOOPBACK_REFUSAL,
      problem: "loopbackOnly",
    });
    assert.deepEqual(mintAvailability({}), {
      canMint: false,
      reason: LOOPBACK_REFUSAL,
      problem: "loopbackOnly",
    });
    assert.equal(
      mintAvailability({ gateway: { bind: "lan", auth: { mode: "none" } } }).problem,
      "authModeNone",
    );
    assert.equal(mintAvailability({ gateway: { bind: "lan" } }).canMint, true);
    // CLAWSHAKE_PUBLIC_URL, passed as publicUrl: a loopback-only gateway mints then (events.test.ts measures it).
    assert.equal(
      mintAvailability({ gateway: { bind: "loopback" } }, "wss://gw.example.com").canMint,
      true,
    );
    assert.equal(
      mintAvailability({ gateway: { auth: { mode: "none" } } }, "wss://gw.example.com").canMint,
      false,
    );
    assert.equal(
      mintAvailability({ gateway: { bind: "custom", customBindHost: "10.0.0.2" } }).canMint,
      true,
    );
    assert.equal(mintAvailability({ gateway: { tailscale: { mode: "serve" } } }).canMint, true);
    assert.equal(
      mintAvailability({
        plugins: { entries: { "device-pair": { config: { publicUrl: "wss://gw.example" } } } },
      }).canMint,
      true,
    );
    assert.equal(mintAvailability(undefined).canMint, true);
  });

  it("defaults the port to 18789 and points the WebUI link at the Devices page", () => {
    assert.equal(gatewayPort({}), 18789);
    assert.equal(gatewayPort({ gateway: { port: 18800 } }), 18800);
    assert.equal(devicesPageUrl("wss://10.0.0.1:18789"), "https://10.0.0.1:18789/settings/devices");
    assert.equal(
      devicesPageUrl("https://gw.example.com/openclaw/"),
      "https://gw.example.com/openclaw/settings/devices",
    );
  });

  it("is absent rather than an error when the bot does not run beside a gateway", async () => {
    assert.equal(await readOpenClawConfig("/nonexistent/openclaw.json"), undefined);
  });
});

describe("autofillFromHost", () => {
  let dir: string;
  let served: { cert: string; key: string; fingerprint: string };
  let stale: { cert: string; key: string; fingerprint: string };
  let server: Server;
  let port: number;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "clawshake-autofill-"));
    served = selfSigned(dir, "served");
    stale = selfSigned(dir, "stale");
    server = createServer({ cert: served.cert, key: served.key }, (socket) => socket.end());
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
    port = (server.address() as AddressInfo).port;
  });

  after(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  function stateDir(config: string, cert: string): string {
    const state = mkdtempSync(join(dir, "state-"));
    mkdirSync(join(state, "gateway", "tls"), { recursive: true });
    writeFileSync(join(state, "gateway", "tls", "gateway-cert.pem"), cert);
    writeFileSync(join(state, "openclaw.json"), config);
    return state;
  }

  it("reads port, token and fingerprint from the gateway's files and checks the certificate is the one served", async () => {
    const state = stateDir(
      `// JSON5, as people write it\n{ gateway: { port: ${port}, tls: { enabled: true }, auth: { mode: 'token', token: 'file-token-0123' } } }`,
      served.cert,
    );
    const filled = await autofillFromHost({
      env: { HOME: dir, OPENCLAW_STATE_DIR: state },
      publicHost: "gw.example.com",
    });
    assert.equal(filled.host, "gw.example.com");
    assert.equal(filled.port, port);
    assert.equal(filled.fingerprint, served.fingerprint);
    assert.equal(filled.token.reveal(), "file-token-0123");
    assert.equal(String(filled.token), "[redacted]");
  });

  it("refuses when the certificate file is not what the gateway serves, and names both fingerprints", async () => {
    const state = stateDir(
      `{ "gateway": { "port": ${port}, "tls": { "enabled": true }, "auth": { "token": "file-token-0123" } } }`,
      stale.cert,
    );
    await assert.rejects(
      autofillFromHost({ env: { HOME: dir, OPENCLAW_STATE_DIR: state } }),
      (error: OpenClawError) => {
        return (
          error.message.includes(served.fingerprint) &&
          error.message.includes(stale.fingerprint) &&
          !error.message.includes("file-token-0123")
        );
      },
    );
  });

  it("prefers OPENCLAW_GATEWAY_TOKEN, resolves $-brace references and env references, and never shows the token in an error", () => {
    // OpenClaw's own `${VAR}` syntax, written without a template-literal look-alike.
    const config = { gateway: { auth: { token: `$${"{"}GW_TOKEN}` } } };
    assert.equal(
      gatewayToken(config, { OPENCLAW_GATEWAY_TOKEN: "from-env-123" }).reveal(),
      "from-env-123",
    );
    assert.equal(gatewayToken(config, { GW_TOKEN: "substituted-1" }).reveal(), "substituted-1");
    assert.equal(
      gatewayToken(
        { gateway: { auth: { token: { source: "env", id: "REF_TOKEN" } } } },
        { REF_TOKEN: "ref-1" },
      ).reveal(),
      "ref-1",
    );
    assert.throws(
      () => gatewayToken(config, {}),
      (error: OpenClawError) => error.hint?.includes("OPENCLAW_GATEWAY_TOKEN") === true,
    );
    assert.throws(() => gatewayToken({}, {}), /no gateway token/);
  });

  it("explains a gateway without TLS instead of filling in a fingerprint nobody will see", async () => {
    const state = stateDir(
      `{ "gateway": { "port": ${port}, "auth": { "token": "t0k3n-value" } } }`,
      served.cert,
    );
    await assert.rejects(
      autofillFromHost({ env: { HOME: dir, OPENCLAW_STATE_DIR: state } }),
      /does not use TLS/,
    );
  });
});
