// Short answers to the person who acted (a refusal or a brief confirmation) and the help text for a private message
// the bot did not expect. They name no secret and no setting, and decide nothing.

import { t } from "../i18n/index.ts";
import { isRefusal } from "../policy.ts";
import type { Lang, Notice } from "../types.ts";
import type { CommandNames, MessageView } from "../view.ts";
import { problemText } from "./shared.ts";

/** A notice for the person who acted, marked as a refusal or a brief confirmation by its key. */
export function noticeView(n: Notice, lang: Lang): MessageView {
  return {
    title: "",
    tone: "neutral",
    blocks: [{ kind: "text", text: noticeText(n, lang) }],
    buttons: [],
    notice: isRefusal(n.key) ? "refusal" : "brief",
  };
}

/** What the bot does and its commands, for a private message that is neither a command, a form answer nor a log. */
export function helpView(lang: Lang, commands: CommandNames): MessageView {
  return {
    title: "",
    tone: "neutral",
    blocks: [{ kind: "text", text: t(lang, "help.private", { ...commands }) }],
    buttons: [],
  };
}

/** A notice for the person who acted. */
export function noticeText(n: Notice, lang: Lang): string {
  const text = t(lang, `notice.${n.key}`, {
    ...n.params,
    ...(n.problem ? { reason: problemText(n.problem, lang) } : {}),
  });
  if (!n.problems?.length) return text;
  return [
    text,
    ...n.problems.map((p) => `• ${t(lang, `field.${p.field}`)}: ${t(lang, p.key, p.params ?? {})}`),
  ].join("\n");
}
