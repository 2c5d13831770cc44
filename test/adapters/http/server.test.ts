// The operations server under hostile input: raw bytes over a socket (malformed request lines, garbage and huge
// headers, bytes that are not HTTP). Every request gets an answer, and the server goes on answering /healthz.

import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { Metrics } from "../../../src/adapters/http/metrics.ts";
import { startHttp } from "../../../src/adapters/http/server.ts";
import { MemoryStore } from "../../../src/adapters/store/memory.ts";
import { parseKey, Sealer, SecretKeeper } from "../../../src/adapters/store/seal.ts";
import { SqliteStore } from "../../../src/adapters/store/sqlite.ts";
import { rawRequest, statusOf } from "../../support/raw-http.ts";
import { sampleSession } from "../../support/sessions.ts";

describe("the operations server, fed hostile bytes", () => {
  let http: Awaited<ReturnType<typeof startHttp>>;
  before(async () => {
    http = await startHttp(
      0,
      new Metrics(new MemoryStore()),
      { store: async () => "ok" },
      {
        "/hook": async (_request, response) => {
          response.end("hooked");
        },
        "/broken": async () => {
          throw new Error("a route that fails");
        },
      },
    );
  });
  after(() => http.close());

  async function stillServes(): Promise<void> {
    const response = await fetch(`http://127.0.0.1:${http.port}/healthz`);
    assert.equal(response.status, 200, "/healthz still answers");
  }

  const malformed: [string, string | Buffer, number][] = [
    ["a request target that is not a URL", "GET //[x HTTP/1.1\r\nHost: a\r\n\r\n", 400],
    ["a bracketed host in an absolute URL", "GET http://[::1/ HTTP/1.1\r\nHost: a\r\n\r\n", 400],
    ["an unknown path", "GET /nowhere HTTP/1.1\r\nHost: a\r\n\r\n", 404],
    ["a path with a query", "GET /healthz?x=1 HTTP/1.1\r\nHost: a\r\n\r\n", 200],
    ["a POST to /metrics", "POST /metrics HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n", 405],
    ["a DELETE to /healthz", "DELETE /healthz HTTP/1.1\r\nHost: a\r\n\r\n", 405],
    ["an asterisk target", "OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n", 404],
    ["a route that throws", "GET /broken HTTP/1.1\r\nHost: a\r\n\r\n", 500],
    ["a request line of spaces", "    \r\n\r\n", 400],
    ["a header without a colon", "GET /healthz HTTP/1.1\r\nHost a\r\n\r\n", 400],
    ["a header with a NUL byte", "GET /healthz HTTP/1.1\r\nX-A: a\u0000b\r\n\r\n", 400],
    [
      "an absurd content length",
      "POST /hook HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999999\r\n\r\n",
      400,
    ],
    [
      "two content lengths that disagree",
      "POST /hook HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
      400,
    ],
    [
      "a header far larger than any client sends",
      `GET /healthz HTTP/1.1\r\nHost: a\r\nX-Big: ${"x".repeat(100_000)}\r\n\r\n`,
      431,
    ],
    [
      "bytes that are not HTTP",
      Buffer.from([0x16, 0x03, 0x01, 0x00, 0xff, 0x01, 0, 0, 0x0d, 0x0a]),
      400,
    ],
  ];
  for (const [what, bytes, status] of malformed)
    it(`answers ${status} to ${what}, and goes on serving`, async () => {
      assert.equal(statusOf(await rawRequest(http.port, bytes)), status);
      await stillServes();
    });

  it("answers HEAD on /healthz without a body", async () => {
    const raw = await rawRequest(http.port, "HEAD /healthz HTTP/1.1\r\nHost: a\r\n\r\n");
    assert.equal(statusOf(raw), 200);
  });
});

describe("/metrics when a stored secret cannot be unsealed", () => {
  const dir = mkdtempSync(join(tmpdir(), "clawshake-metrics-"));
  let store: SqliteStore;
  let http: Awaited<ReturnType<typeof startHttp>>;
  before(async () => {
    // Two sessions sealed under a key this instance no longer has (CLAWSHAKE_SEALING_KEY changed, the old one dropped).
    const file = join(dir, "s.sqlite");
    const before = new SqliteStore(file, new SecretKeeper(new Sealer([parseKey("aa".repeat(32))])));
    await before.create(sampleSession("m1"), []);
    await before.create(sampleSession("m2"), []);
    await before.close();
    store = new SqliteStore(file, new SecretKeeper(new Sealer([parseKey("bb".repeat(32))])));
    http = await startHttp(0, new Metrics(store), { store: async () => "ok" });
  });
  after(async () => {
    await http.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("answers, counting every live session, and the server goes on serving", async () => {
    const response = await fetch(`http://127.0.0.1:${http.port}/metrics`);
    assert.equal(response.status, 200);
    assert.match(
      await response.text(),
      /clawshake_sessions_active\{stage="awaitingGatewayOperator"\} 2/,
    );
    assert.equal((await fetch(`http://127.0.0.1:${http.port}/healthz`)).status, 200);
  });
});
