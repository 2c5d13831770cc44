// Waiting for something asynchronous to show up, for as long as the parts involved keep doing new things: a wait fails
// when nothing new has happened for a generous idle period (or after a long overall bound), never only because a
// loaded machine is slower than the one the test was written on. Its failure says what was seen instead.

import { closeSync, openSync, readSync } from "node:fs";

/** How patient a wait is. Without `progress`, `idleMs` is a plain deadline. */
export interface Patience {
  /** Anything that changes whenever the parts involved make progress (see `Progress.count`). */
  progress?: () => unknown;
  /** How long nothing may change before the wait fails. Default 15 s. */
  idleMs?: number;
  /** The overall bound, however much changes. Default 10 × idleMs. */
  maxMs?: number;
}

export async function waitFor<T>(
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
  seen?: () => string,
  patience: Patience = {},
): Promise<T> {
  const idleMs = patience.idleMs ?? 15_000;
  const started = Date.now();
  const deadline = started + (patience.maxMs ?? 10 * idleMs);
  let mark = patience.progress?.();
  let movedAt = started;
  for (;;) {
    const value = await probe();
    if (value) return value;
    const now = Date.now();
    const current = patience.progress?.();
    if (current !== mark) {
      mark = current;
      movedAt = now;
    }
    if (now - movedAt > idleMs || now > deadline) {
      const why =
        now > deadline
          ? `${now - started} ms in all`
          : `${now - movedAt} ms without progress${patience.progress ? "" : " (nothing to follow)"}`;
      throw new Error(
        `timed out waiting for ${what} (${why})${seen ? `\n--- seen:\n${seen()}` : ""}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * How much the parts of a test have done: the number of distinct kinds of line (numbers and ids ignored, so
 * timestamps, ports, counters and request ids do not make a line new) that its sources have written. It grows while they do new things (start up,
 * connect, pair, send a message) and stays put while they only repeat themselves (a retry loop, a poller), so a wait
 * that follows it outlasts a slow machine but not a stuck handshake.
 */
export class Progress {
  readonly #kinds = new Set<string>();
  readonly #texts: { read: () => string; offset: number }[] = [];
  readonly #files: { path: string; offset: number; rest: string }[] = [];

  /** Follows a text that only grows (a process's output, a transcript). */
  text(read: () => string): this {
    this.#texts.push({ read, offset: 0 });
    return this;
  }

  /** Follows a file that only grows (a log), reading only what was appended. */
  file(path: string): this {
    this.#files.push({ path, offset: 0, rest: "" });
    return this;
  }

  /** The distinct kinds of line seen so far, after taking in what the sources wrote since the last call. */
  count(): number {
    for (const source of this.#texts) {
      const text = source.read();
      const end = text.lastIndexOf("\n") + 1;
      if (end > source.offset) {
        this.#take(text.slice(source.offset, end));
        source.offset = end;
      }
    }
    for (const source of this.#files) {
      const added = appended(source.path, source.offset);
      source.offset += added.length;
      const text = source.rest + added.toString("utf8");
      const end = text.lastIndexOf("\n") + 1;
      this.#take(text.slice(0, end));
      source.rest = text.slice(end);
    }
    return this.#kinds.size;
  }

  #take(lines: string): void {
    for (const line of lines.split("\n")) this.#kinds.add(line.replace(SAMENESS, "#").trim());
  }
}

// What may differ between two lines that say the same thing: numbers (times, ports, counts) and ids (hex, UUIDs).
const SAMENESS = /[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}|[0-9a-f]{6,}|\d+/gi;

function appended(path: string, offset: number): Buffer {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch {
    return Buffer.alloc(0); // not written yet
  }
  try {
    const chunks: Buffer[] = [];
    for (let at = offset; ; ) {
      const chunk = Buffer.alloc(256 * 1024);
      const read = readSync(fd, chunk, 0, chunk.length, at);
      if (read === 0) break;
      chunks.push(chunk.subarray(0, read));
      at += read;
    }
    return Buffer.concat(chunks);
  } finally {
    closeSync(fd);
  }
}
