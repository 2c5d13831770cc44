// Every string a person sees, in English and Simplified Chinese, looked up by key.
// Templates take `{name}` parameters; a parameter is never a secret.

import type { Lang } from "../types.ts";
import { commandsEn, commandsZh } from "./commands.ts";
import { diagnoseEn, diagnoseZh } from "./diagnose.ts";
import { grantEn, grantZh } from "./grant.ts";
import { messagesEn, messagesZh } from "./messages.ts";
import { nodesEn, nodesZh } from "./nodes.ts";

const en = { ...messagesEn, ...diagnoseEn, ...commandsEn, ...nodesEn, ...grantEn };
export type MessageKey = keyof typeof en;

const catalogs: Record<Lang, Record<MessageKey, string>> = {
  en,
  "zh-CN": { ...messagesZh, ...diagnoseZh, ...commandsZh, ...nodesZh, ...grantZh },
};

export const LANGS: readonly Lang[] = ["en", "zh-CN"];

/** The message for `key` in `lang`, with `{name}` replaced by `params.name`. */
export function t(
  lang: Lang,
  key: MessageKey,
  params: Record<string, string | number> = {},
): string {
  const template = catalogs[lang][key] ?? catalogs.en[key];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

/**
 * The closest supported language for a platform's locale tag ("zh-CN", "zh_TW", "en-US", "zh-hans").
 * Any Chinese locale maps to Simplified Chinese, the only Chinese catalog there is.
 */
export function pickLang(locale: string | undefined, fallback: Lang): Lang {
  if (!locale) return fallback;
  const tag = locale.toLowerCase();
  if (tag.startsWith("zh")) return "zh-CN";
  if (tag.startsWith("en")) return "en";
  return fallback;
}
