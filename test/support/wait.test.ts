// The waits of the end-to-end tests follow progress: they outlast a slow machine while the parts keep doing new
// things, and give up on parts that have stopped or only repeat themselves.
import assert from "node:assert/strict";
import { appendFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { Progress, waitFor } from "./wait.ts";

describe("waiting on progress", () => {
  it("counts new kinds of line only: numbers and ids do not make a line new, a repeated line is no progress", () => {
    let output = "";
    const dir = mkdtempSync(join(tmpdir(), "clawshake-wait-"));
    try {
      const log = join(dir, "bot.log");
      const progress = new Progress().text(() => output).file(log);
      output +=
        "node host gateway connect failed: device pairing required (requestId: 8e200352-5ecc-4d78-81aa-d8e71b9d14d3)\n";
      const first = progress.count();
      output +=
        "node host gateway connect failed: device pairing required (requestId: c80d5338-9e9e-42b2-8e86-2513cd671d2f)\n";
      output += "retry 2 at 10:00:03\nretry 3 at 10:00:07\nhalf a li";
      const repeats = progress.count();
      assert.equal(repeats, first + 1, "one new kind: the retry line");
      output += "ne\n";
      appendFileSync(log, '{"msg":"card posted"}\n{"msg":"card posted"}\n');
      assert.equal(progress.count(), repeats + 2, "the finished line and the log's line");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("waits past its idle period while something moves", async () => {
    let polls = 0;
    const started = Date.now();
    const value = await waitFor(
      () => Date.now() - started > 3000 && "done",
      "three seconds",
      undefined,
      { progress: () => polls++, idleMs: 1000 },
    );
    assert.equal(value, "done");
  });

  it("gives up once nothing has moved for its idle period, and says so", async () => {
    await assert.rejects(
      waitFor(
        () => false,
        "what never comes",
        () => "the screen",
        {
          progress: () => 1,
          idleMs: 200,
        },
      ),
      /timed out waiting for what never comes \(\d+ ms without progress\)\n--- seen:\nthe screen/,
    );
  });
});
