import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  classify,
  formatCommand,
  isUnknownTarget,
  OpenClawError,
  redact,
} from "../../../src/adapters/openclaw/errors.ts";

describe("OpenClawError", () => {
  it("keeps what OpenClaw said, where, and adds a hint for a loopback-only gateway", () => {
    const error = new OpenClawError({
      type: "gateway_request_error",
      code: "INVALID_REQUEST",
      message:
        "Gateway is only bound to loopback. Set gateway.bind=lan, enable tailscale serve, or configure plugins.entries.device-pair.config.publicUrl.",
      command: "openclaw gateway call device.pair.setupCode --json",
      exitCode: 1,
    });
    assert.equal(error.kind, "mintRefusedLoopback");
    assert.equal(error.type, "gateway_request_error");
    assert.equal(error.code, "INVALID_REQUEST");
    assert.equal(error.exitCode, 1);
    assert.match(
      error.message,
      /^openclaw gateway call device\.pair\.setupCode --json: Gateway is only bound/,
    );
    assert.match(error.hint ?? "", /shared-token flow/);
  });

  it("recognises every way OpenClaw says a request was already decided", () => {
    for (const message of [
      "unknown requestId",
      "Unknown node pairing requestId: c80d\nRun openclaw nodes pending to inspect current requests.",
      "No pending device request matches r1. Run openclaw devices list and retry with the current request ID.",
    ]) {
      assert.equal(classify({ type: "cli_error", message }), "unknownRequest", message);
    }
  });

  it("recognises every way OpenClaw says it does not know a node or device", () => {
    for (const message of [
      "unknown nodeId",
      "unknown deviceId",
      "unknown node: 0123abcd (known: Which Node, Link Node)",
    ])
      assert.equal(isUnknownTarget({ message }), true, message);
    for (const message of ["unknown requestId", "Unknown node pairing requestId: c80d"])
      assert.equal(isUnknownTarget({ message }), false, message);
  });

  it("recognises refused credentials, a timeout and an untrusted self-signed certificate", () => {
    assert.equal(
      classify({ type: "cli_error", message: "unauthorized: gateway token mismatch" }),
      "unauthorized",
    );
    assert.equal(
      classify({ type: "gateway_request_error", message: "device pairing approval denied" }),
      "unauthorized",
    );
    assert.equal(classify({ type: "timeout", message: "no answer in time" }), "timeout");
    assert.equal(
      classify({ type: "cli_error", message: "self-signed certificate; if the root CA…" }),
      "tlsUntrusted",
    );
    assert.equal(classify({ type: "cli_error", message: "something new" }), "other");
  });

  it("shows commands without the value of a --token argument", () => {
    assert.equal(
      formatCommand("/usr/bin/openclaw", ["devices", "list", "--token", "s3cr3t-value", "--json"]),
      "openclaw devices list --token [redacted] --json",
    );
    assert.equal(
      formatCommand("openclaw", ["x", "--token=abc123"]),
      "openclaw x --token=[redacted]",
    );
    assert.equal(
      formatCommand("openclaw", ["gateway", "call", "m", "--params", '{"requestId":"r 1"}']),
      `openclaw gateway call m --params '{"requestId":"r 1"}'`,
    );
  });

  it("redacts known secrets wherever they appear in a text", () => {
    assert.equal(
      redact("token mismatch for abcd1234abcd", ["abcd1234abcd"]),
      "token mismatch for [redacted]",
    );
    assert.equal(redact("run with --token hunter22 now"), "run with --token [redacted] now");
  });
});
