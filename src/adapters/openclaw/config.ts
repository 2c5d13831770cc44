// Reads the gateway's own config file (JSON5) on the host the bot shares with it: paths, port, bind, TLS, auth.
// Never writes it, and never returns or logs the token except as a `Secret` to `autofill`.

import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { isAbsolute, join, resolve } from "node:path";
import JSON5 from "json5";
import type { GatewayProblem } from "../../core/types.ts";
import { OpenClawError } from "./errors.ts";

export const DEFAULT_GATEWAY_PORT = 18789;

export interface OpenClawPaths {
  configPath: string;
  stateDir: string;
}

function expandHome(path: string, home: string): string {
  if (path === "~") return home;
  return path.startsWith("~/") ? join(home, path.slice(2)) : path;
}

/**
 * Where OpenClaw keeps its config and state, as OpenClaw itself resolves them: an explicit path, then
 * `OPENCLAW_CONFIG_PATH` / `OPENCLAW_STATE_DIR`, then `~/.openclaw`.
 */
export function openclawPaths(
  options: { configPath?: string; env?: NodeJS.ProcessEnv } = {},
): OpenClawPaths {
  const env = options.env ?? process.env;
  const home = env.HOME || homedir();
  const stateDir = resolve(expandHome(env.OPENCLAW_STATE_DIR || join(home, ".openclaw"), home));
  const configPath = resolve(
    expandHome(
      options.configPath || env.OPENCLAW_CONFIG_PATH || join(stateDir, "openclaw.json"),
      home,
    ),
  );
  return { configPath, stateDir };
}

/** The parsed config, or undefined when there is no file (a bot that does not run beside its gateway). */
export async function readOpenClawConfig(
  configPath: string,
): Promise<Record<string, unknown> | undefined> {
  let text: string;
  try {
    text = await readFile(configPath, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    const code = (error as NodeJS.ErrnoException).code ?? "error";
    throw new OpenClawError({
      type: "config",
      kind: "config",
      message: `cannot read ${configPath} (${code})`,
      hint:
        code === "EACCES"
          ? "The config file is private to the gateway's user (mode 600): run the bot as that user, or set OPENCLAW_GATEWAY_TOKEN."
          : undefined,
    });
  }
  try {
    const parsed: unknown = JSON5.parse(text);
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed))
      throw new SyntaxError("not an object");
    return parsed as Record<string, unknown>;
  } catch (error) {
    throw new OpenClawError({
      type: "config",
      kind: "config",
      message: `cannot parse ${configPath}: ${(error as Error).message}`,
    });
  }
}

/** A value at a dotted path (`gateway.auth.token`), or undefined. */
export function configValue(config: Record<string, unknown> | undefined, path: string): unknown {
  let current: unknown = config;
  for (const key of path.split(".")) {
    if (current === null || typeof current !== "object" || !Object.hasOwn(current, key))
      return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** `gateway.port`, else OpenClaw's default 18789. */
export function gatewayPort(config: Record<string, unknown> | undefined): number {
  const port = configValue(config, "gateway.port");
  return typeof port === "number" && Number.isInteger(port) && port > 0 && port < 65536
    ? port
    : DEFAULT_GATEWAY_PORT;
}

/** The certificate the gateway serves: `gateway.tls.certPath`, else `<stateDir>/gateway/tls/gateway-cert.pem`. */
export function gatewayCertPath(
  config: Record<string, unknown> | undefined,
  paths: OpenClawPaths,
): string {
  const configured = configValue(config, "gateway.tls.certPath");
  if (typeof configured === "string" && configured.trim()) {
    const expanded = expandHome(configured.trim(), process.env.HOME || homedir());
    return isAbsolute(expanded) ? expanded : resolve(paths.stateDir, expanded);
  }
  return join(paths.stateDir, "gateway", "tls", "gateway-cert.pem");
}

/** Where a local probe reaches the gateway: its custom bind host, else loopback. */
export function gatewayLocalHost(config: Record<string, unknown> | undefined): string {
  const bind = configValue(config, "gateway.bind");
  const custom = configValue(config, "gateway.customBindHost");
  if (
    bind === "custom" &&
    typeof custom === "string" &&
    custom.trim() &&
    custom.trim() !== "0.0.0.0"
  ) {
    return custom.trim();
  }
  return "127.0.0.1";
}

/** OpenClaw's own words when it refuses to mint because the gateway is loopback-only (measured, 2026.9.6). */
export const LOOPBACK_REFUSAL =
  "Gateway is only bound to loopback. Set gateway.bind=lan, enable tailscale serve, or configure plugins.entries.device-pair.config.publicUrl.";

/**
 * Whether the gateway can mint setup links, decided from its config the way OpenClaw resolves the link's URL
 * (public URL, remote URL, Tailscale Serve/Funnel, or a non-loopback bind). No config: assume yes, the gateway decides.
 */
export function mintAvailability(
  config: Record<string, unknown> | undefined,
  /** CLAWSHAKE_PUBLIC_URL, which the bot passes as `publicUrl`: then a loopback-only gateway mints too (measured). */
  requestPublicUrl?: string,
): {
  canMint: boolean;
  reason?: string;
  problem?: GatewayProblem;
} {
  if (config === undefined) return { canMint: true };
  const auth = configValue(config, "gateway.auth.mode");
  if (auth === "none") {
    return {
      canMint: false,
      reason: 'Pairing setup requires gateway.auth.mode "token" or "password".',
      problem: "authModeNone",
    };
  }
  const publicUrl = configValue(config, "plugins.entries.device-pair.config.publicUrl");
  const remoteUrl = configValue(config, "gateway.remote.url");
  const tailscale = configValue(config, "gateway.tailscale.mode");
  const bind = configValue(config, "gateway.bind");
  if (requestPublicUrl) return { canMint: true };
  if (typeof publicUrl === "string" && publicUrl.trim()) return { canMint: true };
  if (typeof remoteUrl === "string" && remoteUrl.trim()) return { canMint: true };
  if (tailscale === "serve" || tailscale === "funnel") return { canMint: true };
  if (bind === "lan" || bind === "tailnet" || bind === "custom") return { canMint: true };
  return { canMint: false, reason: LOOPBACK_REFUSAL, problem: "loopbackOnly" };
}

/** The Control UI's Devices page (`/settings/devices`) under a base URL; `wss://` becomes `https://`. */
export function devicesPageUrl(base: string): string | undefined {
  try {
    const url = new URL(base);
    if (url.protocol === "wss:") url.protocol = "https:";
    else if (url.protocol === "ws:") url.protocol = "http:";
    url.pathname = `${url.pathname.replace(/\/+$/, "")}/settings/devices`;
    url.search = "";
    url.hash = "";
    return url.toString();
  } catch {
    return undefined;
  }
}
