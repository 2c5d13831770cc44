// A TLS handshake to host:port that reads the certificate's SHA-256, so people compare fingerprints before anyone runs anything.
// Never connects to link-local or cloud metadata addresses (unless allowed), and never sends a byte beyond the handshake.

import { lookup as dnsLookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";
import { connect, type TLSSocket } from "node:tls";
import type { TlsProbe } from "../../core/ports.ts";
import type { PreflightProblem } from "../../core/types.ts";

export type ProbeResult = Awaited<ReturnType<TlsProbe["probe"]>>;

export interface TlsProbeOptions {
  /** Whole budget for resolving, connecting and the handshake. Default 5 s. */
  timeoutMs?: number;
  /** Allow link-local and metadata addresses (169.254.0.0/16, fe80::/10, fd00:ec2::254). Default false. */
  allowLinkLocal?: boolean;
  /** DNS resolution, replaceable in tests. Default: `dns.lookup` with all addresses. */
  lookup?: (host: string) => Promise<string[]>;
}

const BLOCKED = new BlockList();
BLOCKED.addSubnet("169.254.0.0", 16, "ipv4");
BLOCKED.addSubnet("fe80::", 10, "ipv6");
BLOCKED.addAddress("fd00:ec2::254", "ipv6");

/** Whether an address is link-local or a cloud metadata endpoint (IPv4-mapped IPv6 included). */
export function isBlockedAddress(address: string): boolean {
  const unbracketed = address.replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  const family = isIP(unbracketed);
  if (family === 4) return BLOCKED.check(unbracketed, "ipv4");
  if (family !== 6) return false;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(unbracketed);
  if (mapped?.[1]) return BLOCKED.check(mapped[1], "ipv4");
  return BLOCKED.check(unbracketed, "ipv6");
}

const NOT_FOUND = new Set([
  "ENOTFOUND",
  "EAI_AGAIN",
  "EAI_NONAME",
  "ENODATA",
  "EAI_NODATA",
  "EAI_FAIL",
]);
const CLOSED = new Set(["ECONNRESET", "EPIPE"]);

async function defaultLookup(host: string): Promise<string[]> {
  const addresses = await dnsLookup(host, { all: true, verbatim: true });
  return addresses.map((entry) => entry.address);
}

function failure(problem: PreflightProblem, detail?: string): ProbeResult {
  return detail === undefined ? { ok: false, problem } : { ok: false, problem, detail };
}

function errorCode(error: unknown): string {
  return typeof error === "object" && error !== null && "code" in error ? String(error.code) : "";
}

function errorText(error: unknown): string {
  const code = errorCode(error);
  const message = (error instanceof Error ? error.message : String(error)).trim();
  return code && !message.includes(code) ? `${code}: ${message}` : message;
}

/** `fingerprint256` (`AB:CD:…`) in the canonical form: 64 lowercase hex digits. */
export function canonicalFingerprint(fingerprint256: string): string {
  return fingerprint256.replace(/:/g, "").toLowerCase();
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T | "timeout"> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** `TlsProbe` on node:tls: resolve first, refuse blocked addresses, then handshake with the resolved address. */
export class NodeTlsProbe implements TlsProbe {
  readonly #timeoutMs: number;
  readonly #allowLinkLocal: boolean;
  readonly #lookup: (host: string) => Promise<string[]>;

  constructor(options: TlsProbeOptions = {}) {
    this.#timeoutMs = options.timeoutMs ?? 5000;
    this.#allowLinkLocal = options.allowLinkLocal ?? false;
    this.#lookup = options.lookup ?? defaultLookup;
  }

  async probe(host: string, port: number): Promise<ProbeResult> {
    const started = Date.now();
    const target = host.replace(/^\[|\]$/g, "");
    let addresses: string[];
    if (isIP(target)) {
      addresses = [target];
    } else {
      try {
        const resolved = await withTimeout(this.#lookup(target), this.#timeoutMs);
        if (resolved === "timeout") return failure("timeout", `resolving ${target}`);
        addresses = resolved;
      } catch (error) {
        const code = errorCode(error);
        return NOT_FOUND.has(code)
          ? failure("hostNotFound", code)
          : failure("other", errorText(error));
      }
      if (addresses.length === 0) return failure("hostNotFound");
    }
    // Every address must pass: a name that resolves to a metadata address among others is still refused.
    const blocked = addresses.find(isBlockedAddress);
    if (blocked !== undefined && !this.#allowLinkLocal) return failure("blockedAddress", blocked);

    let first: ProbeResult | undefined;
    for (const address of addresses) {
      const left = this.#timeoutMs - (Date.now() - started);
      if (left <= 0) return first ?? failure("timeout");
      const result = await handshake(address, port, isIP(target) ? undefined : target, left);
      if (result.ok) return result;
      first ??= result;
      // Only "nothing there" is worth trying the next address for; anything else is an answer.
      if (result.problem !== "refused") return first;
    }
    return first ?? failure("other");
  }
}

/**
 * Whether this machine's trusted CAs (NODE_EXTRA_CA_CERTS included) vouch for the certificate at host:port for that
 * host name: what a client that has no pin checks. False on any failure; sends nothing beyond the handshake.
 */
export function trustedBySystem(host: string, port: number, timeoutMs = 5000): Promise<boolean> {
  const target = host.replace(/^\[|\]$/g, "");
  return new Promise((resolve) => {
    const socket = connect({
      host: target,
      port,
      // Decided below from `authorized` (chain and host name), so that a refusal is an answer, not an error.
      rejectUnauthorized: false,
      ...(isIP(target) ? {} : { servername: target }),
      ALPNProtocols: ["http/1.1"],
    });
    const finish = (trusted: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(trusted);
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    socket.once("secureConnect", () => finish(socket.authorized));
    socket.once("error", () => finish(false));
    socket.once("close", () => finish(false));
  });
}

function handshake(
  address: string,
  port: number,
  servername: string | undefined,
  timeoutMs: number,
): Promise<ProbeResult> {
  return new Promise((resolve) => {
    let tcpConnected = false;
    let settled = false;
    const socket: TLSSocket = connect({
      host: address,
      port,
      rejectUnauthorized: false,
      ...(servername ? { servername } : {}),
      ALPNProtocols: ["http/1.1"],
    });
    const finish = (result: ProbeResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(
      () =>
        finish(failure("timeout", tcpConnected ? "connected, but no TLS handshake" : undefined)),
      timeoutMs,
    );
    socket.once("connect", () => {
      tcpConnected = true;
    });
    socket.once("secureConnect", () => {
      const certificate = socket.getPeerCertificate();
      if (!certificate?.fingerprint256) finish(failure("notTls", "no certificate presented"));
      else finish({ ok: true, fingerprint: canonicalFingerprint(certificate.fingerprint256) });
    });
    socket.once("error", (error) => {
      const code = errorCode(error);
      if (code === "ECONNREFUSED") finish(failure("refused"));
      else if (code === "ETIMEDOUT") finish(failure("timeout"));
      else if (code.startsWith("ERR_SSL_") || /ssl|tls|wrong version/i.test(error.message)) {
        finish(failure("notTls", errorText(error)));
      } else if (CLOSED.has(code) && tcpConnected) finish(failure("notTls", errorText(error)));
      else finish(failure("other", errorText(error)));
    });
    socket.once("close", () =>
      finish(failure(tcpConnected ? "notTls" : "other", "connection closed")),
    );
  });
}
