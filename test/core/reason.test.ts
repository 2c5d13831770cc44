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
});
