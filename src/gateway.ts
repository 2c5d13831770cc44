// Chooses how the bot reaches the OpenClaw gateway: one operator connection, the openclaw CLI, or nothing.
// "auto" prefers the connection and falls back to the CLI; the reason for the choice is kept for `clawshake check`.
// Beside its gateway the bot connects over loopback, where the gateway pairs its device silently; that connection is
// authenticated by the certificate pin alone (the gateway's certificate names no 127.0.0.1), so it is never made
// without one. Never logs the token.

import { accessSync, constants } from "node:fs";
import { networkInterfaces } from "node:os";
import { delimiter, join } from "node:path";
import type { Logger } from "pino";
import { certificateFingerprint, gatewayToken } from "./adapters/openclaw/autofill.ts";
import { CliGateway } from "./adapters/openclaw/cli.ts";
import {
  gatewayCertPath,
  gatewayLocalHost,
  gatewayPort,
  openclawPaths,
  readOpenClawConfig,
} from "./adapters/openclaw/config.ts";
import { EventGateway } from "./adapters/openclaw/events.ts";
import { UnavailableGateway } from "./adapters/openclaw/unavailable.ts";
import type { Config } from "./config.ts";
import type { Gateway } from "./core/ports.ts";
import type { Secret } from "./core/secret.ts";

export interface GatewayChoice {
  gateway: Gateway;
  path: "events" | "cli" | "none";
  /** Why this path, in a sentence for `clawshake check` and the logs. */
  reason: string;
  events?: EventGateway;
  /** The gateway's config file is beside the bot: the gateway operator may autofill. */
  beside: boolean;
  /** The bot's own device waits for the gateway admin's approval: what to run, for the console and the logs. */
  approval?: BotApproval;
}

/** The bot's own device waits for approval on the gateway (a bot not beside it, or not over loopback). */
export interface BotApproval {
  deviceId: string;
  requestId?: string;
  /** `openclaw devices approve <requestId>`, to run on the gateway host. */
  command: string;
  /** After the approval the bot must be restarted (it fell back to the CLI), or it connects by itself. */
  restart: boolean;
}

/** The exact command that approves the bot's own device, for every place that tells the person running the bot. */
export function approveCommand(requestId: string | undefined): string {
  return `openclaw devices approve ${requestId ?? "<requestId>"}`;
}

/** What the bot knows about its gateway before connecting: the local config when it runs beside it, and settings. */
export interface GatewayTarget {
  /** Where the operator connection goes: the gateway's loopback listener when `loopback`, else `boundUrl`. */
  url?: string;
  /** The gateway as others reach it: OPENCLAW_GATEWAY_URL, else its bind address from the config beside the bot. */
  boundUrl?: string;
  /** `url` is the loopback listener of the gateway beside the bot (pinned), where its device is paired silently. */
  loopback: boolean;
  token?: Secret;
  fingerprint?: string;
  configPath: string;
  beside: boolean;
  webUiBaseUrl?: string;
}

export async function gatewayTarget(config: Config): Promise<GatewayTarget> {
  const env = config.env;
  const paths = openclawPaths(
    env.OPENCLAW_CONFIG_PATH ? { configPath: env.OPENCLAW_CONFIG_PATH } : {},
  );
  const local = await readOpenClawConfig(paths.configPath).catch(() => undefined);
  const port = gatewayPort(local);
  const boundUrl =
    env.OPENCLAW_GATEWAY_URL ?? (local ? `wss://${gatewayLocalHost(local)}:${port}` : undefined);
  let token: Secret | undefined;
  try {
    token = gatewayToken(local, process.env);
  } catch {
    token = undefined;
  }
  const fingerprint =
    env.OPENCLAW_GATEWAY_FINGERPRINT ??
    (local
      ? await certificateFingerprint(gatewayCertPath(local, paths)).catch(() => undefined)
      : undefined);
  // A gateway bound to a LAN or custom address also listens on 127.0.0.1 at the same port (OpenClaw 2026.9): a bot
  // beside it that used the bound address would be a remote client waiting for approval. Only with a pin, though.
  const loopback =
    local !== undefined &&
    fingerprint !== undefined &&
    boundUrl !== undefined &&
    (env.OPENCLAW_GATEWAY_URL === undefined || isThisHost(boundUrl, port, localAddresses()));
  const url = loopback ? `wss://127.0.0.1:${port}` : boundUrl;
  // What people open in their browser stays the address the gateway is bound to, never the bot's loopback.
  const webUiBaseUrl =
    env.CLAWSHAKE_WEBUI_URL ??
    (env.CLAWSHAKE_PUBLIC_HOST ? `https://${env.CLAWSHAKE_PUBLIC_HOST}:${port}/` : boundUrl);
  return {
    configPath: paths.configPath,
    beside: local !== undefined,
    loopback,
    ...(url ? { url } : {}),
    ...(boundUrl ? { boundUrl } : {}),
    ...(token ? { token } : {}),
    ...(fingerprint ? { fingerprint } : {}),
    ...(webUiBaseUrl ? { webUiBaseUrl } : {}),
  };
}

/**
 * Whether `url` (OPENCLAW_GATEWAY_URL) is the gateway beside the bot: same port as its config, on a loopback name or
 * one of this machine's own addresses. Names are not resolved: a DNS answer must not redirect the token.
 */
