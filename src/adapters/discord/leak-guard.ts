// The optional leak guard: finds a live secret in a channel message, and the notice that replaces the message.
// The notice never repeats the secret; it says how to rotate the gateway token with the real openclaw commands.

import { t } from "../../core/i18n/index.ts";
import type { Secret } from "../../core/secret.ts";
import type { Lang } from "../../core/types.ts";
import type { MessageView } from "../../core/view.ts";
import { withMentions } from "./render.ts";

/** Shorter values would match ordinary words; tokens and setup codes are far longer. */
const MIN_SECRET_LENGTH = 8;

/** OPENCLAW-FACTS.md: the token is `gateway.auth.token`; the gateway docs generate one with openssl. */
export const ROTATE_TOKEN = [
  'openclaw config set gateway.auth.token "$(openssl rand -hex 32)"',
  "openclaw gateway restart",
].join("\n");

/** Whether `text` contains one of the live secrets. */
export function containsSecret(text: string, secrets: Secret[]): boolean {
  if (text.length < MIN_SECRET_LENGTH) return false;
  return secrets.some((secret) => {
    const value = secret.reveal();
    return value.length >= MIN_SECRET_LENGTH && text.includes(value);
  });
}

/** What the channel is told after the message was deleted. */
export function leakNotice(lang: Lang, userId: string): MessageView {
  return withMentions(
    {
      title: t(lang, "discord.leak.title"),
      tone: "danger",
      blocks: [
        { kind: "text", text: t(lang, "discord.leak.body", { user: `<@${userId}>` }) },
        { kind: "text", text: t(lang, "discord.leak.token") },
        { kind: "code", shell: "posix", text: ROTATE_TOKEN },
        { kind: "text", text: t(lang, "discord.leak.tokenEnv") },
        { kind: "text", text: t(lang, "discord.leak.setupLink") },
      ],
      buttons: [],
    },
    [`@${userId}`],
  );
}
