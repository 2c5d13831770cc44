// Fills host, port, fingerprint and token from the gateway the bot runs beside: its config file, its certificate,
// and a TLS handshake to prove the certificate is the one served. Never logs the token or puts it in an error.

import { X509Certificate } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { Autofill, TlsProbe } from "../../core/ports.ts";
import { Secret } from "../../core/secret.ts";
import {
  configValue,
  gatewayCertPath,
  gatewayLocalHost,
  gatewayPort,
  openclawPaths,
  readOpenClawConfig,
} from "./config.ts";
import { OpenClawError } from "./errors.ts";
import { canonicalFingerprint, NodeTlsProbe } from "./probe.ts";

export interface AutofillOptions {
  /** OpenClaw's config file; default as OpenClaw resolves it (`OPENCLAW_CONFIG_PATH`, `~/.openclaw/openclaw.json`). */
  configPath?: string;
  /** Where OPENCLAW_GATEWAY_TOKEN and `${VAR}` references are read. Default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** The host nodes use to reach the gateway (a public name or address); OpenClaw's config cannot know it. */
  publicHost?: string;
  /** Where the cross-check handshake goes; default the gateway's custom bind host, else 127.0.0.1. */
  probeHost?: string;
  probe?: TlsProbe;
}

function configError(message: string, hint?: string): OpenClawError {
  return new OpenClawError({ type: "config", kind: "config", message, ...(hint ? { hint } : {}) });
}

const TOKEN_HINT =
  "Set OPENCLAW_GATEWAY_TOKEN in the bot's environment (the same value the gateway uses).";

/** `${VAR}` substitution as OpenClaw does it (`$${VAR}` is a literal); undefined when a variable is not set. */
function substituteEnv(value: string, env: NodeJS.ProcessEnv): string | undefined {
  let missing = false;
  const result = value.replace(
    /\$(\$)?\{([A-Za-z_][A-Za-z0-9_]*)\}/g,
    (match, escaped: string | undefined, name: string) => {
      if (escaped) return match.slice(1);
      const found = env[name];
      if (found === undefined || found === "") missing = true;
      return found ?? "";
    },
  );
  return missing ? undefined : result;
}

/** The shared gateway token: `OPENCLAW_GATEWAY_TOKEN`, else `gateway.auth.token` (a string, `${VAR}`, or an env ref). */
export function gatewayToken(
  config: Record<string, unknown> | undefined,
  env: NodeJS.ProcessEnv,
): Secret {
  const fromEnv = env.OPENCLAW_GATEWAY_TOKEN?.trim();
  if (fromEnv) return new Secret(fromEnv);
  const configured = configValue(config, "gateway.auth.token");
  if (typeof configured === "string" && configured.trim()) {
    const value = substituteEnv(configured.trim(), env);
    if (value) return new Secret(value);
    throw configError(
      "gateway.auth.token refers to an environment variable the bot does not have",
      TOKEN_HINT,
    );
  }
  if (configured !== null && typeof configured === "object") {
    const ref = configured as { source?: unknown; id?: unknown };
    const value =
      ref.source === "env" && typeof ref.id === "string" ? env[ref.id]?.trim() : undefined;
    if (value) return new Secret(value);
    throw configError(
      "gateway.auth.token is a secret reference the bot cannot resolve",
      TOKEN_HINT,
    );
  }
  throw configError(
    "no gateway token: OPENCLAW_GATEWAY_TOKEN is not set and gateway.auth.token is empty",
    TOKEN_HINT,
  );
}

/** SHA-256 of a PEM certificate file, 64 lowercase hex digits. */
export async function certificateFingerprint(certPath: string): Promise<string> {
  let pem: string;
  try {
    pem = await readFile(certPath, "utf8");
  } catch (error) {
    throw configError(
      `cannot read the gateway certificate ${certPath} (${(error as NodeJS.ErrnoException).code ?? "error"})`,
      "Enable TLS (gateway.tls.enabled true) and start the gateway once: it creates the certificate.",
    );
  }
  return canonicalFingerprint(new X509Certificate(pem).fingerprint256);
}

/**
 * Reads everything a node operator needs from the local gateway, and checks with a handshake that the certificate
 * file is the one the gateway really serves (a stale file after a certificate change would break every node).
 */
export async function autofillFromHost(options: AutofillOptions = {}): Promise<Autofill> {
  const env = options.env ?? process.env;
  const paths = openclawPaths({
    ...(options.configPath ? { configPath: options.configPath } : {}),
    env,
  });
  const config = await readOpenClawConfig(paths.configPath);
  if (config === undefined && !env.OPENCLAW_GATEWAY_TOKEN) {
    throw configError(
      `no OpenClaw config at ${paths.configPath}`,
      "Autofill works when the bot runs on the gateway host as the gateway's user; otherwise enter the values by hand.",
    );
  }
  if (config !== undefined && configValue(config, "gateway.tls.enabled") !== true) {
    throw configError(
      "the gateway does not use TLS (gateway.tls.enabled is not true)",
      "Run `openclaw config set gateway.tls.enabled true` and restart the gateway.",
    );
  }
  const token = gatewayToken(config, env);
  const port = gatewayPort(config);
  const fingerprint = await certificateFingerprint(gatewayCertPath(config, paths));
  const probeHost = options.probeHost ?? gatewayLocalHost(config);
  const seen = await (options.probe ?? new NodeTlsProbe()).probe(probeHost, port);
  if (!seen.ok) {
    throw configError(
      `could not reach the gateway at ${probeHost}:${port} to check its certificate (${seen.problem}${seen.detail ? `: ${seen.detail}` : ""})`,
      "Is the gateway running?",
    );
  }
  if (seen.fingerprint !== fingerprint) {
    throw configError(
      `the gateway at ${probeHost}:${port} serves certificate ${seen.fingerprint}, but ${gatewayCertPath(config, paths)} is ${fingerprint}`,
      "Restart the gateway after changing its certificate, or check gateway.tls.certPath.",
    );
  }
  const result: Autofill = { port, fingerprint, token };
  if (options.publicHost) result.host = options.publicHost;
  return result;
}
