// How the fakes serve a file's bytes as a CDN does: a single Range (`bytes=a-b`, `bytes=a-`, `bytes=-n`) gets 206
// with Content-Range, one that cannot be met 416, anything else the whole file; and how many bytes went out.
// Only for the fakes' file downloads: it never reads a request body.

import type { IncomingMessage, ServerResponse } from "node:http";

/** One download a fake answered: which file, the Range asked for (if any), and the bytes it sent. */
export interface ServedDownload {
  file: string;
  range?: string;
  bytes: number;
}

/** Answers a GET for `content`, honouring a single byte range as Discord's CDN and most HTTP servers do. */
export function serveBytes(
  req: IncomingMessage,
  res: ServerResponse,
  content: Buffer,
  contentType: string,
): number {
  const size = content.length;
  const range = requestedRange(req.headers.range, size);
  if (range === "unsatisfiable") {
    res.writeHead(416, { "content-range": `bytes */${size}` });
    res.end();
    return 0;
  }
  const body = range ? content.subarray(range.start, range.end + 1) : content;
  res.writeHead(range ? 206 : 200, {
    "content-type": contentType,
    "content-length": String(body.length),
    "accept-ranges": "bytes",
    ...(range ? { "content-range": `bytes ${range.start}-${range.end}/${size}` } : {}),
  });
  res.end(body);
  return body.length;
}

function requestedRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | "unsatisfiable" | undefined {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header?.trim() ?? "");
  if (!match || (match[1] === "" && match[2] === "")) return undefined;
  if (match[1] === "") {
    const suffix = Number(match[2]);
    if (suffix === 0 || size === 0) return "unsatisfiable";
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(match[1]);
  if (start >= size) return "unsatisfiable";
  const end = match[2] === "" ? size - 1 : Math.min(Number(match[2]), size - 1);
  return end < start ? undefined : { start, end };
}
