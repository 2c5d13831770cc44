// A TLS server with a fresh self-signed certificate on 127.0.0.1, standing where a gateway listens,
// so the real TLS probe has a real certificate to read. The certificate is made by the openssl CLI.

import { execFileSync } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before } from "node:test";
import { createServer } from "node:tls";

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
