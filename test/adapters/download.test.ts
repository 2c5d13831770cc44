// Downloading a node log sent as a file: only its end is asked for, memory stays within the cap, and a server that
// sends the whole file anyway is read no further than MAX_DOWNLOAD_BYTES.
import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { downloadLog, MAX_DOWNLOAD_BYTES } from "../../src/adapters/download.ts";
import { MAX_LOG_BYTES } from "../../src/core/log-tail.ts";
import { NODE_LOG } from "../fixtures/node-logs.ts";
import { serveBytes } from "../support/byte-range.ts";

const MB = 1024 * 1024;
const LOG = Buffer.from(
  `${NODE_LOG.tokenMismatch}\n${`${"x".repeat(99)}\n`.repeat(50_000)}${NODE_LOG.connected}\n`,
);

describe("downloading a node log", () => {
  /** What the server wrote, by path, for the last response before it ended or the client went away. */
  const written = new Map<string, number>();
  let base = "";
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = req.url ?? "/";
    if (path === "/ranged") written.set(path, serveBytes(req, res, LOG, "text/plain"));
    else if (path === "/empty")
      written.set(path, serveBytes(req, res, Buffer.alloc(0), "text/plain"));
    else if (path === "/whole") {
      res.writeHead(200, { "content-length": String(LOG.length) });
      res.end(LOG);
    } else if (path === "/endless" || path === "/announced") {
      // Ignores the Range and sends until the client goes away (or 200 MB): a server the cap must not trust.
      res.writeHead(200, path === "/announced" ? { "content-length": String(1024 * MB) } : {});
      const chunk = Buffer.alloc(64 * 1024, "y");
      let sent = 0;
      let gone = false;
      res.on("close", () => {
        gone = true;
        written.set(path, sent);
      });
      const pump = () => {
        while (!gone && sent < 200 * MB) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once("drain", pump);
        }
        res.end();
      };
      pump();
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  before(async () => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => server.close());
  /** What the server sent to `path` once it saw the client go away. */
  const sentTo = async (path: string): Promise<number> => {
    while (!written.has(path)) await sleep(5);
    return written.get(path) as number;
  };
  const get = (path: string) =>
    downloadLog(`${base}${path}`, { signal: AbortSignal.timeout(60_000) });

  it("asks for the end only and gets it, from a whole line, when the server honours the range", async () => {
    const read = await get("/ranged");
    assert.ok(read.ok);
    assert.equal(read.log.truncated, true);
    assert.ok(read.log.text.endsWith(`${NODE_LOG.connected}\n`));
    assert.ok(read.log.text.startsWith("x"));
    assert.ok(!read.log.text.includes("mismatch"));
    assert.equal(written.get("/ranged"), MAX_LOG_BYTES + 1);
  });

  it("keeps the same end when the server sends the whole file", async () => {
    const ranged = await get("/ranged");
    const whole = await get("/whole");
    assert.deepEqual(whole, ranged);
  });

  it("stops reading a server that sends more than MAX_DOWNLOAD_BYTES, and refuses one that announces it", async () => {
    assert.deepEqual(await get("/endless"), { ok: false, reason: "tooLarge" });
    const endless = await sentTo("/endless");
    assert.ok(endless < MAX_DOWNLOAD_BYTES + 16 * MB, `${endless} bytes sent`);
    assert.deepEqual(await get("/announced"), { ok: false, reason: "tooLarge" });
    const announced = await sentTo("/announced");
    assert.ok(announced < 16 * MB, `${announced} bytes sent`);
  });

  it("reads an empty file as an empty log, and says which status a failed download got", async () => {
    assert.deepEqual(await get("/empty"), { ok: true, log: { text: "", truncated: false } });
    assert.deepEqual(await get("/missing"), { ok: false, reason: "unreadable", status: 404 });
  });
});
