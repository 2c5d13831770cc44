// Chooses how the bot reaches the OpenClaw gateway: one operator connection, the openclaw CLI, or nothing.
// "auto" prefers the connection and falls back to the CLI; the reason for the choice is kept for `clawshake check`.

import { accessSync, constants } from "node:fs";
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
}

/** What the bot knows about its gateway before connecting: the local config when it runs beside it, and settings. */
export interface GatewayTarget {
  url?: string;
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
  const url =
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
  const webUiBaseUrl =
    env.CLAWSHAKE_WEBUI_URL ??
    (env.CLAWSHAKE_PUBLIC_HOST ? `https://${env.CLAWSHAKE_PUBLIC_HOST}:${port}/` : url);
  return {
    configPath: paths.configPath,
    beside: local !== undefined,
    ...(url ? { url } : {}),
    ...(token ? { token } : {}),
    ...(fingerprint ? { fingerprint } : {}),
    ...(webUiBaseUrl ? { webUiBaseUrl } : {}),
  };
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
    });
    const state = await events.ready(10_000);
    if (state.status === "connected" || wanted === "events")
      return {
        gateway: events,
        path: "events",
        reason: `operator connection to ${target.url} (${state.status})`,
        events,
        beside: target.beside,
      };
    await events.stop();
    const why =
      state.status === "pairingRequired"
        ? `the bot's own device waits for approval on the gateway: openclaw devices approve ${state.requestId}`
        : `the operator connection to ${target.url} failed (${state.status})`;
    log.warn({ state: state.status }, `falling back to the openclaw CLI: ${why}`);
    return {
      gateway: cli(config, target, autofill, report),
      path: "cli",
      reason: `openclaw CLI, because ${why}`,
      beside: target.beside,
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
