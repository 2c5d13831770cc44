// Sessions in Redis (ioredis), for several bot instances sharing one state; the same compare-and-set and outbox as SQLite.
// Each write is one Lua script, so a session and its effects change together or not at all. Secrets are sealed first.

import { Redis } from "ioredis";
import type { AuditRecord } from "../../core/audit.ts";
import type { MessageRef, OutboxEntry, SessionStore } from "../../core/ports.ts";
import { type Effect, isTerminal, type Session } from "../../core/types.ts";
import { displayNameKey } from "../../core/validate.ts";
import { fromStored, type SecretKeeper, storedDueAt, toStored } from "./seal.ts";

/**
 * KEYS[1] session hash, KEYS[2] active set, KEYS[3] outbox zset, KEYS[4] the session's outbox zset, KEYS[5] seq counter,
 * KEYS[6] effect hash, KEYS[7] due zset, KEYS[8] audit zset. ARGV: id, expected version ("" to create), version,
 * terminal, data, sealed, due time, the number of effects, one JSON text per effect (kept as the text it is, never
 * re-encoded by Lua), then for each audit record its time and its JSON text. An audit member is its sequence number,
 * zero-padded so that records of the same millisecond sort in the order they were written, a "|" and the record.
 */
const WRITE = `
local current = redis.call('HGET', KEYS[1], 'version')
if ARGV[2] == '' then
  if current then return 0 end
else
  if current ~= ARGV[2] then return 0 end
end
redis.call('HSET', KEYS[1], 'version', ARGV[3], 'terminal', ARGV[4], 'data', ARGV[5])
if ARGV[6] == '' then redis.call('HDEL', KEYS[1], 'sealed') else redis.call('HSET', KEYS[1], 'sealed', ARGV[6]) end
if ARGV[4] == '1' then
  redis.call('SREM', KEYS[2], ARGV[1])
  redis.call('ZREM', KEYS[7], ARGV[1])
else
  redis.call('SADD', KEYS[2], ARGV[1])
  redis.call('ZADD', KEYS[7], ARGV[7], ARGV[1])
end
local last = 8 + tonumber(ARGV[8])
for i = 9, last do
  local seq = redis.call('INCR', KEYS[5])
  redis.call('HSET', KEYS[6], seq, '{"session":' .. cjson.encode(ARGV[1]) .. ',"effect":' .. ARGV[i] .. '}')
  redis.call('ZADD', KEYS[3], seq, seq)
  redis.call('ZADD', KEYS[4], seq, seq)
end
for i = last + 1, #ARGV, 2 do
  local seq = redis.call('INCR', KEYS[5])
  redis.call('ZADD', KEYS[8], ARGV[i], string.format('%016d', seq) .. '|' .. ARGV[i + 1])
end
return 1
`;

/** KEYS[1] seq counter, KEYS[2] audit zset; ARGV: time and JSON text of each record. Members as in WRITE. */
const APPEND_AUDIT = `
for i = 1, #ARGV, 2 do
  local seq = redis.call('INCR', KEYS[1])
  redis.call('ZADD', KEYS[2], ARGV[i], string.format('%016d', seq) .. '|' .. ARGV[i + 1])
end
return 1
`;

