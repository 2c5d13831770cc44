// The settings of a reason, a quorum and a reminder: their defaults, their bounds, and how they reach the handshake.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConfigError, loadConfig } from "../src/config.ts";
import { handshakeSettings } from "../src/main.ts";

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

describe("reason, quorum and reminder settings", () => {
  it("default to no reason required, one approver and a reminder after 10 minutes", () => {
    const settings = handshakeSettings(loadConfig({}));
    assert.equal(settings.requireReason, false);
    assert.equal(settings.approvalsRequired, 1);
    assert.equal(settings.remindAfterMs, 10 * 60_000);
  });

  it("carry what is set to the handshake", () => {
    const settings = handshakeSettings(
      loadConfig({
        CLAWSHAKE_REQUIRE_REASON: "true",
        CLAWSHAKE_APPROVALS_REQUIRED: "3",
        CLAWSHAKE_REMIND_AFTER_MINUTES: "45",
      }),
    );
    assert.deepEqual(
      [settings.requireReason, settings.approvalsRequired, settings.remindAfterMs],
      [true, 3, 45 * 60_000],
    );
  });

  it("refuse a quorum of none or more than 10, and a reminder beyond a day", () => {
    assert.match(problems({ CLAWSHAKE_APPROVALS_REQUIRED: "0" }).join("\n"), /from 1 to 10,/);
    assert.match(problems({ CLAWSHAKE_APPROVALS_REQUIRED: "11" }).join("\n"), /from 1 to 10,/);
    assert.match(
      problems({ CLAWSHAKE_REMIND_AFTER_MINUTES: "1441" }).join("\n"),
      /from 1 to 1440,/,
    );
    assert.match(
      problems({ CLAWSHAKE_REQUIRE_REASON: "maybe" }).join("\n"),
      /CLAWSHAKE_REQUIRE_REASON/,
    );
  });
});
