import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { createServer as createHttpServer } from "node:http";
import { type AddressInfo, createServer as createTcpServer, type Server } from "node:net";
import { after, before, describe, it } from "node:test";
import { createServer as createTlsServer } from "node:tls";
import { isBlockedAddress, NodeTlsProbe } from "../../../src/adapters/openclaw/probe.ts";
import { selfSignedCertificate } from "../../support/tls-gateway.ts";

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port));
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

describe("NodeTlsProbe", () => {
  let certPem: string;
  let tlsServer: Server;
  let tlsPort: number;
  const servers: Server[] = [];

  before(async () => {
    const certificate = selfSignedCertificate();
    certPem = certificate.certPem;
    tlsServer = createTlsServer({ cert: certPem, key: certificate.keyPem }, (socket) =>
      socket.end(),
    );
    tlsPort = await listen(tlsServer);
  });

  after(async () => {
    await close(tlsServer);
    await Promise.all(servers.map(close));
  });

  it("reads the certificate's SHA-256 as 64 lowercase hex digits, equal to X509Certificate.fingerprint256", async () => {
    const expected = new X509Certificate(certPem).fingerprint256.replace(/:/g, "").toLowerCase();
    const result = await new NodeTlsProbe().probe("127.0.0.1", tlsPort);
    assert.deepEqual(result, { ok: true, fingerprint: expected });
    assert.match(expected, /^[0-9a-f]{64}$/);
  });

  it("resolves a hostname and connects to the address it resolved to", async () => {
    const asked: string[] = [];
    const probe = new NodeTlsProbe({
      lookup: async (host) => {
        asked.push(host);
        return ["127.0.0.1"];
      },
    });
    const result = await probe.probe("gateway.example.test", tlsPort);
    assert.equal(result.ok, true);
    assert.deepEqual(asked, ["gateway.example.test"]);
  });

  it("says refused when nothing listens on the port", async () => {
    const server = createTcpServer();
    const port = await listen(server);
    await close(server);
    assert.deepEqual(await new NodeTlsProbe().probe("127.0.0.1", port), {
      ok: false,
      problem: "refused",
    });
  });

  it("says notTls for a plain HTTP server", async () => {
    const server = createHttpServer((_req, res) => res.end("hello"));
    servers.push(server);
    const result = await new NodeTlsProbe().probe("127.0.0.1", await listen(server));
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.problem, "notTls");
  });

  it("says notTls for a TCP server that closes the connection at once", async () => {
    const server = createTcpServer((socket) => socket.destroy());
    servers.push(server);
    const result = await new NodeTlsProbe().probe("127.0.0.1", await listen(server));
    assert.equal(!result.ok && result.problem, "notTls");
  });

  it("says timeout for a TCP server that never answers the handshake", async () => {
    // Reading (and ignoring) the ClientHello lets the server see the probe hang up, so it can close.
    const server = createTcpServer((socket) => socket.resume());
    servers.push(server);
    const result = await new NodeTlsProbe({ timeoutMs: 300 }).probe(
      "127.0.0.1",
      await listen(server),
    );
    assert.equal(!result.ok && result.problem, "timeout");
  });

  it("says hostNotFound for a name under .invalid", async () => {
    const result = await new NodeTlsProbe().probe("gateway.invalid", 18789);
    assert.equal(!result.ok && result.problem, "hostNotFound");
  });

  it("refuses a link-local address without connecting", async () => {
    const result = await new NodeTlsProbe().probe("169.254.169.254", 80);
    assert.deepEqual(result, { ok: false, problem: "blockedAddress", detail: "169.254.169.254" });
  });

  it("refuses a name when any of its addresses is blocked", async () => {
    const probe = new NodeTlsProbe({ lookup: async () => ["127.0.0.1", "fd00:ec2::254"] });
    const result = await probe.probe("rebind.example.test", tlsPort);
    assert.deepEqual(result, { ok: false, problem: "blockedAddress", detail: "fd00:ec2::254" });
  });

  it("recognises link-local and metadata addresses in every spelling", () => {
    for (const address of [
      "169.254.0.1",
      "fe80::1",
      "[fe80::1%eth0]",
      "FD00:EC2::254",
      "::ffff:169.254.169.254",
    ]) {
      assert.equal(isBlockedAddress(address), true, address);
    }
    for (const address of ["127.0.0.1", "10.77.0.1", "::1", "fd00:ec2::253", "example.com"]) {
      assert.equal(isBlockedAddress(address), false, address);
    }
  });
});
