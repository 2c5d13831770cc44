// Runs the bot's handling of updates off grammY's update loop: in order within a chat, in parallel across chats.
// A handshake step can take seconds (a TLS check, the gateway); one slow chat must not hold up the others.

/** Tasks with the same key run one after another; `settled()` waits for every task started so far. */
export class SerialWork {
  readonly #tails = new Map<string, Promise<void>>();
  readonly #running = new Set<Promise<void>>();

  /** Queues `task` behind the earlier tasks of `key`; a failure goes to `onError` and does not stop the queue. */
  run(key: string, task: () => Promise<void>, onError: (error: unknown) => void): void {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const next = previous.then(task).catch(onError);
    this.#tails.set(key, next);
    this.#running.add(next);
    void next.finally(() => {
      this.#running.delete(next);
      if (this.#tails.get(key) === next) this.#tails.delete(key);
    });
  }

  /** Runs `task` after the earlier tasks of `key` and returns its result (a lock for one message). */
  exclusive<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const result = previous.then(task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.#tails.set(key, tail);
    void tail.finally(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return result;
  }

  /** Resolves once every task queued so far, and every task those queued, has finished. */
  async settled(): Promise<void> {
    while (this.#running.size > 0) await Promise.all([...this.#running]);
  }
}
