// Settings read from the environment: empty lists stay empty, numbers are bounded, sealing keys are exactly 32 bytes.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConfigError, loadConfig } from "../src/config.ts";

/** The problems loadConfig reports for this environment (none: an empty list). */
function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

describe("settings", () => {
  it("keeps an explicitly empty approver or operator list empty (nobody); only an unset one takes the default", () => {
    const empty = loadConfig({ CONSOLE_APPROVERS: "", CONSOLE_GATEWAY_OPERATORS: "" }).env;
    assert.deepEqual(empty.CONSOLE_APPROVERS, []);
    assert.deepEqual(empty.CONSOLE_GATEWAY_OPERATORS, []);
    const blank = loadConfig({ CONSOLE_APPROVERS: "  ", CONSOLE_GATEWAY_OPERATORS: " , " }).env;
    assert.deepEqual(blank.CONSOLE_APPROVERS, []);
    assert.deepEqual(blank.CONSOLE_GATEWAY_OPERATORS, []);
    const unset = loadConfig({}).env;
    assert.deepEqual(unset.CONSOLE_APPROVERS, ["alice"]);
    assert.deepEqual(unset.CONSOLE_GATEWAY_OPERATORS, ["alice"]);
    const given = loadConfig({ CONSOLE_APPROVERS: "bob, dave" }).env;
    assert.deepEqual(given.CONSOLE_APPROVERS, ["bob", "dave"]);
  });

  it("refuses a number beyond what a timer or the setting can hold, naming the bound and a good value", () => {
    const cases: [string, string, RegExp][] = [
      ["CLAWSHAKE_PROBE_TIMEOUT_MS", "3000000000", /from 1 to 120000,/],
      ["CLAWSHAKE_OPENCLAW_TIMEOUT_MS", "3000000000", /from 1 to 600000,/],
      ["CLAWSHAKE_POLL_INTERVAL_MS", "2147483648", /from 1 to 600000,/],
      ["CLAWSHAKE_TICK_SECONDS", "10000000", /from 1 to 600,/],
      ["CLAWSHAKE_SESSION_TTL_MINUTES", "100000", /from 1 to 1440,/],
      ["CLAWSHAKE_CONNECT_LIMIT_PER_HOUR", "1000000", /from 1 to 1000,/],
      ["CLAWSHAKE_HTTP_PORT", "65536", /1–65535/],
    ];
    for (const [name, value, bound] of cases) {
      const found = problems({ [name]: value });
      assert.equal(found.length, 1, `${name}=${value}: ${found.join("; ")}`);
      const [problem] = found as [string];
      assert.match(problem, new RegExp(`^${name}: must be `));
      assert.match(problem, bound, problem);
      assert.ok(problem.includes(`not “${value}”`), problem);
      assert.match(problem, new RegExp(`\\(for example ${name}=\\d+\\)$`), problem);
    }
  });

  it("refuses exponent, fractional, signed and hex forms where a whole number is expected", () => {
    for (const value of ["1e7", "1e3", "5.0", "2.5", "+5", "0x10", "-1", "0", "5 s", "Infinity"]) {
      const [problem] = problems({ CLAWSHAKE_TICK_SECONDS: value });
      assert.match(
        problem ?? "",
        /^CLAWSHAKE_TICK_SECONDS: must be a whole number/,
        `CLAWSHAKE_TICK_SECONDS=${value} is refused`,
      );
    }
  });

  it("accepts whole numbers up to each bound, and takes the default when unset", () => {
    const env = loadConfig({
      CLAWSHAKE_PROBE_TIMEOUT_MS: "120000",
      CLAWSHAKE_TICK_SECONDS: " 600 ",
      CLAWSHAKE_SESSION_TTL_MINUTES: "1440",
      CLAWSHAKE_HTTP_PORT: "65535",
    }).env;
    assert.equal(env.CLAWSHAKE_PROBE_TIMEOUT_MS, 120000);
    assert.equal(env.CLAWSHAKE_TICK_SECONDS, 600);
    assert.equal(env.CLAWSHAKE_SESSION_TTL_MINUTES, 1440);
    assert.equal(env.CLAWSHAKE_HTTP_PORT, 65535);
    const defaults = loadConfig({}).env;
    assert.equal(defaults.CLAWSHAKE_TICK_SECONDS, 5);
    assert.equal(defaults.CLAWSHAKE_HTTP_PORT, 0, "no operations port unless one is set");
  });

  it("keeps audit records 365 days unless CLAWSHAKE_AUDIT_DAYS says 1 to 3650", () => {
    assert.equal(loadConfig({}).env.CLAWSHAKE_AUDIT_DAYS, 365);
    assert.equal(loadConfig({ CLAWSHAKE_AUDIT_DAYS: "3650" }).env.CLAWSHAKE_AUDIT_DAYS, 3650);
    for (const value of ["0", "3651", "1.5", "forever"])
      assert.match(
        problems({ CLAWSHAKE_AUDIT_DAYS: value })[0] ?? "",
        /^CLAWSHAKE_AUDIT_DAYS: must be a whole number from 1 to 3650, .*\(for example CLAWSHAKE_AUDIT_DAYS=365\)$/,
      );
  });

  it("takes a sealing key only as 64 hex digits or the canonical base64 of 32 bytes", () => {
    const bytes = Buffer.from("0123456789abcdef0123456789abcdef", "utf8");
    const base64 = bytes.toString("base64");
    const accepted = [
      "ab".repeat(32),
      "AB".repeat(32),
      base64,
      base64.replace(/=$/, ""),
      Buffer.alloc(32, 0xff).toString("base64"),
    ];
    for (const key of accepted) {
      assert.deepEqual(problems({ CLAWSHAKE_SEALING_KEY: key }), [], `${key} is accepted`);
      assert.deepEqual(
        problems({ CLAWSHAKE_SEALING_KEY: "cd".repeat(32), CLAWSHAKE_SEALING_KEYS_PREVIOUS: key }),
        [],
        `${key} is accepted as a previous key`,
      );
    }
    const refused = [
      "a".repeat(43), // decodes to 32 bytes with leftover bits: not what any encoder writes
      `${"a".repeat(43)}=`,
      `${base64.slice(0, 42)}B=`, // the last character differs only in bits that are dropped
      "ab".repeat(31),
      "ab".repeat(33),
      `${base64}==`,
      base64.replace(/\+/g, "-").replace(/\//g, "_").replace(/^./, "-"), // base64url is not base64
      "a".repeat(44),
      `${base64.slice(0, 20)} ${base64.slice(20)}`,
    ];
    for (const key of refused) {
      const [problem] = problems({ CLAWSHAKE_SEALING_KEY: key });
      assert.match(
        problem ?? "",
        /^CLAWSHAKE_SEALING_KEY: must be 32 bytes/,
        `“${key}” is refused`,
      );
      const [previous] = problems({
        CLAWSHAKE_SEALING_KEY: "cd".repeat(32),
        CLAWSHAKE_SEALING_KEYS_PREVIOUS: `${"ef".repeat(32)},${key}`,
      });
      assert.match(
        previous ?? "",
        /^CLAWSHAKE_SEALING_KEYS_PREVIOUS: /,
        `“${key}” is refused as a previous key`,
      );
    }
  });
});
