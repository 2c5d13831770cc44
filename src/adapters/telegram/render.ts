// Turns a platform-neutral view into Telegram HTML messages and an inline keyboard, within Telegram's limits.
// It shows exactly what the view holds and escapes all of it (direction marks shown as code points); it never adds,
// drops or decides content.

import type { InlineKeyboardButton, InlineKeyboardMarkup } from "grammy/types";
import { showDirectionMarks } from "../../core/validate.ts";
import type { Block, Button, MessageView } from "../../core/view.ts";
import { callbackData } from "./ids.ts";

/** Telegram's limit for one message's text. Measured on the HTML, which is never shorter than what it shows. */
export const MAX_MESSAGE_LENGTH = 4096;
/** Telegram's limit for the text of a callback query answer. */
export const MAX_ALERT_LENGTH = 200;

export type InlineButton = InlineKeyboardButton.CallbackButton | InlineKeyboardButton.UrlButton;

export interface InlineKeyboard extends InlineKeyboardMarkup {
  inline_keyboard: InlineButton[][];
}

/** A view as Telegram messages: one or more HTML texts, the keyboard going with the last one. */
export interface Rendered {
  parts: string[];
  keyboard?: InlineKeyboard;
}

export type PrivateButton = Extract<Button, { kind: "private" }>;

export interface RenderOptions {
  /** The deep link a `private` button opens; undefined leaves the button out. */
  privateLink?: (button: PrivateButton) => string | undefined;
  maxLength?: number;
}

const TONE: Record<MessageView["tone"], string> = {
  waiting: "⏳",
  action: "👉",
  success: "✅",
  danger: "⛔",
  neutral: "",
};

const CODE_LANGUAGE: Record<string, string> = {
  posix: "bash",
  powershell: "powershell",
  json: "json",
};

export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** A view split into messages of at most `maxLength` characters, with its buttons. */
export function renderView(view: MessageView, options: RenderOptions = {}): Rendered {
  const max = options.maxLength ?? MAX_MESSAGE_LENGTH;
  const chunks: Chunk[] = [];
  if (view.title) {
    const tone = TONE[view.tone];
    chunks.push({
      html: [`${tone ? `${tone} ` : ""}<b>${escapeHtml(showDirectionMarks(view.title))}</b>`],
      tight: false,
    });
  }
  for (const block of view.blocks) chunks.push(renderBlock(block, max));
  const parts = pack(chunks, max);
  const keyboard = renderKeyboard(view, options);
  return keyboard ? { parts, keyboard } : { parts };
}

/** The card: always one message, so that it can be edited in place; a view too long for one is cut with "…". */
export function renderCard(
  view: MessageView,
  options: RenderOptions = {},
): { text: string; keyboard?: InlineKeyboard } {
  const max = options.maxLength ?? MAX_MESSAGE_LENGTH;
  const whole = renderView(view, options);
  const text =
    whole.parts.length === 1
      ? (whole.parts[0] ?? "")
      : `${renderView(view, { ...options, maxLength: max - 2 }).parts[0] ?? ""}\n…`;
  return whole.keyboard ? { text, keyboard: whole.keyboard } : { text };
}

/**
 * The plain text of a short notice (no title, no buttons, only text blocks) that fits a callback
 * alert, or undefined for anything that must go as a message.
 */
export function alertText(view: MessageView): string | undefined {
  if (view.title !== "" || view.buttons.length > 0) return undefined;
  if (!view.blocks.every((block) => block.kind === "text")) return undefined;
  const text = view.blocks.map((block) => (block.kind === "text" ? block.text : "")).join("\n");
  return text.length > 0 && text.length <= MAX_ALERT_LENGTH ? text : undefined;
}

/** One piece of a message; a `tight` piece (a field, a check) follows another tight one without a blank line. */
interface Chunk {
  /** Already split so that each string fits a message on its own. */
  html: string[];
  tight: boolean;
}

