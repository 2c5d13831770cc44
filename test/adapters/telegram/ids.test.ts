import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  callbackData,
  deepLink,
  MAX_CALLBACK_DATA_BYTES,
  parseCallbackData,
  parseStartPayload,
  startPayload,
} from "../../../src/adapters/telegram/ids.ts";
import { ACTIONS } from "../../../src/core/actions.ts";
import { deviceSubject } from "../../../src/core/subject.ts";
import { newSessionId } from "../../../src/main.ts";

describe("Telegram callback data and deep-link payloads", () => {
  it("encodes every action of a real session id within 64 bytes and reads it back", () => {
    const sessionId = newSessionId();
    const seen = new Set<string>();
    for (const action of ACTIONS) {
      const data = callbackData(sessionId, action);
      assert.ok(Buffer.byteLength(data) <= MAX_CALLBACK_DATA_BYTES);
      assert.deepEqual(parseCallbackData(data), { sessionId, action });
      seen.add(data);
    }
    assert.equal(seen.size, ACTIONS.length, "two actions share a code");
  });

  it("carries the request an approval button was drawn for, and only on approval buttons", () => {
    const sessionId = newSessionId();
    const target = deviceSubject({
      requestId: "r",
      deviceId: "d",
      remoteIp: "10.0.0.2",
      seenAt: 0,
    });
    for (const action of [
      "approveDevice",
      "rejectDevice",
      "approveCapability",
      "rejectCapability",
    ] as const) {
      const data = callbackData(sessionId, action, target);
      assert.ok(Buffer.byteLength(data) <= MAX_CALLBACK_DATA_BYTES);
      assert.deepEqual(parseCallbackData(data), { sessionId, action, target });
    }
    assert.equal(parseCallbackData(`${sessionId}:cl:${target}`), undefined, "a target on a claim");
    assert.equal(parseCallbackData(`${sessionId}:ad:a b`), undefined);
    assert.equal(parseCallbackData(`${sessionId}:ad:${target}:x`), undefined);
  });

  it("refuses to build callback data over 64 bytes, and ignores data it did not make", () => {
    assert.throws(() => callbackData("s".repeat(62), "cancel"), /64 bytes/);
    for (const junk of [undefined, "", "abc", ":cl", "abc:zz", "abc:"])
      assert.equal(parseCallbackData(junk), undefined);
  });

  it("carries a session id and a 16-character nonce in a /start payload Telegram accepts", () => {
    const sessionId = newSessionId();
    const payload = startPayload(sessionId, "n0nce_n0nce-n0nc");
    assert.match(payload, /^[A-Za-z0-9_-]{1,64}$/);
    assert.deepEqual(parseStartPayload(payload), { sessionId, nonce: "n0nce_n0nce-n0nc" });
    assert.equal(deepLink("clawshake_bot", payload), `https://t.me/clawshake_bot?start=${payload}`);
  });

  it("refuses payloads that are too short, too long or have other characters", () => {
    assert.equal(parseStartPayload("resume"), undefined);
    assert.equal(parseStartPayload("a".repeat(65)), undefined);
    assert.equal(parseStartPayload(`abc${"x".repeat(15)}!`), undefined);
    assert.throws(() => startPayload("a b", "n0nce_n0nce-n0nc"));
    assert.throws(() => startPayload("abc", "short"));
  });
});
