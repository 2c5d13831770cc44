import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { RedisStore } from "../../../src/adapters/store/redis.ts";
import { parseKey, Sealer, SecretKeeper } from "../../../src/adapters/store/seal.ts";
import { type RedisServer, startRedis } from "../../support/redis-server.ts";
import { sampleSession, TOKEN_VALUE } from "../../support/sessions.ts";
import { describeStore } from "./store-suite.ts";

const keeper = () => new SecretKeeper(new Sealer([parseKey("cc".repeat(32))]));
let redis: RedisServer;
let prefixes = 0;

before(async () => {
  redis = await startRedis();
});
after(() => redis.stop());

describeStore(
  "redis",
  async () => new RedisStore(redis.url, keeper(), { prefix: `suite${++prefixes}:` }),
);

describe("two bot instances on one Redis", () => {
  let a: RedisStore;
  let b: RedisStore;
  before(() => {
    a = new RedisStore(redis.url, keeper(), { prefix: "shared:" });
    b = new RedisStore(redis.url, keeper(), { prefix: "shared:" });
  });
  after(async () => {
    await a.close();
    await b.close();
  });

  it("see each other's sessions, sealed: the token is not in Redis in plain text", async () => {
    await a.create(sampleSession("x1"), [{ type: "card" }]);
    assert.equal((await b.get("x1"))?.secrets.token?.reveal(), TOKEN_VALUE);
    const { Redis } = await import("ioredis");
    const raw = new Redis(redis.url);
    const dump = JSON.stringify(await raw.hgetall("shared:session:x1"));
    await raw.quit();
    assert.ok(dump.includes("node-x1"));
    assert.ok(!dump.includes(TOKEN_VALUE));
  });

  it("let only one of them write over the same version", async () => {
    const session = (await a.get("x1")) ?? sampleSession("x1");
    const [first, second] = await Promise.all([
      a.commit({ ...session, version: 2 }, 1, []),
      b.commit({ ...session, version: 2 }, 1, []),
    ]);
    assert.equal(Number(first) + Number(second), 1);
  });

  it("give a lease to one holder at a time, and to another once it lapses", async () => {
    assert.equal(await a.lease("gateway", "instance-a", 300), true);
    assert.equal(await b.lease("gateway", "instance-b", 300), false);
    assert.equal(await a.lease("gateway", "instance-a", 300), true);
    await new Promise((resolve) => setTimeout(resolve, 450));
    assert.equal(await b.lease("gateway", "instance-b", 300), true);
    assert.equal(await a.lease("gateway", "instance-a", 300), false);
  });
});

describe("an instance whose sealing key opens none of the stored secrets", () => {
  it("loads those sessions without their secret and reports each once, instead of failing", async () => {
    const sealedElsewhere = new RedisStore(redis.url, keeper(), { prefix: "rekeyed:" });
    await sealedElsewhere.create(sampleSession("k1"), []);
    await sealedElsewhere.close();
    const lost: string[] = [];
    const store = new RedisStore(
      redis.url,
      new SecretKeeper(new Sealer([parseKey("dd".repeat(32))]), { onLost: (id) => lost.push(id) }),
      { prefix: "rekeyed:" },
    );
    try {
      assert.deepEqual((await store.get("k1"))?.secrets, {});
      assert.deepEqual(
        (await store.active()).map((s) => s.id),
        ["k1"],
      );
      assert.deepEqual(lost, ["k1"]);
    } finally {
      await store.close();
    }
  });
});
