// `clawshake check`: the configuration, the openclaw binary and the gateway, each with ✓/✗ and what to do.
// Reads and connects; changes nothing on the gateway. Never prints the gateway token, and never sends it to a server
// that no pin (setting or local certificate) or trusted CA vouches for.

import { accessSync, constants, mkdirSync } from "node:fs";
import { networkInterfaces } from "node:os";
import { execa } from "execa";
import { openclawChildEnv } from "./adapters/openclaw/cli.ts";
import { EventGateway } from "./adapters/openclaw/events.ts";
import { NodeTlsProbe, trustedBySystem } from "./adapters/openclaw/probe.ts";
import type { Config } from "./config.ts";
import { approveCommand, gatewayTarget } from "./gateway.ts";

interface Line {
  ok: boolean | "info";
  text: string;
  fix?: string;
}

export async function runCheck(
  config: Config,
  write: (text: string) => void = (t) => process.stdout.write(t),
): Promise<number> {
  const lines: Line[] = [];
  const env = config.env;
  lines.push({ ok: true, text: `settings read; chat platforms: ${config.platforms.join(", ")}` });
  lines.push(...dataDir(env.CLAWSHAKE_DATA_DIR));
  lines.push(
    env.CLAWSHAKE_SEALING_KEY
      ? { ok: true, text: "secrets are sealed at rest (CLAWSHAKE_SEALING_KEY)" }
      : {
          ok: "info",
          text: "no CLAWSHAKE_SEALING_KEY: tokens and setup codes stay in memory only and are lost on a restart",
          fix: "set CLAWSHAKE_SEALING_KEY=$(openssl rand -hex 32)",
        },
  );
  lines.push(...approvers(config));
  lines.push(...places(config));
  const binary = await openclawBinary(env.OPENCLAW_BIN);
  lines.push(binary);

  const target = await gatewayTarget(config);
  lines.push(
    target.beside
      ? { ok: true, text: `gateway config found beside the bot: ${target.configPath}` }
      : {
          ok: "info",
          text: `no gateway config at ${target.configPath}: the bot is not beside its gateway`,
          fix: "set OPENCLAW_GATEWAY_URL, OPENCLAW_GATEWAY_TOKEN and OPENCLAW_GATEWAY_FINGERPRINT, or use the shared-token mode",
        },
  );
  lines.push(
    target.token
      ? { ok: true, text: "gateway token found (not shown)" }
      : {
          ok: false,
          text: "no gateway token",
          fix: "set OPENCLAW_GATEWAY_TOKEN (the value of gateway.auth.token on the gateway)",
        },
  );
  if (target.url) lines.push(...(await gatewayReachable(config, target)));
  else
    lines.push({
      ok: false,
      text: "no gateway URL",
      fix: "set OPENCLAW_GATEWAY_URL=wss://host:18789, or run the bot beside the gateway",
    });

  lines.push(...setupLinksNeedAGateway(config, target.url !== undefined, binary.ok === true));

  if (env.CLAWSHAKE_PUBLIC_HOST)
    lines.push({ ok: true, text: `nodes reach the gateway at ${env.CLAWSHAKE_PUBLIC_HOST}` });
  else
    lines.push({
      ok: "info",
      text: "CLAWSHAKE_PUBLIC_HOST is not set: the address nodes use cannot be guessed",
      fix: `candidates on this machine: ${candidateAddresses().join(", ") || "none (only loopback)"}`,
    });

  for (const line of lines) {
    const mark = line.ok === "info" ? "•" : line.ok ? "✓" : "✗";
    write(`${mark} ${line.text}\n${line.fix ? `    → ${line.fix}\n` : ""}`);
  }
  return lines.every((l) => l.ok !== false) ? 0 : 1;
}

/** Setup links only, but no way to the gateway: the bot starts, and every approved request would fail. */
function setupLinksNeedAGateway(config: Config, hasUrl: boolean, hasCli: boolean): Line[] {
  const env = config.env;
  if (env.CLAWSHAKE_MODE !== "setup-link") return [];
  const path = env.CLAWSHAKE_GATEWAY_PATH;
  const reachable =
    path === "none"
      ? false
      : path === "events"
        ? hasUrl
        : path === "cli"
          ? hasCli
          : hasUrl || hasCli;
  if (reachable) return [];
  return [
    {
      ok: false,
      text: `CLAWSHAKE_MODE=setup-link, but the bot has no gateway path (CLAWSHAKE_GATEWAY_PATH=${path}${path === "none" ? "" : ", and no gateway URL or openclaw CLI found"}): every approved request would fail`,
      fix: "let the bot reach the gateway (CLAWSHAKE_GATEWAY_PATH=auto with OPENCLAW_GATEWAY_URL, or the openclaw CLI beside it), or set CLAWSHAKE_MODE=auto",
    },
  ];
}

