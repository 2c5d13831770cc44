import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  containsSecret,
  leakNotice,
  ROTATE_TOKEN,
} from "../../../src/adapters/discord/leak-guard.ts";
import { renderMessages } from "../../../src/adapters/discord/render.ts";
import { Secret } from "../../../src/core/secret.ts";

const TOKEN = "tok_5f2b8c9d0e1a4b3c8d7e6f5a4b3c2d1e";

describe("the leak guard", () => {
  it("finds a live secret anywhere in a message, and nothing else", () => {
    const secrets = [new Secret(TOKEN), new Secret("oc-pair-code-abcdef")];
    assert.ok(containsSecret(`here you go: ${TOKEN}!`, secrets));
    assert.ok(containsSecret("oc-pair://oc-pair-code-abcdef", secrets));
    assert.ok(!containsSecret(TOKEN.slice(0, -1), secrets), "part of a token is no token");
    assert.ok(!containsSecret("hello", [new Secret("hel")]), "too short to tell from a word");
    assert.ok(!containsSecret("anything", []));
  });

  it("tells the channel how to rotate the token with the real openclaw commands, in both languages", () => {
    assert.equal(
      ROTATE_TOKEN,
      'openclaw config set gateway.auth.token "$(openssl rand -hex 32)"\nopenclaw gateway restart',
    );
    for (const lang of ["en", "zh-CN"] as const) {
      const view = leakNotice(lang, "1234567890");
      const [message] = renderMessages(view, { lang });
      const text = JSON.stringify(message);
      assert.ok(text.includes("openclaw config set gateway.auth.token"));
      assert.ok(text.includes("```bash"));
      assert.ok(text.includes("<@1234567890>"));
      assert.equal(view.tone, "danger");
    }
  });
});