export function isThisHost(url: string, port: number, addresses: string[]): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== "wss:" || Number(parsed.port || 443) !== port) return false;
  const host = parsed.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  return (
    host === "localhost" ||
    /^127\.\d+\.\d+\.\d+$/.test(host) ||
    host === "::1" ||
    addresses.includes(host)
  );
}

/** This machine's own interface addresses. */
function localAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .flatMap((entry) => (entry ? [entry.address.toLowerCase()] : []));
}

export async function createGateway(config: Config, log: Logger): Promise<GatewayChoice> {
  const env = config.env;
  const wanted = env.CLAWSHAKE_GATEWAY_PATH;
  if (wanted === "none") return none("CLAWSHAKE_GATEWAY_PATH=none");
  const target = await gatewayTarget(config);
  const autofill = {
    configPath: target.configPath,
    ...(env.CLAWSHAKE_PUBLIC_HOST ? { publicHost: env.CLAWSHAKE_PUBLIC_HOST } : {}),
  };
  const report = (level: "debug" | "warn", message: string) =>
    log[level]({ component: "openclaw" }, message);

  if (wanted !== "cli" && target.url) {
    const events = new EventGateway({
      url: target.url,
      dataDir: env.CLAWSHAKE_DATA_DIR,
      autofill,
      log: report,
      ...(target.token ? { token: target.token } : {}),
      ...(target.fingerprint ? { fingerprint: target.fingerprint } : {}),
      ...(target.beside ? { configPath: target.configPath } : {}),
      ...(target.webUiBaseUrl ? { webUiBaseUrl: target.webUiBaseUrl } : {}),
      ...(env.CLAWSHAKE_PUBLIC_URL ? { publicUrl: env.CLAWSHAKE_PUBLIC_URL } : {}),
    });
    const state = await events.ready(10_000);
    const where = target.loopback
      ? `${target.url} (loopback, beside the gateway at ${target.boundUrl})`
      : target.url;
    const fallback = state.status !== "connected" && wanted !== "events";
    const approval: BotApproval | undefined =
      state.status === "pairingRequired"
        ? {
            deviceId: state.deviceId,
            ...(state.requestId ? { requestId: state.requestId } : {}),
            command: approveCommand(state.requestId),
            restart: fallback,
          }
        : undefined;
    if (approval)
      log.warn(
        { requestId: approval.requestId, deviceId: approval.deviceId },
        `the bot's own device waits for approval on the gateway: run \`${approval.command}\` on the gateway host${
          approval.restart
            ? ", then restart clawshake; until then it uses the slower openclaw CLI"
            : "; the operator connection comes up by itself once approved"
        }`,
      );
    if (!fallback)
      return {
        gateway: events,
        path: "events",
        reason: `operator connection to ${where} (${state.status})`,
        events,
        beside: target.beside,
        ...(approval ? { approval } : {}),
      };
    await events.stop();
    const why = approval
      ? `the bot's own device waits for approval on the gateway: ${approval.command}`
      : `the operator connection to ${where} failed (${state.status})`;
    log.warn({ state: state.status }, `falling back to the openclaw CLI: ${why}`);
    return {
      gateway: cli(config, target, autofill, report),
      path: "cli",
      reason: `openclaw CLI, because ${why}`,
      beside: target.beside,
      ...(approval ? { approval } : {}),
    };
  }
  if (wanted === "events")
    return none("OPENCLAW_GATEWAY_URL is not set and no gateway config was found beside the bot");
  if (!findExecutable(env.OPENCLAW_BIN))
    return none(
      `no OpenClaw gateway found: neither a gateway config beside the bot nor the ${env.OPENCLAW_BIN} command (see clawshake check)`,
    );
  return {
    gateway: cli(config, target, autofill, report),
    path: "cli",
    reason: "openclaw CLI (CLAWSHAKE_GATEWAY_PATH=cli or no gateway URL)",
    beside: target.beside,
  };
}

function cli(
  config: Config,
  target: GatewayTarget,
  autofill: { configPath: string },
  log: (level: "debug" | "warn", message: string) => void,
): CliGateway {
  const env = config.env;
  return new CliGateway({
    bin: env.OPENCLAW_BIN,
    timeoutMs: env.CLAWSHAKE_OPENCLAW_TIMEOUT_MS,
    pollIntervalMs: env.CLAWSHAKE_POLL_INTERVAL_MS,
    autofill,
    log,
    ...(target.beside ? { configPath: target.configPath } : {}),
    ...(env.OPENCLAW_GATEWAY_URL ? { url: env.OPENCLAW_GATEWAY_URL } : {}),
    ...(env.OPENCLAW_GATEWAY_URL && target.token ? { token: target.token } : {}),
    ...(target.webUiBaseUrl ? { webUiBaseUrl: target.webUiBaseUrl } : {}),
    ...(env.CLAWSHAKE_PUBLIC_URL ? { publicUrl: env.CLAWSHAKE_PUBLIC_URL } : {}),
  });
}

/** The path of a command as the shell would find it, or undefined. */
function findExecutable(bin: string): string | undefined {
  const candidates = bin.includes("/")
    ? [bin]
    : (process.env.PATH ?? "")
        .split(delimiter)
        .filter(Boolean)
        .map((dir) => join(dir, bin));
  return candidates.find((path) => {
    try {
      accessSync(path, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

function none(reason: string): GatewayChoice {
  return { gateway: new UnavailableGateway(reason), path: "none", reason, beside: false };
}