function renderBlock(original: Block, max: number): Chunk {
  // What people typed (names from Telegram) cannot turn a line around; code is shown exactly.
  const block: Block =
    original.kind === "text"
      ? { ...original, text: showDirectionMarks(original.text) }
      : original.kind === "field"
        ? {
            ...original,
            label: showDirectionMarks(original.label),
            value: showDirectionMarks(original.value),
          }
        : original.kind === "check"
          ? { ...original, label: showDirectionMarks(original.label) }
          : original;
  switch (block.kind) {
    case "text":
      return { html: fit(block.text, max, 0, inlineCode), tight: false };
    case "field": {
      const html = `<b>${escapeHtml(block.label)}:</b> ${escapeHtml(block.value)}`;
      return {
        html: html.length <= max ? [html] : fit(`${block.label}: ${block.value}`, max, 0, (e) => e),
        tight: true,
      };
    }
    case "check":
      return {
        html: fit(`${block.done ? "✅" : "⬜"} ${block.label}`, max, 0, (e) => e),
        tight: true,
      };
    case "code": {
      const language = block.shell ? CODE_LANGUAGE[block.shell] : undefined;
      const open = language ? `<pre><code class="language-${language}">` : "<pre>";
      const close = language ? "</code></pre>" : "</pre>";
      return {
        html: fit(
          block.text.trimEnd(),
          max,
          open.length + close.length,
          (escaped) => `${open}${escaped}${close}`,
        ),
        tight: false,
      };
    }
  }
}

/** `like this` in a text block becomes inline code, as the strings in i18n write commands. */
function inlineCode(escaped: string): string {
  return escaped.replace(/`([^`\n]+)`/g, "<code>$1</code>");
}

/**
 * Escapes `text` and wraps it; when the result would exceed `max`, splits the text first (at line
 * breaks where possible) so that every wrapped piece fits. `overhead` is what `wrap` adds.
 */
function fit(
  text: string,
  max: number,
  overhead: number,
  wrap: (escaped: string) => string,
): string[] {
  const room = max - overhead;
  const whole = escapeHtml(text);
  if (whole.length <= room) return [wrap(whole)];
  const pieces: string[] = [];
  let current = "";
  const flush = () => {
    if (current !== "") pieces.push(wrap(escapeHtml(current)));
    current = "";
  };
  for (const line of text.split("\n")) {
    const candidate = current === "" ? line : `${current}\n${line}`;
    if (escapeHtml(candidate).length <= room) {
      current = candidate;
      continue;
    }
    flush();
    // A single line too long for a message: cut it where its escaped form still fits.
    let rest = line;
    while (escapeHtml(rest).length > room) {
      let cut = Math.min(rest.length, room);
      while (escapeHtml(rest.slice(0, cut)).length > room) cut -= 1;
      pieces.push(wrap(escapeHtml(rest.slice(0, cut))));
      rest = rest.slice(cut);
    }
    current = rest;
  }
  flush();
  return pieces;
}

/** Packs chunks into as few messages as fit, in order; a run of fields or checks stays together, line by line. */
function pack(chunks: Chunk[], max: number): string[] {
  const messages: string[] = [];
  let current = "";
  let previousTight = false;
  for (const chunk of chunks) {
    const tight = chunk.tight && previousTight;
    previousTight = chunk.tight;
    chunk.html.forEach((html, index) => {
      const separator = current === "" ? "" : tight && index === 0 ? "\n" : "\n\n";
      if (current !== "" && current.length + separator.length + html.length > max) {
        messages.push(current);
        current = html;
      } else {
        current = `${current}${separator}${html}`;
      }
    });
  }
  if (current !== "" || messages.length === 0) messages.push(current);
  return messages;
}

/** Action buttons two to a row; a link or a deep link gets a row of its own. */
function renderKeyboard(view: MessageView, options: RenderOptions): InlineKeyboard | undefined {
  const rows: InlineButton[][] = [];
  let row: InlineButton[] = [];
  const endRow = () => {
    if (row.length > 0) rows.push(row);
    row = [];
  };
  for (const button of view.buttons) {
    if (button.kind === "action") {
      if (!view.sessionId) continue;
      row.push({
        text: button.label,
        callback_data: callbackData(view.sessionId, button.action, button.target),
      });
      if (row.length === 2) endRow();
      continue;
    }
    const url = button.kind === "link" ? button.url : options.privateLink?.(button);
    if (!url) continue;
    endRow();
    rows.push([{ text: button.label, url }]);
  }
  endRow();
  return rows.length > 0 ? { inline_keyboard: rows } : undefined;
}
