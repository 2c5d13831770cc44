// Downloads a node log someone sent as a file (a Discord attachment, a Telegram document), keeping only its end.
// It never holds more than the cap, never reads past MAX_DOWNLOAD_BYTES, and never logs or returns the URL.

import { MAX_LOG_BYTES, type NodeLog, TailBuffer } from "../core/log-tail.ts";

/**
 * The most a download reads when the server sends the whole file instead of its end: Telegram's own limit for bots
 * (20 MB), twice Discord's default upload limit. Beyond it the file is refused as too large.
 */
export const MAX_DOWNLOAD_BYTES = 10 * MAX_LOG_BYTES;

export type LogDownload =
  | { ok: true; log: NodeLog }
  | { ok: false; reason: "tooLarge" }
  | { ok: false; reason: "unreadable"; status: number };

/**
 * Asks for the file's last bytes only (a suffix Range: Discord's CDN answers 206 with them), one more than the cap so
 * that a cut at a line end is seen as one. A server that sends the whole file (200) is read while keeping the tail,
 * and refused early by its Content-Length, or once it passes MAX_DOWNLOAD_BYTES.
 */
export async function downloadLog(
  url: URL | string,
  init: { signal: AbortSignal; redirect?: RequestInit["redirect"] },
): Promise<LogDownload> {
  const response = await fetch(url, {
    headers: { range: `bytes=-${MAX_LOG_BYTES + 1}` },
    redirect: init.redirect ?? "follow",
    signal: init.signal,
  });
  // An empty file has no last bytes: servers answer 416 Range Not Satisfiable.
  if (response.status === 416) {
    await response.body?.cancel();
    return { ok: true, log: { text: "", truncated: false } };
  }
  if (!response.ok) {
    await response.body?.cancel();
    return { ok: false, reason: "unreadable", status: response.status };
  }
  const length = Number(response.headers.get("content-length") ?? Number.NaN);
  if (length > MAX_DOWNLOAD_BYTES) {
    await response.body?.cancel();
    return { ok: false, reason: "tooLarge" };
  }
  const tail = new TailBuffer();
  if (response.body) {
    const reader = response.body.getReader();
    try {
      for (let read = await reader.read(); !read.done; read = await reader.read()) {
        tail.push(read.value);
        if (tail.received > MAX_DOWNLOAD_BYTES) return { ok: false, reason: "tooLarge" };
      }
    } finally {
      // Stops the transfer when we leave early (too large, or an error); a no-op once the body has ended.
      await reader.cancel().catch(() => undefined);
    }
  }
  return { ok: true, log: tail.finish() };
}
