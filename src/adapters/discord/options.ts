// The Discord adapter's settings, taken from the checked configuration, and the gateway intents they need.
// Never holds a role or a permission decision of its own: it only says whom the configuration names.

import { GatewayIntentBits } from "discord.js";
import type { Config } from "../../config.ts";
import type { Lang } from "../../core/types.ts";

/** What the Discord adapter needs to run; `discordOptions(config)` builds it from the environment. */
export interface DiscordOptions {
  token: string;
  /** `DISCORD_API_URL`: a REST base other than Discord's (a proxy, or the fake in tests). */
  apiUrl?: string;
  /** Channels where /connect-node works; empty: every server text channel the bot sees. */
  channelIds: string[];
  approverIds: string[];
  approverRoleId?: string;
  gatewayOperatorIds: string[];
  gatewayOperatorRoleId?: string;
  /** Delete channel messages that contain a live secret (needs the Message Content intent). */
  leakGuard: boolean;
  defaultLang: Lang;
  /** How long an interaction may go unanswered before the bot defers it (Discord allows 3 s). */
  deferAfterMs?: number;
  /**
   * One more origin (scheme, host, port) attached logs may be read from besides Discord's CDN: the fake in tests.
   * Never taken from the environment.
   */
  attachmentOrigin?: string;
}

/** The Discord settings from `config.env`. Throws when DISCORD_TOKEN is missing. */
export function discordOptions(config: Config): DiscordOptions {
  const env = config.env;
  if (!env.DISCORD_TOKEN) throw new Error("DISCORD_TOKEN is not set");
  return {
    token: env.DISCORD_TOKEN,
    ...(env.DISCORD_API_URL ? { apiUrl: env.DISCORD_API_URL } : {}),
    channelIds: env.DISCORD_CHANNEL_IDS,
    approverIds: env.DISCORD_APPROVER_IDS,
    ...(env.DISCORD_APPROVER_ROLE_ID ? { approverRoleId: env.DISCORD_APPROVER_ROLE_ID } : {}),
    gatewayOperatorIds: env.DISCORD_GATEWAY_OPERATOR_IDS,
    ...(env.DISCORD_GATEWAY_OPERATOR_ROLE_ID
      ? { gatewayOperatorRoleId: env.DISCORD_GATEWAY_OPERATOR_ROLE_ID }
      : {}),
    leakGuard: env.DISCORD_LEAK_GUARD,
    defaultLang: env.CLAWSHAKE_LANG,
  };
}

/**
 * The gateway intents the options need. Listing a role's members needs the privileged Server Members
 * intent; reading channel messages for the leak guard needs the privileged Message Content intent.
 * Both must also be switched on in the Developer Portal, or Discord refuses the login (close code 4014).
 */
export function intentsFor(options: DiscordOptions): GatewayIntentBits[] {
  const intents = [GatewayIntentBits.Guilds, GatewayIntentBits.DirectMessages];
  if (options.approverRoleId || options.gatewayOperatorRoleId)
    intents.push(GatewayIntentBits.GuildMembers);
  if (options.leakGuard)
    intents.push(GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent);
  return intents;
}
