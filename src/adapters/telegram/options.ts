// The Telegram adapter's settings, taken from the checked configuration (TELEGRAM_* variables).
// Holds the bot token, which is a credential: never log these options as a whole.

import { createHash } from "node:crypto";
import type { Config } from "../../config.ts";
import type { Lang } from "../../core/types.ts";

export interface TelegramOptions {
  /** From @BotFather. */
  token: string;
  /** A self-hosted Bot API server, or a test's fake; Telegram's own when unset. */
  apiRoot?: string;
  /** Groups where /connect_node works; empty: any group the bot is in. */
  chatIds: string[];
  approverIds: string[];
  /** The group's administrators approve too (checked with getChatMember at each click). */
  approversAreAdmins: boolean;
  gatewayOperatorIds: string[];
  /** Receive updates by webhook at this https URL instead of long polling. */
  webhookUrl?: string;
  defaultLang: Lang;
}

/** The adapter's options from the configuration; throws when no bot token is configured. */
export function telegramOptions(config: Config): TelegramOptions {
  const env = config.env;
  if (!env.TELEGRAM_BOT_TOKEN) throw new Error("TELEGRAM_BOT_TOKEN is not set");
  return {
    token: env.TELEGRAM_BOT_TOKEN,
    ...(env.TELEGRAM_API_ROOT ? { apiRoot: env.TELEGRAM_API_ROOT.replace(/\/+$/, "") } : {}),
    chatIds: env.TELEGRAM_CHAT_IDS,
    approverIds: env.TELEGRAM_APPROVER_IDS,
    approversAreAdmins: env.TELEGRAM_APPROVERS_ARE_ADMINS,
    gatewayOperatorIds: env.TELEGRAM_GATEWAY_OPERATOR_IDS,
    ...(env.TELEGRAM_WEBHOOK_URL ? { webhookUrl: env.TELEGRAM_WEBHOOK_URL } : {}),
    defaultLang: env.CLAWSHAKE_LANG,
  };
}

/**
 * The secret Telegram sends with every webhook call (X-Telegram-Bot-Api-Secret-Token), derived from
 * the bot token so there is nothing more to configure: only someone holding the token can forge it.
 */
export function webhookSecret(token: string): string {
  return createHash("sha256").update(`clawshake-telegram-webhook:${token}`).digest("hex");
}
