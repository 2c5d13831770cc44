// Turns a platform-neutral view into terminal text: fields, checklist, code, and buttons as [n] numbers.
// Shows exactly what the view holds; a view for the channel never holds a secret, so neither does its text.

import { codePointOf } from "../../core/validate.ts";
import type { Action, MessageView } from "../../core/view.ts";

const TONE: Record<MessageView["tone"], string> = {
  waiting: "⏳",
  action: "👉",
  success: "✅",
  danger: "⛔",
  neutral: "·",
};

/** `number(action, target)` assigns the number a person types to press that button. */
export function renderView(
  view: MessageView,
  number: (action: Action, target?: string) => number,
): string {
  const lines: string[] = [];
  if (view.title) lines.push(`${TONE[view.tone]} ${view.title}`);
  for (const block of view.blocks) {
    switch (block.kind) {
      case "text":
        lines.push(block.text);
        break;
      case "field":
        lines.push(`  ${block.label}: ${block.value}`);
        break;
      case "check":
        lines.push(`  [${block.done ? "x" : " "}] ${block.label}`);
        break;
      case "code":
        lines.push(
          ...block.text
            .trimEnd()
            .split("\n")
            .map((line) => `    ${line}`),
        );
        break;
    }
  }
  const buttons = view.buttons.map((button) => {
    if (button.kind === "link") return `<${button.label}: ${button.url}>`;
    const n = number(button.action, button.kind === "action" ? button.target : undefined);
    return `[${n}] ${button.label}${button.kind === "private" ? ` (only ${button.for.id})` : ""}`;
  });
  if (buttons.length > 0) lines.push(buttons.join("   "));
  return visible(lines.join("\n"));
}

/**
 * Control characters other than a line break or a tab, as their code point: names and messages from a gateway or a
 * chat reach a terminal here, which would obey an escape sequence in them (set the clipboard, rewrite lines).
 */
function visible(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is replaced
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (c) => `[${codePointOf(c)}]`);
}
