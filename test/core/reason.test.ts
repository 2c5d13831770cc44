import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkReason, MAX_REASON_LENGTH, splitNameAndReason } from "../../src/core/validate.ts";

describe("a reason typed after the name", () => {
  it("ends the name at “ -- ” or at a line break; names keep their spaces", () => {
    assert.deepEqual(splitNameAndReason("build-1"), { name: "build-1" });
    assert.deepEqual(splitNameAndReason("build server 1"), { name: "build server 1" });
    assert.deepEqual(splitNameAndReason("build-1 -- runs CI"), {
      name: "build-1",
      reason: "runs CI",
    });
    assert.deepEqual(splitNameAndReason("build server 1\nruns CI\nfor team a"), {
      name: "build server 1",
      reason: "runs CI\nfor team a",
    });
    assert.deepEqual(splitNameAndReason("build-1 -- "), { name: "build-1" });
  });

  it("is one paragraph of visible characters, at most the cap; empty is none", () => {
    assert.deepEqual(checkReason(undefined), { ok: true, value: undefined });
    assert.deepEqual(checkReason("   "), { ok: true, value: undefined });
    assert.deepEqual(checkReason(" runs CI\r\n for team a "), {
      ok: true,
      value: "runs CI for team a",
    });
    const rlo = checkReason("runs CI\u202Eevil");
    assert.equal(rlo.ok, false);
    assert.equal(!rlo.ok && rlo.problem.key, "validate.invisible");
    assert.equal(checkReason("x".repeat(MAX_REASON_LENGTH)).ok, true);
    const long = checkReason("x".repeat(MAX_REASON_LENGTH + 1));
    assert.equal(!long.ok && long.problem.key, "validate.reason.tooLong");
    assert.deepEqual(checkReason("ship it 🧑‍💻"), { ok: true, value: "ship it 🧑‍💻" });
  });

  it("reads a huge paste in one pass: a run of spaces is not rescanned from every position", () => {
    // The line joining must stay linear: a quadratic scan of 60,000 spaces holds the whole bot for seconds.
    const spaces = `a${" ".repeat(60_000)}b\n c`;
    const started = performance.now();
    const long = checkReason(spaces);
    const took = performance.now() - started;
    assert.equal(!long.ok && long.problem.key, "validate.reason.tooLong");
    assert.ok(took < 1000, `${Math.round(took)} ms`);
    assert.deepEqual(checkReason("a \n\n \t b\u2028c"), { ok: true, value: "a b c" });
  });
});
