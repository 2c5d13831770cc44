import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MemoryStore } from "../../../src/adapters/store/memory.ts";
import { parseStartPayload } from "../../../src/adapters/telegram/ids.ts";
import { StartLinks } from "../../../src/adapters/telegram/links.ts";
import { sampleSession } from "../../support/sessions.ts";

const NOW = 1_700_000_000_000;

async function withSession(id = "sess1") {
  const store = new MemoryStore();
  const session = sampleSession(id, NOW);
  await store.create(session, []);
  let now = NOW + 1000;
  const links = new StartLinks(store, () => now);
  return { store, session, links, setNow: (t: number) => (now = t) };
}

describe("single-use /start links", () => {
  it("gives the same unspent link for one person until it is used, then a new one", async () => {
    const { links } = await withSession();
    const first = await links.payloadFor("sess1", "42");
    assert.equal(await links.payloadFor("sess1", "42"), first);
    assert.notEqual(await links.payloadFor("sess1", "43"), first, "each person has their own");
    assert.deepEqual(await links.redeem(first, "42"), {
      ok: true,
      sessionId: "sess1",
      nonce: parseStartPayload(first)?.nonce,
    });
    const next = await links.payloadFor("sess1", "42");
    assert.notEqual(next, first);
  });

  it("refuses a spent link, a link made for someone else, and a made-up one", async () => {
    const { links } = await withSession();
    const payload = await links.payloadFor("sess1", "42");
    assert.deepEqual(await links.redeem(payload, "99"), { ok: false, reason: "otherUser" });
    assert.equal((await links.redeem(payload, "42")).ok, true);
    assert.deepEqual(await links.redeem(payload, "42"), { ok: false, reason: "spent" });
    assert.deepEqual(await links.redeem(`sess1${"A".repeat(16)}`, "42"), {
      ok: false,
      reason: "unknown",
    });
    assert.deepEqual(await links.redeem("resume", "42"), { ok: false, reason: "malformed" });
  });

  it("ends with its session: refused once the session expired or finished", async () => {
    const { links, session, setNow, store } = await withSession();
    const payload = await links.payloadFor("sess1", "42");
    setNow(session.expiresAt);
    assert.deepEqual(await links.redeem(payload, "42"), { ok: false, reason: "ended" });
    setNow(NOW + 1000);
    await store.commit({ ...session, version: 2, stage: "cancelled" }, 1, []);
    assert.deepEqual(await links.redeem(payload, "42"), { ok: false, reason: "ended" });
  });
});
