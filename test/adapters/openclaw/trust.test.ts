// The bot's operator connection sends the gateway token only to a gateway it verified: by its pin, else a trusted CA.
// Against a self-signed stand-in that records whether anyone tried to authenticate. This file sets
// NODE_TLS_REJECT_UNAUTHORIZED in its own process (node:test runs each file in its own), and restores it.

import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { EventGateway } from "../../../src/adapters/openclaw/events.ts";
import { Secret } from "../../../src/core/secret.ts";
import { recordingGateway } from "../../support/tls-gateway.ts";

const TOKEN = "trust-test-gateway-token-0123456789abcdef";

describe("EventGateway and a gateway it cannot verify", () => {
  const dir = mkdtempSync(join(tmpdir(), "clawshake-trust-"));
  let gateway: Awaited<ReturnType<typeof recordingGateway>>;
  const sentToken = () => gateway.seen.frames.some((frame) => frame.includes(TOKEN));
  const connect = async (fingerprint?: string) => {
    const events = new EventGateway({
      url: `wss://127.0.0.1:${gateway.port}`,
      dataDir: join(dir, "data"),
      token: new Secret(TOKEN),
      ...(fingerprint ? { fingerprint } : {}),
    });
    try {
      return await events.ready(10_000);
    } finally {
      await events.stop();
    }
  };
  before(async () => {
    gateway = await recordingGateway();
  });
  after(async () => {
    await gateway.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("without a pin, refuses a self-signed certificate before any request", async () => {
    const state = await connect();
    assert.equal(state.status, "error");
    assert.equal(gateway.seen.upgrades, 0);
    assert.equal(sentToken(), false);
  });

  it("without a pin and with NODE_TLS_REJECT_UNAUTHORIZED=0, still sends nothing, and says what to set", async () => {
    const before = process.env.NODE_TLS_REJECT_UNAUTHORIZED;
    process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0";
    try {
      const state = await connect();
      assert.equal(sentToken(), false, "the token was not sent");
      assert.equal(gateway.seen.upgrades, 0, "no WebSocket was opened");
      assert.equal(state.status, "error");
      assert.match(
        state.status === "error" ? `${state.error.message} ${state.error.hint ?? ""}` : "",
        /NODE_TLS_REJECT_UNAUTHORIZED.*OPENCLAW_GATEWAY_FINGERPRINT/s,
      );
    } finally {
      if (before === undefined) delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
      else process.env.NODE_TLS_REJECT_UNAUTHORIZED = before;
    }
  });

  it("with the pin, connects (the stand-in is sent the token, as a gateway would be)", async () => {
    await connect(gateway.fingerprint);
    assert.ok(gateway.seen.upgrades > 0);
    assert.equal(sentToken(), true);
  });
});
