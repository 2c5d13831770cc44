import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { pino } from "pino";
import { MemoryStore } from "../src/adapters/store/memory.ts";
import { auditRecords } from "../src/core/audit.ts";
import { AuditRetention, PRUNE_EVERY_MS } from "../src/flows/audit-retention.ts";
import { sampleSession } from "./support/sessions.ts";

const DAY = 86_400_000;

describe("audit retention", () => {
  it("deletes the records older than CLAWSHAKE_AUDIT_DAYS on the tick, at most once an hour", async () => {
    const store = new MemoryStore();
    const now = 1_800_000_000_000;
    for (const [id, age] of [
      ["old", 31 * DAY],
      ["edge", 30 * DAY - 1],
      ["new", DAY],
    ] as const) {
      const s = sampleSession(id, now - age);
      await store.create(s, [], auditRecords(undefined, s, undefined));
    }
    const clock = { now: () => now };
    const retention = new AuditRetention(store, 30, clock, pino({ level: "silent" }));
    assert.equal(await retention.tick(), 1);
    assert.deepEqual(
      (await store.auditRecords()).map((r) => r.sessionId),
      ["edge", "new"],
    );

    // Within the hour the tick does not prune again, even though "edge" is now past its time.
    clock.now = () => now + PRUNE_EVERY_MS - 1;
    assert.equal(await retention.tick(), 0);
    assert.equal((await store.auditRecords()).length, 2);
    clock.now = () => now + PRUNE_EVERY_MS;
    assert.equal(await retention.tick(), 1);
    assert.deepEqual(
      (await store.auditRecords()).map((r) => r.sessionId),
      ["new"],
    );
  });
});