/** Renews a lease only if this instance still holds it. */
const RENEW = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`;

export class RedisStore implements SessionStore {
  readonly #redis: Redis;
  readonly #secrets: SecretKeeper;
  readonly #prefix: string;

  constructor(url: string, secrets: SecretKeeper, options: { prefix?: string } = {}) {
    this.#redis = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 3 });
    this.#secrets = secrets;
    this.#prefix = options.prefix ?? "clawshake:";
  }

  async create(session: Session, effects: Effect[], audit: AuditRecord[] = []): Promise<boolean> {
    return this.#write(session, "", effects, audit);
  }

  async get(id: string): Promise<Session | undefined> {
    const row = await this.#redis.hmget(this.#key("session", id), "data", "sealed");
    if (!row[0]) return undefined;
    return fromStored(row[0], this.#secrets.get(id, row[1] ?? null));
  }

  async commit(
    session: Session,
    expectedVersion: number,
    effects: Effect[],
    audit: AuditRecord[] = [],
  ): Promise<boolean> {
    return this.#write(session, String(expectedVersion), effects, audit);
  }

  async auditRecords(since?: number): Promise<AuditRecord[]> {
    const members = await this.#redis.zrangebyscore(
      this.#key("audit"),
      since === undefined ? "-inf" : String(since),
      "+inf",
    );
    return members.map((m) => JSON.parse(m.slice(m.indexOf("|") + 1)) as AuditRecord);
  }

  async appendAudit(records: AuditRecord[]): Promise<void> {
    if (records.length === 0) return;
    await this.#redis.eval(
      APPEND_AUDIT,
      2,
      this.#key("seq"),
      this.#key("audit"),
      ...records.flatMap((record) => [String(record.at), JSON.stringify(record)]),
    );
  }

  async pruneAudit(before: number): Promise<number> {
    // One range removal on the sorted set's scores, however many records are kept.
    return this.#redis.zremrangebyscore(this.#key("audit"), "-inf", `(${before}`);
  }

  async active(): Promise<Session[]> {
    const ids = await this.#redis.smembers(this.#key("active"));
    const sessions = await Promise.all(ids.map((id) => this.get(id)));
    return sessions.filter((s): s is Session => s !== undefined && !isTerminal(s.stage));
  }

  /**
   * Ended sessions leave the active set, and no index keeps them by node: this scans the session hashes. /nodes asks
   * now and then, by a person; the bot's own loops never call it.
   */
  async enrolled(nodeIds: readonly string[]): Promise<Session[]> {
    if (nodeIds.length === 0) return [];
    const wanted = new Set(nodeIds);
    const found: Session[] = [];
    const prefix = this.#key("session", "");
    let cursor = "0";
    do {
      const [next, keys] = await this.#redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
      cursor = next;
      for (const key of keys) {
        const session = await this.get(key.slice(prefix.length));
        if (session?.nodeId !== undefined && wanted.has(session.nodeId)) found.push(session);
      }
    } while (cursor !== "0");
    return found;
  }

  async countActive(): Promise<number> {
    return this.#redis.scard(this.#key("active"));
  }

  async due(now: number): Promise<Session[]> {
    const ids = await this.#redis.zrangebyscore(this.#key("due"), "-inf", String(now));
    const sessions = await Promise.all(ids.map((id) => this.get(id)));
    return sessions.filter((s): s is Session => s !== undefined && !isTerminal(s.stage));
  }

  async activeNamed(displayName: string): Promise<Session[]> {
    const key = displayNameKey(displayName);
    return (await this.active()).filter((s) => displayNameKey(s.displayName) === key);
  }

  async pendingEffects(sessionId?: string): Promise<OutboxEntry[]> {
    const seqs = await this.#redis.zrange(
      sessionId === undefined ? this.#key("outbox") : this.#key("outbox", sessionId),
      "0",
      "-1",
    );
    if (seqs.length === 0) return [];
    const rows = await this.#redis.hmget(this.#key("effects"), ...seqs);
    return seqs.flatMap((seq, i) => {
      const row = rows[i];
      if (!row) return [];
      const { session, effect } = JSON.parse(row) as { session: string; effect: Effect };
      return [{ id: seq, sessionId: session, seq: Number(seq), effect }];
    });
  }

  async markDone(entryId: string): Promise<void> {
    const row = await this.#redis.hget(this.#key("effects"), entryId);
    if (!row) return;
    const { session } = JSON.parse(row) as { session: string };
    await this.#redis
      .multi()
      .zrem(this.#key("outbox"), entryId)
      .zrem(this.#key("outbox", session), entryId)
      .hdel(this.#key("effects"), entryId)
      .exec();
  }

  async putMessage(sessionId: string, key: string, ref: MessageRef): Promise<void> {
    await this.#redis.hset(this.#key("messages", sessionId), key, JSON.stringify(ref));
  }

  async messages(
    sessionId: string,
    keyPrefix: string,
  ): Promise<{ key: string; ref: MessageRef }[]> {
    const all = await this.#redis.hgetall(this.#key("messages", sessionId));
    return Object.entries(all)
      .filter(([key]) => key.startsWith(keyPrefix))
      .map(([key, ref]) => ({ key, ref: JSON.parse(ref) as MessageRef }));
  }

  /**
   * Takes or renews a lease (e.g. "gateway": who holds the gateway connection). Returns true while this instance
   * holds it; a holder that dies loses it after `ttlMs`.
   */
  async lease(name: string, holder: string, ttlMs: number): Promise<boolean> {
    const key = this.#key("lease", name);
    if ((await this.#redis.set(key, holder, "PX", ttlMs, "NX")) === "OK") return true;
    return (await this.#redis.eval(RENEW, 1, key, holder, String(ttlMs))) === 1;
  }

  async claim(entryId: string, holder: string, ttlMs: number): Promise<boolean> {
    const key = this.#key("claim", entryId);
    if ((await this.#redis.set(key, holder, "PX", ttlMs, "NX")) === "OK") return true;
    return (await this.#redis.get(key)) === holder;
  }

  async close(): Promise<void> {
    if (this.#redis.status !== "end")
      await this.#redis.quit().catch(() => this.#redis.disconnect());
  }

  async #write(
    session: Session,
    expectedVersion: string,
    effects: Effect[],
    audit: AuditRecord[],
  ): Promise<boolean> {
    const id = session.id;
    const result = await this.#redis.eval(
      WRITE,
      8,
      this.#key("session", id),
      this.#key("active"),
      this.#key("outbox"),
      this.#key("outbox", id),
      this.#key("seq"),
      this.#key("effects"),
      this.#key("due"),
      this.#key("audit"),
      id,
      expectedVersion,
      String(session.version),
      isTerminal(session.stage) ? "1" : "0",
      toStored(session),
      this.#secrets.put(session) ?? "",
      String(storedDueAt(session)),
      String(effects.length),
      ...effects.map((effect) => JSON.stringify(effect)),
      ...audit.flatMap((record) => [String(record.at), JSON.stringify(record)]),
    );
    return result === 1;
  }

  #key(...parts: string[]): string {
    return `${this.#prefix}${parts.join(":")}`;
  }
}
