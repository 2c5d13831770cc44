// The behaviour every SessionStore must have (memory, SQLite, Redis): one suite, run against each.

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import fc from "fast-check";
import { type AuditRecord, auditRecords } from "../../../src/core/audit.ts";
import type { SessionStore } from "../../../src/core/ports.ts";
import type { Effect } from "../../../src/core/types.ts";
import { bob } from "../../support/actors.ts";
import { sampleSession, TOKEN_VALUE } from "../../support/sessions.ts";

export function describeStore(name: string, make: () => Promise<SessionStore>): void {
  describe(`${name} store`, () => {
    let store: SessionStore;
    before(async () => {
      store = await make();
    });
    after(() => store.close());

    it("gives back a created session with its secrets", async () => {
      const session = sampleSession("a1");
      assert.equal(await store.create(session, [{ type: "card" }]), true);
      const loaded = await store.get("a1");
      assert.deepEqual({ ...loaded, secrets: {} }, { ...session, secrets: {} });
      assert.equal(loaded?.secrets.token?.reveal(), TOKEN_VALUE);
    });

    it("finds the sessions, ended or not, that enrolled given nodes", async () => {
      const connected = { ...sampleSession("n1"), stage: "connected" as const, nodeId: "node-a" };
      const live = { ...sampleSession("n2"), nodeId: "node-b" };
      await store.create(connected, []);
      await store.create(live, []);
      await store.create(sampleSession("n3"), []);
      const found = await store.enrolled(["node-a", "node-b", "node-z"]);
      assert.deepEqual(found.map((s) => s.id).sort(), ["n1", "n2"]);
      assert.deepEqual(await store.enrolled([]), []);
      assert.deepEqual(await store.enrolled(["node-z"]), []);
    });

    it("refuses to create a session whose id exists", async () => {
      assert.equal(await store.create(sampleSession("a1"), []), false);
    });

    it("writes only over the version it read (compare-and-set)", async () => {
      const session = sampleSession("a2");
      await store.create(session, []);
      const next = { ...session, version: 2, stage: "awaitingCredentials" as const };
      assert.equal(await store.commit(next, 1, [{ type: "card" }]), true);
      assert.equal(
        await store.commit({ ...session, version: 2 }, 1, [{ type: "probe", host: "x", port: 1 }]),
        false,
      );
      assert.equal((await store.get("a2"))?.stage, "awaitingCredentials");
      assert.deepEqual(
        (await store.pendingEffects("a2")).map((e) => e.effect.type),
        ["card"],
      );
    });

    it("lets exactly one of two concurrent writers win", async () => {
      const session = sampleSession("a3");
      await store.create(session, []);
      const results = await Promise.all([
        store.commit({ ...session, version: 2, displayName: "first" }, 1, []),
        store.commit({ ...session, version: 2, displayName: "second" }, 1, []),
      ]);
      assert.deepEqual(results.filter(Boolean).length, 1);
    });

    it("keeps the outbox in order until each effect is marked done", async () => {
      const session = sampleSession("a4");
      const effects: Effect[] = [
        { type: "card" },
        { type: "dm", to: session.nodeOperator, message: "credentials" },
        { type: "probe", host: "h", port: 2 },
      ];
      await store.create(session, effects);
      const pending = await store.pendingEffects("a4");
      assert.deepEqual(
        pending.map((e) => e.effect),
        effects,
      );
      await store.markDone(pending[0]?.id as string);
      assert.deepEqual(
        (await store.pendingEffects("a4")).map((e) => e.effect.type),
        ["dm", "probe"],
      );
      assert.ok((await store.pendingEffects()).some((e) => e.sessionId === "a4"));
    });

    it("lists only sessions that have not ended", async () => {
      const session = sampleSession("a5");
      await store.create(session, []);
      await store.commit({ ...session, version: 2, stage: "cancelled", secrets: {} }, 1, []);
      const active = (await store.active()).map((s) => s.id);
      assert.ok(active.includes("a1"));
      assert.ok(!active.includes("a5"));
    });

    it("counts live sessions and finds those whose time is up", async () => {
      const live = await store.countActive();
      assert.equal(live, (await store.active()).length);
      const session = sampleSession("d1");
      await store.create(session, []);
      assert.equal(await store.countActive(), live + 1);
      assert.ok(!(await store.due(session.expiresAt - 1)).some((s) => s.id === "d1"));
      assert.ok((await store.due(session.expiresAt)).some((s) => s.id === "d1"));
      const soon = {
        ...session,
        version: 2,
        stage: "linkSent" as const,
        setupLink: { setupId: "x", issuedAt: 0, expiresAt: session.expiresAt - 60_000, issued: 1 },
      };
      await store.commit(soon, 1, []);
      assert.ok(
        (await store.due(session.expiresAt - 60_000)).some((s) => s.id === "d1"),
        "a setup link expires first",
      );
      const rerun = {
        ...soon,
        version: 3,
        stage: "awaitingRerun" as const,
        rerunDueAt: session.expiresAt - 120_000,
      };
      await store.commit(rerun, 2, []);
      assert.ok(!(await store.due(rerun.rerunDueAt - 1)).some((s) => s.id === "d1"));
      assert.ok(
        (await store.due(rerun.rerunDueAt)).some((s) => s.id === "d1"),
        "the re-run reminder falls due first",
      );
      await store.commit({ ...soon, version: 4, stage: "cancelled", secrets: {} }, 3, []);
      assert.ok(
        !(await store.due(Number.MAX_SAFE_INTEGER - 1)).some((s) => s.id === "d1"),
        "an ended session is never due",
      );
    });

    it("finds live sessions by display name", async () => {
      assert.deepEqual(
        (await store.activeNamed("node-a1")).map((s) => s.id),
        ["a1"],
      );
      assert.deepEqual(await store.activeNamed("node-a5"), []);
      assert.deepEqual(await store.activeNamed("nobody"), []);
    });

    it("finds a live session under any name equal to its own after NFKC and case folding", async () => {
      await store.create({ ...sampleSession("k1"), displayName: "Café-Straße-１" }, []);
      for (const alike of ["café-straße-1", "CAFE\u0301-STRASSE-1", "ｃａｆé-strasse-1"])
        assert.deepEqual(
          (await store.activeNamed(alike)).map((s) => s.id),
          ["k1"],
          alike,
        );
      assert.deepEqual(await store.activeNamed("cafe-strasse-1"), [], "an accent is no case");
    });

    it("finds any live name under its upper case, lower case, NFD and NFKD forms", async () => {
      let n = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.string({ unit: "grapheme", minLength: 1, maxLength: 12 }),
          async (name) => {
            n += 1;
            const session = { ...sampleSession(`p${n}`), displayName: `p${n}-${name}` };
            await store.create(session, []);
            for (const form of [
              session.displayName.toUpperCase(),
              session.displayName.toLowerCase(),
              session.displayName.normalize("NFD"),
              session.displayName.normalize("NFKD"),
            ])
              assert.ok(
                (await store.activeNamed(form)).some((s) => s.id === session.id),
                JSON.stringify([session.displayName, form]),
              );
            await store.commit({ ...session, version: 2, stage: "cancelled", secrets: {} }, 1, []);
          },
        ),
        { numRuns: 40 },
      );
    });

    it("remembers where messages were sent, by key prefix", async () => {
      await store.putMessage("a1", "card", { platform: "console", chatId: "team", messageId: "1" });
      await store.putMessage("a1", "dm:credentials:console:bob#3", {
        platform: "console",
        chatId: "dm:bob",
        messageId: "2",
      });
      await store.putMessage("a1", "dm:rerun:console:bob#4", {
        platform: "console",
        chatId: "dm:bob",
        messageId: "3",
      });
      assert.deepEqual(
        (await store.messages("a1", "dm:credentials:")).map((m) => m.ref.messageId),
        ["2"],
      );
      assert.deepEqual(
        (await store.messages("a1", "card")).map((m) => m.key),
        ["card"],
      );
      assert.deepEqual(await store.messages("a2", "card"), []);
    });

    it("drops the secrets of a session whose secrets were cleared", async () => {
      const session = (await store.get("a1")) ?? sampleSession("a1");
      await store.commit(
        { ...session, version: session.version + 1, secrets: {} },
        session.version,
        [],
      );
      assert.deepEqual((await store.get("a1"))?.secrets, {});
    });

    it("keeps audit records with the change that made them, oldest first; a lost compare-and-set writes none", async () => {
      const session = sampleSession("au1", AUDIT_T0);
      const opened = auditRecords(undefined, session, undefined);
      assert.equal(await store.create(session, [], opened), true);
      assert.equal(await store.create(session, [], opened), false); // the id exists: nothing doubled
      const cancelled = {
        ...session,
        version: 2,
        stage: "cancelled" as const,
        updatedAt: AUDIT_T0 + 5000,
        secrets: {},
      };
      const ended = auditRecords(session, cancelled, { type: "cancel", actor: bob });
      assert.equal(await store.commit(cancelled, 1, [], ended), true);
      assert.equal(await store.commit({ ...cancelled, version: 3 }, 1, [], ended), false);
      const mine = (await store.auditRecords()).filter((r) => r.sessionId === "au1");
      assert.deepEqual(mine, [...opened, ...ended]);
      assert.deepEqual(
        mine.map((r) => r.kind),
        ["request", "ended"],
      );
      assert.ok(!JSON.stringify(await store.auditRecords()).includes(TOKEN_VALUE));
    });

    it("reads audit records from a time on, in the order they were written within one millisecond", async () => {
      const at = AUDIT_T0 + 60_000;
      const s = sampleSession("au2", at);
      const base = auditRecords(undefined, s, undefined)[0] as AuditRecord;
      const same = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11].map((n) => ({
        ...base,
        displayName: `n${n}`,
      }));
      await store.create(s, [], same);
      const since = await store.auditRecords(at);
      assert.deepEqual(
        since.map((r) => r.displayName),
        same.map((r) => r.displayName),
      );
      assert.ok((await store.auditRecords(at + 1)).every((r) => r.at > at));
    });

    it("appends a record that goes with no session change (a disconnection), in time order", async () => {
      const record: AuditRecord = {
        at: AUDIT_T0 + 30_000,
        sessionId: "au1",
        displayName: "node-au1",
        kind: "disconnected",
        by: { platform: "console", id: "alice", name: "alice" },
        nodeId: "dev-1",
      };
      await store.appendAudit([record]);
      const mine = (await store.auditRecords()).filter((r) => r.sessionId === "au1");
      assert.deepEqual(
        mine.map((r) => r.kind),
        ["request", "ended", "disconnected"],
      );
      assert.deepEqual(mine.at(-1), record);
    });

    it("deletes audit records older than a time, and only those", async () => {
      const old = sampleSession("au3", AUDIT_T0 - 86_400_000);
      await store.create(old, [], auditRecords(undefined, old, undefined));
      const before = (await store.auditRecords()).length;
      assert.equal(await store.pruneAudit(AUDIT_T0), 1);
      const left = await store.auditRecords();
      assert.equal(left.length, before - 1);
      assert.ok(left.every((r) => r.at >= AUDIT_T0));
      assert.equal(await store.pruneAudit(AUDIT_T0), 0);
    });
  });
}

const AUDIT_T0 = 1_800_000_000_000;
