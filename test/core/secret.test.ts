import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { format, inspect } from "node:util";
import { Secret } from "../../src/core/secret.ts";

describe("Secret", () => {
  const secret = new Secret("tok_very_secret");

  it("reveals its value only when asked", () => {
    assert.equal(secret.reveal(), "tok_very_secret");
  });

  it("redacts itself in strings, JSON, util.inspect and format", () => {
    for (const text of [
      String(secret),
      `${secret}`,
      JSON.stringify({ token: secret }),
      inspect({ nested: { secret } }),
      format("%s %o %j", secret, secret, { secret }),
    ])
      assert.ok(!text.includes("tok_very_secret"), text);
  });

  it("compares by value", () => {
    assert.ok(secret.equals(new Secret("tok_very_secret")));
    assert.ok(!secret.equals(new Secret("other")));
    assert.ok(!secret.equals(undefined));
  });
});
