// What a failed Discord call says, as log fields: Discord's error code, the HTTP status, a hint for codes people hit.
// It never logs the request URL or body: interaction webhook URLs carry tokens, and bodies carry what people see.

import { DiscordAPIError, HTTPError } from "discord.js";

/** Discord's JSON error codes the adapter acts on. */
export const DiscordCode = {
  UnknownChannel: 10003,
  UnknownMember: 10007,
  UnknownMessage: 10008,
  UnknownUser: 10013,
  UnknownInteraction: 10062,
  MissingAccess: 50001,
  CannotSendToUser: 50007,
  MissingPermissions: 50013,
  InvalidRecipient: 50033,
} as const;

const HINTS: Record<number, string> = {
  [DiscordCode.CannotSendToUser]:
    "the person does not accept DMs from server members (User Settings → Privacy & Safety)",
  [DiscordCode.MissingAccess]: "the bot cannot see that channel: check its channel permissions",
  [DiscordCode.MissingPermissions]:
    "the bot lacks a permission there (Send Messages, Embed Links, Manage Messages for the leak guard)",
  [DiscordCode.UnknownInteraction]:
    "the interaction was not answered within 3 s, or was answered twice",
};

export function hasCode(error: unknown, code: number): boolean {
  return error instanceof DiscordAPIError && error.code === code;
}

/** Structured log fields for a Discord error: `code` and `status` when Discord gave them. */
export function errorFields(error: unknown): Record<string, string | number> {
  if (error instanceof DiscordAPIError) {
    const code = typeof error.code === "number" ? error.code : String(error.code);
    return {
      code,
      status: error.status,
      method: error.method,
      err: error.message.split("\n")[0] ?? "",
      ...(typeof code === "number" && HINTS[code] ? { hint: HINTS[code] } : {}),
    };
  }
  if (error instanceof HTTPError)
    return { status: error.status, method: error.method, err: error.message };
  if (error instanceof Error) return { err: error.message.split("\n")[0] ?? error.name };
  return { err: String(error) };
}