function dataDir(dir: string): Line[] {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
    return [{ ok: true, text: `data directory ${dir} is writable` }];
  } catch (error) {
    return [
      {
        ok: false,
        text: `data directory ${dir} is not writable (${(error as NodeJS.ErrnoException).code})`,
        fix: "set CLAWSHAKE_DATA_DIR to a directory the bot's user can write",
      },
    ];
  }
}

function approvers(config: Config): Line[] {
  const env = config.env;
  const lines: Line[] = [];
  const check = (platform: string, ids: string[], extra: boolean, variable: string) =>
    ids.length > 0 || extra
      ? lines.push({ ok: true, text: `${platform}: approvers configured` })
      : lines.push({
          ok: "info",
          text: `${platform}: no approver configured, so nobody can approve in chat (the WebUI still works)`,
          fix: `set ${variable}`,
        });
  if (config.platforms.includes("discord"))
    check(
      "Discord",
      env.DISCORD_APPROVER_IDS,
      env.DISCORD_APPROVER_ROLE_ID !== undefined,
      "DISCORD_APPROVER_IDS or DISCORD_APPROVER_ROLE_ID",
    );
  if (config.platforms.includes("telegram"))
    check(
      "Telegram",
      env.TELEGRAM_APPROVER_IDS,
      env.TELEGRAM_APPROVERS_ARE_ADMINS,
      "TELEGRAM_APPROVER_IDS, or TELEGRAM_APPROVERS_ARE_ADMINS=true with TELEGRAM_CHAT_IDS",
    );
  return lines;
}

/** Where /connect-node works: the listed channels or groups, else only where a configured approver is a member. */
function places(config: Config): Line[] {
  const env = config.env;
  const lines: Line[] = [];
  const check = (
    platform: string,
    variable: string,
    ids: string[],
    approvers: boolean,
    where: { listed: string; unlisted: string },
    command: string,
    fix: string,
  ) =>
    lines.push(
      ids.length > 0
        ? {
            ok: true,
            text: `${platform}: ${command} works in ${ids.length} listed ${where.listed}${ids.length === 1 ? "" : "s"}`,
          }
        : approvers
          ? {
              ok: "info",
              text: `${platform}: no ${variable}: ${command} works in any ${where.unlisted} where a configured approver is a member`,
              fix,
            }
          : {
              ok: false,
              text: `${platform}: no ${variable} and no approver: ${command} works nowhere`,
              fix,
            },
    );
  if (config.platforms.includes("discord"))
    check(
      "Discord",
      "DISCORD_CHANNEL_IDS",
      env.DISCORD_CHANNEL_IDS,
      env.DISCORD_APPROVER_IDS.length > 0 || env.DISCORD_APPROVER_ROLE_ID !== undefined,
      { listed: "channel", unlisted: "server" },
      "/connect-node",
      "set DISCORD_CHANNEL_IDS to the team's channels (Developer Mode → right-click → Copy Channel ID)",
    );
  if (config.platforms.includes("telegram"))
    check(
      "Telegram",
      "TELEGRAM_CHAT_IDS",
      env.TELEGRAM_CHAT_IDS,
      env.TELEGRAM_APPROVER_IDS.length > 0,
      { listed: "group", unlisted: "group" },
      "/connect_node",
      "set TELEGRAM_CHAT_IDS to the team's groups (their ids start with -100)",
    );
  return lines;
}

/** How the gateway's admin reads the certificate's fingerprint on the gateway host (docs/OPENCLAW-FACTS). */
const VERIFY_COMMAND =
  "openssl x509 -in ~/.openclaw/gateway/tls/gateway-cert.pem -fingerprint -sha256 -noout";

const CLI_FALLBACK_FIX = "the CLI is the fallback path; install OpenClaw or set OPENCLAW_BIN";

async function openclawBinary(bin: string): Promise<Line> {
  try {
    const result = await execa(bin, ["--version"], {
      env: openclawChildEnv(process.env),
      extendEnv: false,
      timeout: 30_000,
      reject: false,
    });
    if (result.exitCode === 0)
      return {
        ok: true,
        text: `openclaw CLI: ${bin} (${result.stdout.trim().split("\n").at(-1)})`,
      };
    if (result.code === "ENOENT")
      return {
        ok: "info",
        text: `openclaw CLI ${bin} not found`,
        fix: CLI_FALLBACK_FIX,
      };
    return {
      ok: "info",
      text: `openclaw CLI ${bin} did not run (${result.stderr.trim().split("\n")[0] ?? result.exitCode})`,
      fix: CLI_FALLBACK_FIX,
    };
  } catch (error) {
    return {
      ok: "info",
      text: `openclaw CLI ${bin} not found (${(error as Error).message.split("\n")[0]})`,
      fix: CLI_FALLBACK_FIX,
    };
  }
}

