// `clawshake check` against a gateway it cannot verify: it shows the certificate and stops before authenticating.
// The stand-in is a self-signed TLS server that speaks enough of the gateway's WebSocket to receive a token.

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { recordingGateway, selfSignedCertificate } from "./support/tls-gateway.ts";

const CLI = join(import.meta.dirname, "..", "src", "cli.ts");
const TOKEN = "check-test-gateway-token-0123456789abcdef";

function check(env: Record<string, string>) {
  const child = spawn(process.execPath, [CLI, "check"], {
    env: { PATH: process.env.PATH ?? "", ...env },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on("close", (code) => resolve({ code, stdout, stderr })),
  );
}

describe("clawshake check and an unverified gateway", () => {
  const dir = mkdtempSync(join(tmpdir(), "clawshake-check-"));
  let gateway: Awaited<ReturnType<typeof recordingGateway>>;
  const env = () => ({
    // An empty home: no gateway config and no certificate beside the bot.
    HOME: dir,
    CLAWSHAKE_DATA_DIR: join(dir, "data"),
    OPENCLAW_BIN: join(dir, "no-openclaw-here"),
    OPENCLAW_GATEWAY_URL: `wss://127.0.0.1:${gateway.port}`,
    OPENCLAW_GATEWAY_TOKEN: TOKEN,
  });
  before(async () => {
    gateway = await recordingGateway();
  });
  after(async () => {
    await gateway.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("with no fingerprint set, shows the certificate it saw, how to verify it, the setting, and never authenticates", async () => {
    const result = await check(env());
    assert.ok(
      !gateway.seen.frames.some((frame) => frame.includes(TOKEN)),
      "the token was not sent to the unverified server",
    );
    assert.equal(gateway.seen.upgrades, 0, "no WebSocket was opened");
    assert.equal(gateway.seen.requests, 0, "no HTTP request was made");
    assert.equal(result.code, 1, result.stdout + result.stderr);
    assert.match(
      result.stdout,
      new RegExp(`✗ [^\\n]*127\\.0\\.0\\.1:${gateway.port}[^\\n]*${gateway.fingerprint}`),
      "marks the unverified certificate ✗ and shows its fingerprint",
    );
    assert.match(
      result.stdout,
      /openssl x509 -in \S+gateway-cert\.pem -fingerprint -sha256 -noout/,
    );
    assert.match(result.stdout, new RegExp(`OPENCLAW_GATEWAY_FINGERPRINT=${gateway.fingerprint}`));
    assert.doesNotMatch(result.stdout, /operator connection/, "stops before connecting");
    assert.ok(!(result.stdout + result.stderr).includes(TOKEN), "the token is never printed");
  });

  it("with certificate checks turned off for Node (NODE_TLS_REJECT_UNAUTHORIZED=0), still never authenticates", async () => {
    const upgrades = gateway.seen.upgrades;
    const result = await check({ ...env(), NODE_TLS_REJECT_UNAUTHORIZED: "0" });
    assert.equal(gateway.seen.upgrades, upgrades, "no WebSocket was opened");
    assert.equal(result.code, 1);
    assert.match(result.stdout, new RegExp(`OPENCLAW_GATEWAY_FINGERPRINT=${gateway.fingerprint}`));
  });

  it("with another fingerprint set, says so and never authenticates", async () => {
    const upgrades = gateway.seen.upgrades;
    const other = "ab".repeat(32);
    const result = await check({ ...env(), OPENCLAW_GATEWAY_FINGERPRINT: other });
    assert.equal(gateway.seen.upgrades, upgrades, "no WebSocket was opened");
    assert.equal(result.code, 1);
    assert.match(
      result.stdout,
      new RegExp(`✗ [^\\n]*${gateway.fingerprint}, not the expected ${other}`),
    );
    assert.doesNotMatch(result.stdout, /operator connection/);
  });

  it("with the fingerprint set to what the server shows, goes on to authenticate (the stand-in is then reached)", async () => {
    const result = await check({ ...env(), OPENCLAW_GATEWAY_FINGERPRINT: gateway.fingerprint });
    assert.match(result.stdout, /✓ gateway 127\.0\.0\.1:\d+ answers over TLS/);
    assert.match(result.stdout, /operator connection failed/);
    assert.ok(gateway.seen.upgrades > 0, "the pinned server was reached");
    assert.ok(!(result.stdout + result.stderr).includes(TOKEN), "the token is never printed");
  });

  it("with a certificate the system trusts for that address, connects without a pin, as the bot does", async () => {
    const trusted = await recordingGateway(selfSignedCertificate({ san: "IP:127.0.0.1" }));
    try {
      const ca = join(dir, "trusted-ca.pem");
      writeFileSync(ca, trusted.certPem);
      const result = await check({
        ...env(),
        OPENCLAW_GATEWAY_URL: `wss://127.0.0.1:${trusted.port}`,
        NODE_EXTRA_CA_CERTS: ca,
      });
      assert.match(result.stdout, /✓ gateway 127\.0\.0\.1:\d+ answers over TLS/, result.stdout);
      assert.ok(trusted.seen.upgrades > 0, "the verified server was reached");
    } finally {
      await trusted.close();
    }
  });

  it("with a trusted certificate issued for another name, refuses as for an unknown one", async () => {
    const misnamed = await recordingGateway();
    try {
      const ca = join(dir, "misnamed-ca.pem");
      writeFileSync(ca, misnamed.certPem);
      const result = await check({
        ...env(),
        OPENCLAW_GATEWAY_URL: `wss://127.0.0.1:${misnamed.port}`,
        NODE_EXTRA_CA_CERTS: ca,
      });
      assert.equal(misnamed.seen.upgrades, 0, "no WebSocket was opened");
      assert.match(
        result.stdout,
        new RegExp(`OPENCLAW_GATEWAY_FINGERPRINT=${misnamed.fingerprint}`),
      );
    } finally {
      await misnamed.close();
    }
  });

  it("runs `openclaw --version` without the bot's secrets in its environment", async () => {
    const bin = join(dir, "openclaw-recorder");
    writeFileSync(bin, `#!/bin/sh\nenv > "${dir}/version-env"\necho "OpenClaw 2026.9.6"\n`);
    chmodSync(bin, 0o755);
    const result = await check({
      HOME: dir,
      CLAWSHAKE_DATA_DIR: join(dir, "data"),
      OPENCLAW_BIN: bin,
      DISCORD_TOKEN: "discord-secret-token",
      CLAWSHAKE_SEALING_KEY: "ab".repeat(32),
    });
    assert.match(result.stdout, /✓ openclaw CLI: .*OpenClaw 2026\.9\.6/);
    const seen = readFileSync(join(dir, "version-env"), "utf8");
    assert.match(seen, /^PATH=/m);
    assert.doesNotMatch(seen, /DISCORD_TOKEN|discord-secret-token|CLAWSHAKE_SEALING_KEY/);
  });
});

describe("clawshake check and setup links with no way to the gateway", () => {
  const dir = mkdtempSync(join(tmpdir(), "clawshake-check-mode-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("marks CLAWSHAKE_MODE=setup-link with CLAWSHAKE_GATEWAY_PATH=none as wrong, and says what to change", async () => {
    const result = await check({
      HOME: dir,
      CLAWSHAKE_DATA_DIR: join(dir, "data"),
      OPENCLAW_BIN: join(dir, "no-openclaw-here"),
      CLAWSHAKE_MODE: "setup-link",
      CLAWSHAKE_GATEWAY_PATH: "none",
    });
    assert.equal(result.code, 1, result.stdout + result.stderr);
    assert.match(result.stdout, /✗ .*CLAWSHAKE_MODE=setup-link.*CLAWSHAKE_GATEWAY_PATH=none/);
  });

  it("marks it wrong too when no gateway path can be found", async () => {
    const result = await check({
      HOME: dir,
      CLAWSHAKE_DATA_DIR: join(dir, "data"),
      OPENCLAW_BIN: join(dir, "no-openclaw-here"),
      CLAWSHAKE_MODE: "setup-link",
    });
    assert.match(result.stdout, /✗ .*CLAWSHAKE_MODE=setup-link/);
  });
});
