// A TLS server with a fresh self-signed certificate on 127.0.0.1, standing where a gateway listens,
// so the real TLS probe has a real certificate to read. The certificate is made by the openssl CLI.

import { execFileSync } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before } from "node:test";
import { createServer } from "node:tls";
import { WebSocketServer } from "ws";

export interface TlsGateway {
  host: string;
  port: number;
  /** 64 lowercase hex digits. */
  fingerprint: string;
  certPem: string;
  close(): Promise<void>;
}

/** `san` adds a subjectAltName (e.g. "IP:127.0.0.1"), for a certificate a client can verify once it trusts it. */
export function selfSignedCertificate(options: { san?: string } = {}): {
  certPem: string;
  keyPem: string;
  fingerprint: string;
} {
  const dir = mkdtempSync(join(tmpdir(), "clawshake-cert-"));
  try {
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-keyout",
        join(dir, "key.pem"),
        "-out",
        join(dir, "cert.pem"),
        "-days",
        "1",
        "-subj",
        "/CN=gateway",
        ...(options.san ? ["-addext", `subjectAltName=${options.san}`] : []),
      ],
      { stdio: "ignore" },
    );
    const certPem = readFileSync(join(dir, "cert.pem"), "utf8");
    const fingerprint = new X509Certificate(certPem).fingerprint256.replace(/:/g, "").toLowerCase();
    return { certPem, keyPem: readFileSync(join(dir, "key.pem"), "utf8"), fingerprint };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function startTlsGateway(): Promise<TlsGateway> {
  const { certPem, keyPem, fingerprint } = selfSignedCertificate();
  const server = createServer({ cert: certPem, key: keyPem }, (socket) => socket.end());
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    host: "127.0.0.1",
    port: (server.address() as AddressInfo).port,
    fingerprint,
    certPem,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * For a describe block: a TLS gateway stand-in started before its tests, then the driver; both stopped after them.
 * The returned object is filled in when the block's tests start.
 */
export function withTlsGateway(driver: {
  start(): Promise<unknown>;
  stop(): Promise<void>;
}): TlsGateway {
  const tls = {} as TlsGateway;
  before(async () => {
    Object.assign(tls, await startTlsGateway());
    await driver.start();
  });
  after(async () => {
    await driver.stop();
    await tls.close?.();
  });
  return tls;
}

/**
 * A self-signed TLS server that speaks enough of the gateway's WebSocket to be sent a token (the connect challenge),
 * and records every HTTP request, WebSocket upgrade and frame it gets: where a client must not authenticate.
 */
export async function recordingGateway(cert = selfSignedCertificate()) {
  const seen = { requests: 0, upgrades: 0, frames: [] as string[] };
  const server = createHttpsServer(
    { cert: cert.certPem, key: cert.keyPem },
    (_request, response) => {
      seen.requests++;
      response.writeHead(404).end();
    },
  );
  const wss = new WebSocketServer({ noServer: true });
  server.on("upgrade", (request, socket, head) => {
    seen.upgrades++;
    wss.handleUpgrade(request, socket, head, (ws) => {
      ws.on("message", (data) => {
        const text = data.toString();
        seen.frames.push(text);
        // Refuse the connect request at once, so that `check` does not wait out its budget.
        const frame = JSON.parse(text) as { type?: string; id?: string };
        if (frame.type === "req")
          ws.send(
            JSON.stringify({
              type: "res",
              id: frame.id,
              ok: false,
              error: { code: "UNAVAILABLE", message: "stand-in refuses" },
            }),
          );
      });
      // What a gateway sends first: the client answers with its connect request (token, device signature).
      ws.send(
        JSON.stringify({
          type: "event",
          event: "connect.challenge",
          payload: { nonce: "nonce-1", ts: Date.now() },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    fingerprint: cert.fingerprint,
    certPem: cert.certPem,
    seen,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
