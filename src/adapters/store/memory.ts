// Sessions in this process's memory: for tests and one-off console runs.
// Same compare-and-set and outbox semantics as the SQLite and Redis stores; nothing survives a restart.

import { type AuditRecord, oldestFirst } from "../../core/audit.ts";
import { dueAt } from "../../core/machine.ts";
import type { MessageRef, OutboxEntry, SessionStore } from "../../core/ports.ts";
import { type Effect, isTerminal, type Session } from "../../core/types.ts";
import { displayNameKey } from "../../core/validate.ts";
import { fromStored, SecretKeeper, toStored } from "./seal.ts";

export class MemoryStore implements SessionStore {
  /** Stored as JSON, as the other stores do, so a caller never shares an object with the store. */
  readonly #sessions = new Map<string, { json: string; version: number; terminal: boolean }>();
  readonly #secrets = new SecretKeeper();
  readonly #outbox: (OutboxEntry & { done: boolean })[] = [];
  readonly #messages = new Map<string, MessageRef>();
  /** As JSON, like the sessions. */
  #audit: { at: number; json: string }[] = [];
  #seq = 0;

  async create(session: Session, effects: Effect[], audit: AuditRecord[] = []): Promise<boolean> {
    if (this.#sessions.has(session.id)) return false;
    this.#put(session);
    this.#enqueue(session.id, effects);
    this.#record(audit);
    return true;
  }

  async get(id: string): Promise<Session | undefined> {
    const row = this.#sessions.get(id);
    return row && fromStored(row.json, this.#secrets.get(id, null));
  }

  async commit(
    session: Session,
    expectedVersion: number,
    effects: Effect[],
    audit: AuditRecord[] = [],
  ): Promise<boolean> {
    if (this.#sessions.get(session.id)?.version !== expectedVersion) return false;
    this.#put(session);
    this.#enqueue(session.id, effects);
    this.#record(audit);
    return true;
  }

  async auditRecords(since = Number.NEGATIVE_INFINITY): Promise<AuditRecord[]> {
    return oldestFirst(
      this.#audit.filter((r) => r.at >= since).map((r) => JSON.parse(r.json) as AuditRecord),
    );
  }

  async appendAudit(records: AuditRecord[]): Promise<void> {
    this.#record(records);
  }

  async pruneAudit(before: number): Promise<number> {
    const kept = this.#audit.filter((r) => r.at >= before);
    const removed = this.#audit.length - kept.length;
    this.#audit = kept;
    return removed;
  }

  async active(): Promise<Session[]> {
    return [...this.#sessions]
      .filter(([, row]) => !row.terminal)
      .map(([id, row]) => fromStored(row.json, this.#secrets.get(id, null)));
  }

  async enrolled(nodeIds: readonly string[]): Promise<Session[]> {
    const wanted = new Set(nodeIds);
    return [...this.#sessions]
      .map(([id, row]) => fromStored(row.json, this.#secrets.get(id, null)))
      .filter((s) => s.nodeId !== undefined && wanted.has(s.nodeId));
  }

  async countActive(): Promise<number> {
    return (await this.active()).length;
  }

  async due(now: number): Promise<Session[]> {
    return (await this.active()).filter((s) => dueAt(s) <= now);
  }

  async activeNamed(displayName: string): Promise<Session[]> {
    const key = displayNameKey(displayName);
    return (await this.active()).filter((s) => displayNameKey(s.displayName) === key);
  }

  async pendingEffects(sessionId?: string): Promise<OutboxEntry[]> {
    return this.#outbox
      .filter((e) => !e.done && (sessionId === undefined || e.sessionId === sessionId))
      .map(({ done: _done, ...entry }) => structuredClone(entry));
  }

  async markDone(entryId: string): Promise<void> {
    const entry = this.#outbox.find((e) => e.id === entryId);
    if (entry) entry.done = true;
  }

  async putMessage(sessionId: string, key: string, ref: MessageRef): Promise<void> {
    this.#messages.set(`${sessionId}\u0000${key}`, ref);
  }

  async messages(
    sessionId: string,
    keyPrefix: string,
  ): Promise<{ key: string; ref: MessageRef }[]> {
    const prefix = `${sessionId}\u0000${keyPrefix}`;
    return [...this.#messages]
      .filter(([k]) => k.startsWith(prefix))
      .map(([k, ref]) => ({ key: k.slice(sessionId.length + 1), ref }));
  }

  async close(): Promise<void> {}

  #put(session: Session): void {
    this.#secrets.put(session);
    this.#sessions.set(session.id, {
      json: toStored(session),
      version: session.version,
      terminal: isTerminal(session.stage),
    });
  }

  #record(audit: AuditRecord[]): void {
    for (const record of audit) this.#audit.push({ at: record.at, json: JSON.stringify(record) });
  }

  #enqueue(sessionId: string, effects: Effect[]): void {
    for (const effect of effects) {
      this.#seq += 1;
      this.#outbox.push({
        id: String(this.#seq),
        sessionId,
        seq: this.#seq,
        effect: structuredClone(effect),
        done: false,
      });
    }
  }
}
