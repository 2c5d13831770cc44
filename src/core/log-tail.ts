// The end of a node log, within a fixed size: a log's end holds the node's latest state, and its start is what a
// long-running node has the most of. Pure: never reads a file or the network; it never holds more than the cap.

/** How much of a node log is read: its last 2 MiB of UTF-8. Every way a log arrives is cut to this. */
export const MAX_LOG_BYTES = 2 * 1024 * 1024;

// biome-ignore lint/suspicious/noControlCharactersInRegex: any character beyond ASCII
const NON_ASCII = /[^\x00-\x7f]/;
const LF = 0x0a;
const CR = 0x0d;

/** A node log as it will be read: at most MAX_LOG_BYTES, from a line start; `truncated` when its start was cut. */
export interface NodeLog {
  text: string;
  truncated: boolean;
}

/**
 * The last MAX_LOG_BYTES of `text` (UTF-8), starting at a whole line: the line the cut falls in is dropped. Native
 * scans only (no loop over characters), so that cutting a long paste costs little next to reading it.
 */
export function logTail(text: string): NodeLog {
  // At most three UTF-8 bytes per UTF-16 unit (a surrogate pair: four for two): short texts need no counting.
  if (text.length <= MAX_LOG_BYTES / 3) return { text, truncated: false };
  // Every unit is at least one byte: the cut lies within the last MAX_LOG_BYTES units.
  const last = text.length > MAX_LOG_BYTES ? text.slice(-MAX_LOG_BYTES) : text;
  const before = last === text ? undefined : text.charCodeAt(text.length - last.length - 1);
  if (!NON_ASCII.test(last)) {
    // ASCII: one byte a unit, so `last` is the cut.
    if (before === undefined) return { text, truncated: false };
    return { text: last.slice(lineStartFrom(last, 0, before)), truncated: true };
  }
  return tailOfBytes(new TextEncoder().encode(last), before);
}

/**
 * Collects a log that arrives in pieces (a download, standard input, lines typed into the console) and keeps only
 * its end: it holds at most MAX_LOG_BYTES plus one piece, however long the log is. `finish()` gives what `logTail`
 * gives for the whole log. Given one byte more than MAX_LOG_BYTES of a longer file's end, it still sees whether the
 * cut falls right after a line end.
 */
export class TailBuffer {
  #pieces: Uint8Array[] = [];
  #held = 0;
  #received = 0;
  /** The last byte of what was let go, to tell whether the kept part starts a line. */
  #lastDropped: number | undefined;

  /** Bytes received so far, kept or not. */
  get received(): number {
    return this.#received;
  }

  /** Bytes held now. */
  get held(): number {
    return this.#held;
  }

  push(piece: Uint8Array): void {
    if (piece.length === 0) return;
    this.#received += piece.length;
    if (piece.length > MAX_LOG_BYTES) {
      // Cut at once, and copied, so that the large buffer is not kept alive.
      this.#pieces = [];
      this.#held = 0;
      this.#lastDropped = piece[piece.length - MAX_LOG_BYTES - 1];
      piece = piece.slice(piece.length - MAX_LOG_BYTES);
    }
    this.#pieces.push(piece);
    this.#held += piece.length;
    for (let first = this.#pieces[0]; first && this.#held - first.length >= MAX_LOG_BYTES; ) {
      this.#pieces.shift();
      this.#held -= first.length;
      this.#lastDropped = first[first.length - 1];
      first = this.#pieces[0];
    }
  }

  /** The log received so far, as text: its last MAX_LOG_BYTES, from a line start. */
  finish(): NodeLog {
    const all = new Uint8Array(this.#held);
    let at = 0;
    for (const piece of this.#pieces) {
      all.set(piece, at);
      at += piece.length;
    }
    return tailOfBytes(all, this.#lastDropped);
  }
}

/**
 * The last MAX_LOG_BYTES of `bytes` as text, from a line start. `before` is the byte (or character) that came before
 * `bytes`, if anything did. A cut inside a character leaves a replacement character: it goes with the partial line.
 */
function tailOfBytes(bytes: Uint8Array, before: number | undefined): NodeLog {
  const from = Math.max(0, bytes.length - MAX_LOG_BYTES);
  const previous = from > 0 ? bytes[from - 1] : before;
  const text = new TextDecoder().decode(bytes.subarray(from));
  if (previous === undefined) return { text, truncated: false };
  return { text: text.slice(lineStartFrom(text, 0, previous)), truncated: true };
}

/**
 * Where the first whole line at or after `at` starts. `at` is a cut: the line it falls in is partial, unless the cut
 * is right after a line end (LF, CRLF, or a lone CR; `previous` is what came before the cut). A last line with no end
 * at all is kept from the cut.
 */
function lineStartFrom(text: string, at: number, previous: number): number {
  if (previous === LF) return at;
  if (previous === CR) return text.charCodeAt(at) === LF ? at + 1 : at;
  const lf = text.indexOf("\n", at);
  const cr = text.indexOf("\r", at);
  const end = lf === -1 ? cr : cr === -1 ? lf : Math.min(lf, cr);
  if (end === -1) return at;
  return end === cr && text.charCodeAt(cr + 1) === LF ? end + 2 : end + 1;
}
