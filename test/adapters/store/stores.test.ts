import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { after, describe, it } from "node:test";
import { MemoryStore } from "../../../src/adapters/store/memory.ts";
import { parseKey, Sealer, SecretKeeper } from "../../../src/adapters/store/seal.ts";
import { SqliteStore } from "../../../src/adapters/store/sqlite.ts";
import type { Session } from "../../../src/core/types.ts";
import { sampleSession, TOKEN_VALUE } from "../../support/sessions.ts";
import { describeStore } from "./store-suite.ts";

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "clawshake-store-"));
  dirs.push(dir);
  return dir;
}
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const KEY_A = parseKey("aa".repeat(32));
const KEY_B = parseKey("bb".repeat(32));

function filesText(dir: string): string {
  return readdirSync(dir)
    .map((name) => readFileSync(join(dir, name)).toString("latin1"))
    .join("\n");
}

describeStore("memory", async () => new MemoryStore());
describeStore(
  "sqlite",
  async () => new SqliteStore(join(tempDir(), "s.sqlite"), new SecretKeeper(new Sealer([KEY_A]))),
);

describe("the SQLite file", () => {
  it("finds sessions stored before names had a comparison key, under any form of their name", async () => {
    const dir = tempDir();
    const path = join(dir, "s.sqlite");
    const first = new SqliteStore(path, new SecretKeeper(new Sealer([KEY_A])));
    await first.create({ ...sampleSession("m1"), displayName: "Old-Node" }, []);
    await first.close();
    // The schema as it was: no name_key column, the index on display_name.
    const db = new DatabaseSync(path);
    db.exec("DROP INDEX IF EXISTS sessions_active_name_key");
    db.exec("ALTER TABLE sessions DROP COLUMN name_key");
    db.close();
    const second = new SqliteStore(path, new SecretKeeper(new Sealer([KEY_A])));
    assert.equal((await second.get("m1"))?.displayName, "Old-Node");
    assert.deepEqual(
      (await second.activeNamed("OLD-NODE")).map((s) => s.id),
      ["m1"],
    );
    await second.close();
  });

  it("keeps sessions and sealed secrets across a restart, and never the token in plain text", async () => {
    const dir = tempDir();
    const first = new SqliteStore(join(dir, "s.sqlite"), new SecretKeeper(new Sealer([KEY_A])));
    await first.create(sampleSession("r1"), [{ type: "card" }]);
    await first.close();
    assert.ok(!filesText(dir).includes(TOKEN_VALUE));
    const second = new SqliteStore(join(dir, "s.sqlite"), new SecretKeeper(new Sealer([KEY_A])));
    const loaded = await second.get("r1");
    assert.equal(loaded?.displayName, "node-r1");
    assert.equal(loaded?.secrets.token?.reveal(), TOKEN_VALUE);
    assert.equal((await second.pendingEffects("r1")).length, 1);
    await second.close();
  });

  it("without a sealing key, keeps secrets in memory only: they are gone after a restart", async () => {
    const dir = tempDir();
    const first = new SqliteStore(join(dir, "s.sqlite"), new SecretKeeper());
    await first.create(sampleSession("r2"), []);
    assert.equal((await first.get("r2"))?.secrets.token?.reveal(), TOKEN_VALUE);
    await first.close();
    assert.ok(!filesText(dir).includes(TOKEN_VALUE));
    const second = new SqliteStore(join(dir, "s.sqlite"), new SecretKeeper());
    assert.deepEqual((await second.get("r2"))?.secrets, {});
    await second.close();
  });

  it("opens secrets sealed with the previous key after a rotation, and re-seals them with the new one", async () => {
    const dir = tempDir();
    const old = new SqliteStore(join(dir, "s.sqlite"), new SecretKeeper(new Sealer([KEY_A])));
    await old.create(sampleSession("r3"), []);
    await old.close();
    const rotated = new SqliteStore(
      join(dir, "s.sqlite"),
      new SecretKeeper(new Sealer([KEY_B, KEY_A])),
    );
    assert.equal((await rotated.get("r3"))?.secrets.token?.reveal(), TOKEN_VALUE);
    assert.equal(await rotated.reseal(), 1);
    await rotated.close();
    const onlyNew = new SqliteStore(join(dir, "s.sqlite"), new SecretKeeper(new Sealer([KEY_B])));
    assert.equal((await onlyNew.get("r3"))?.secrets.token?.reveal(), TOKEN_VALUE);
    await onlyNew.close();
  });

  it("treats a secret sealed under a key no longer configured as lost: the session loads without it, reported once", async () => {
    const dir = tempDir();
    const store = new SqliteStore(join(dir, "s.sqlite"), new SecretKeeper(new Sealer([KEY_A])));
    await store.create(sampleSession("r4"), []);
    await store.create(sampleSession("r5"), []);
    await store.close();
    const lost: string[] = [];
    const wrong = new SqliteStore(
      join(dir, "s.sqlite"),
      new SecretKeeper(new Sealer([KEY_B]), { onLost: (id) => lost.push(id) }),
    );
    const loaded = await wrong.get("r4");
    assert.equal(loaded?.displayName, "node-r4");
    assert.deepEqual(loaded?.secrets, {}, "no secret, and never garbage");
    assert.deepEqual((await wrong.active()).map((s) => [s.id, s.secrets]).sort(), [
      ["r4", {}],
      ["r5", {}],
    ]);
    assert.equal((await wrong.due(Number.MAX_SAFE_INTEGER)).length, 2);
    assert.equal(await wrong.reseal(), 0, "nothing to re-seal: no key here opens them");
    assert.deepEqual(lost.sort(), ["r4", "r5"], "one report per session, however often it is read");
    // A write keeps the blob while the session lives (an instance that still has the key may need it) ...
    assert.equal(await wrong.commit({ ...(loaded as Session), version: 2 }, 1, []), true);
    await wrong.close();
    const withKey = new SqliteStore(join(dir, "s.sqlite"), new SecretKeeper(new Sealer([KEY_A])));
    assert.equal((await withKey.get("r4"))?.secrets.token?.reveal(), TOKEN_VALUE);
    await withKey.close();
    // ... and drops it when the session ends, so an ended session is no longer reported.
    const ending = new SqliteStore(join(dir, "s.sqlite"), new SecretKeeper(new Sealer([KEY_B])));
    const current = (await ending.get("r4")) as Session;
    const ended = { ...current, stage: "cancelled" as const, version: 3 };
    assert.equal(await ending.commit(ended, 2, []), true);
    await ending.close();
    const again: string[] = [];
    const restarted = new SqliteStore(
      join(dir, "s.sqlite"),
      new SecretKeeper(new Sealer([KEY_B]), { onLost: (id) => again.push(id) }),
    );
    await restarted.active();
    await restarted.get("r4");
    assert.deepEqual(again, ["r5"]);
    await restarted.close();
  });
});