async function gatewayReachable(
  config: Config,
  target: Awaited<ReturnType<typeof gatewayTarget>>,
): Promise<Line[]> {
  const url = new URL(target.url as string);
  const port = Number(url.port || 443);
  const lines: Line[] = [];
  const probe = await new NodeTlsProbe({
    timeoutMs: config.env.CLAWSHAKE_PROBE_TIMEOUT_MS,
    allowLinkLocal: true,
  }).probe(url.hostname, port);
  if (!probe.ok)
    return [
      {
        ok: false,
        text: `gateway ${url.host} is not reachable over TLS (${probe.problem}${probe.detail ? `: ${probe.detail}` : ""})`,
        fix: "is the gateway running with gateway.tls.enabled=true?",
      },
    ];
  // Nothing is sent to a server nothing vouches for: a configured or local pin, else the system's CAs (as the bot does).
  if (target.fingerprint !== undefined && target.fingerprint !== probe.fingerprint)
    return [
      {
        ok: false,
        text: `gateway ${url.host} shows certificate ${probe.fingerprint}, not the expected ${target.fingerprint}; the token was not sent`,
        fix: "re-read the fingerprint (clawshake fingerprint --cert …) or fix OPENCLAW_GATEWAY_FINGERPRINT",
      },
    ];
  if (
    target.fingerprint === undefined &&
    !(await trustedBySystem(url.hostname, port, config.env.CLAWSHAKE_PROBE_TIMEOUT_MS))
  )
    return [
      {
        ok: false,
        text: `gateway ${url.host} shows certificate SHA-256 ${probe.fingerprint}, which nothing here vouches for (no OPENCLAW_GATEWAY_FINGERPRINT, no certificate beside the bot, no trusted CA); the token was not sent`,
        fix: `on the gateway host run \`${VERIFY_COMMAND}\` (it prints the same digits in upper case with colons); if they match, set OPENCLAW_GATEWAY_FINGERPRINT=${probe.fingerprint}`,
      },
    ];
  lines.push({
    ok: true,
    text: `gateway ${url.host} answers over TLS; certificate SHA-256 ${probe.fingerprint}${target.fingerprint ? " (pinned)" : " (trusted CA)"}${target.loopback ? `; over loopback, beside the gateway bound at ${target.boundUrl}` : ""}`,
  });
  if (config.env.CLAWSHAKE_GATEWAY_PATH === "cli" || config.env.CLAWSHAKE_GATEWAY_PATH === "none") {
    lines.push({
      ok: "info",
      text: `gateway path: ${config.env.CLAWSHAKE_GATEWAY_PATH} (CLAWSHAKE_GATEWAY_PATH)`,
    });
    return lines;
  }
  const events = new EventGateway({
    url: url.toString(),
    dataDir: config.env.CLAWSHAKE_DATA_DIR,
    ...(config.env.CLAWSHAKE_PUBLIC_URL ? { publicUrl: config.env.CLAWSHAKE_PUBLIC_URL } : {}),
    ...(target.token ? { token: target.token } : {}),
    // Without a pin the client checks the certificate against the system's CAs, as the handshake above did.
    ...(target.fingerprint ? { fingerprint: target.fingerprint } : {}),
    ...(target.beside ? { configPath: target.configPath } : {}),
  });
  try {
    const state = await events.ready(15_000);
    if (state.status === "connected") {
      const info = await events.info();
      lines.push({
        ok: true,
        text: `operator connection up (the bot's device ${state.deviceId.slice(0, 12)}…, scopes ${state.scopes.join(", ") || "none"}); events, no polling${info.version ? `; the gateway runs OpenClaw ${info.version}, which the node scripts check for` : ""}`,
      });
      lines.push(
        info.canMint
          ? { ok: true, text: "setup links can be minted" }
          : {
              ok: "info",
              text: `setup links are off: ${info.mintUnavailableReason ?? "the gateway cannot mint"}`,
              fix: "set gateway.bind=lan, enable tailscale serve, or set CLAWSHAKE_PUBLIC_URL (or plugins.entries.device-pair.config.publicUrl)",
            },
      );
    } else if (state.status === "pairingRequired")
      lines.push({
        ok: false,
        text: `the bot's own device (${state.deviceId.slice(0, 12)}…) waits for approval on the gateway; until then the bot uses the openclaw CLI`,
        // Never `--latest`: the newest request may be a node's.
        fix: `on the gateway host run \`${approveCommand(state.requestId)}\`${state.requestId ? "" : " (the request of that device in `openclaw devices list`)"}, then restart clawshake${target.loopback ? "" : "; beside its gateway the bot would be paired silently over loopback"}`,
      });
    else
      lines.push({
        ok: false,
        text: `operator connection failed (${state.status}${"error" in state ? `: ${String(state.error)}` : ""}); the bot falls back to the openclaw CLI`,
        fix: "check OPENCLAW_GATEWAY_TOKEN and the URL",
      });
  } finally {
    await events.stop();
  }
  return lines;
}

/** This machine's non-loopback addresses: what CLAWSHAKE_PUBLIC_HOST could be. */
export function candidateAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((a) => a !== undefined && !a.internal && !a.address.startsWith("fe80:"))
    .map((a) => (a as { address: string }).address);
}
