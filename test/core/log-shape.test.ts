import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { looksLikeNodeLog } from "../../src/core/log-shape.ts";
import { NODE_LOG, REPORTED_NODE_LOG } from "../fixtures/node-logs.ts";

describe("looksLikeNodeLog: a pasted node log, or a chat message", () => {
  it("takes every line the node prints for an outcome as a log", () => {
    for (const [name, line] of Object.entries({ ...NODE_LOG, ...REPORTED_NODE_LOG }))
      assert.ok(looksLikeNodeLog(line), name);
  });

  it("takes OpenClaw output that names no known outcome as a log", () => {
    for (const text of [
      "node host gateway connecting to wss://gw.example.com:18789",
      "2026-09-06T10:12:33.120Z starting",
      "Error: read ECONNRESET\n    at TLSWrap.onStreamRead (node:internal/stream_base_commons:216:20)",
      "closed (1006) detail=AUTH_RATE_LIMITED",
      'TypeError: fetch failed\n{"level":50,"msg":"boom"}',
      `hi\n${"chatter\n".repeat(1000)}${NODE_LOG.tlsExpected}`,
    ])
      assert.ok(looksLikeNodeLog(text), text.slice(0, 60));
  });

  it("does not take chit-chat, a question or an empty message as a log", () => {
    for (const text of [
      "",
      "hi",
      "hello bot, what do you do?",
      "How do I connect my OpenClaw node to the gateway?",
      "thanks!\nsee you tomorrow",
      "你好,这个机器人能做什么?",
      "/start",
    ])
      assert.equal(looksLikeNodeLog(text), false, text);
  });
});
