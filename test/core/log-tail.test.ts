import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { diagnose, diagnosisToJson } from "../../src/core/diagnose.ts";
import { logTail, MAX_LOG_BYTES, TailBuffer } from "../../src/core/log-tail.ts";
import { diagnosisView } from "../../src/core/views.ts";
import { NODE_LOG } from "../fixtures/node-logs.ts";

const utf8 = (text: string) => Buffer.byteLength(text, "utf8");

/** A node log of about `bytes` bytes: an old failure at its start, filler, then the node's latest state. */
function longLog(bytes: number, last: string): string {
  const filler = `[node] ${"x".repeat(91)}\n`; // 100 bytes
  return `${NODE_LOG.tokenMismatch}\n${filler.repeat(Math.ceil(bytes / filler.length))}${last}\n`;
}

describe("a node log longer than the cap", () => {
  it("is cut to its last lines and diagnosed from them, saying that its start was not read", () => {
    const log = longLog(3 * MAX_LOG_BYTES, NODE_LOG.connectionRefused);
    const result = diagnose(log);
    assert.equal(result.code, "CONNECTION_REFUSED");
    assert.equal(result.truncated, true);
    assert.deepEqual(
      result.findings.map((f) => f.code),
      ["CONNECTION_REFUSED"],
      "the token mismatch at the start was cut",
    );
    assert.equal(diagnosisToJson(result, "en").truncated, true);
    const view = diagnosisView(result, "en");
    assert.ok(view.blocks.some((b) => b.kind === "text" && b.text.includes("2 MB")));
  });

  it("starts at a whole line: the line the cap falls in is dropped, not read from its middle", () => {
    const last = `${NODE_LOG.connected}\n`;
    // One long line that the cap cuts in its middle; its end alone would read as CONNECTION_REFUSED.
    const straddling = `${"y".repeat(MAX_LOG_BYTES)} connect ECONNREFUSED 10.0.0.1:1\n`;
    const kept = `${"z".repeat(50)}\n${last}`;
    const cut = logTail(`${straddling}${kept}`);
    assert.equal(cut.truncated, true);
    assert.equal(cut.text, kept);
    assert.deepEqual(
      diagnose(`${straddling}${kept}`).findings.map((f) => [f.code, f.lineNumber]),
      [["CONNECTED", 2]],
    );
  });

  it("keeps a log at the cap whole", () => {
    const log = `${NODE_LOG.tokenMismatch}\n${"a".repeat(MAX_LOG_BYTES - 200)}\n`;
    assert.ok(utf8(log) <= MAX_LOG_BYTES);
    assert.deepEqual(logTail(log), { text: log, truncated: false });
    assert.equal(diagnose(log).truncated, undefined);
    assert.equal(diagnose(log).code, "TOKEN_MISMATCH");
  });

  it("counts the cap in UTF-8 bytes, whatever the script", () => {
    const line = `${"中文日志".repeat(20)}\n`;
    const log = line.repeat(Math.ceil((2 * MAX_LOG_BYTES) / utf8(line)));
    const cut = logTail(log);
    assert.equal(cut.truncated, true);
    assert.ok(utf8(cut.text) <= MAX_LOG_BYTES);
    assert.ok(utf8(cut.text) > MAX_LOG_BYTES - utf8(line));
    assert.ok(cut.text.startsWith("中文日志"));
  });

  it("keeps the same tail when the log arrives in pieces (a download), holding no more than the cap", () => {
    const log = longLog(3 * MAX_LOG_BYTES, NODE_LOG.pairingRequired);
    const bytes = Buffer.from(log);
    const tail = new TailBuffer();
    for (let at = 0; at < bytes.length; at += 65_536) {
      tail.push(bytes.subarray(at, at + 65_536));
      assert.ok(tail.held <= MAX_LOG_BYTES + 65_536, "memory stays bounded");
    }
    assert.equal(tail.received, bytes.length);
    assert.deepEqual(tail.finish(), logTail(log));
    const whole = new TailBuffer();
    whole.push(Buffer.from("short log\n"));
    assert.deepEqual(whole.finish(), { text: "short log\n", truncated: false });
  });
});
