// Turns a message text with parse_mode (HTML, MarkdownV2, Markdown) into plain text and entities,
// refusing what Telegram refuses; it never repairs a text, so a bot's bad markup fails its tests.

import type { MessageEntity } from "grammy/types";

/** Thrown for a text Telegram would answer with "Bad Request: can't parse entities: …". */
export class EntityParseError extends Error {}

export interface ParsedText {
  text: string;
  entities: MessageEntity[];
}

/** Applies parse_mode; a text without one is taken literally. */
export function parseText(raw: string, parseMode: string | undefined): ParsedText {
  switch (parseMode?.toLowerCase()) {
    case undefined:
    case "":
      return { text: raw, entities: [] };
    case "html":
      return parseHtml(raw);
    case "markdownv2":
      return parseMarkdown(raw, true);
    case "markdown":
      return parseMarkdown(raw, false);
    default:
      throw new EntityParseError(`Unsupported parse_mode "${parseMode}"`);
  }
}

function byteOffset(raw: string, index: number): number {
  return Buffer.byteLength(raw.slice(0, index));
}

/** An entity whose end is not reached yet; `at` is where its mark starts in the raw text. */
type Open = {
  name: string;
  type: MessageEntity["type"] | "none";
  offset: number;
  at?: number;
  url?: string;
};

const HTML_TAGS: Record<string, MessageEntity["type"]> = {
  b: "bold",
  strong: "bold",
  i: "italic",
  em: "italic",
  u: "underline",
  ins: "underline",
  s: "strikethrough",
  strike: "strikethrough",
  del: "strikethrough",
  "tg-spoiler": "spoiler",
  span: "spoiler",
  a: "text_link",
  code: "code",
  pre: "pre",
  blockquote: "blockquote",
  "tg-emoji": "custom_emoji",
};

const HTML_ENTITIES: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"' };

function attributes(source: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const match of source.matchAll(/([a-zA-Z-]+)\s*(?:=\s*("[^"]*"|'[^']*'|[^\s"'>]+))?/g)) {
    const name = match[1]?.toLowerCase() ?? "";
    found.set(name, (match[2] ?? "").replace(/^["']|["']$/g, ""));
  }
  return found;
}

function parseHtml(raw: string): ParsedText {
  let text = "";
  const entities: MessageEntity[] = [];
  const open: Open[] = [];
  let i = 0;
  while (i < raw.length) {
    const char = raw[i] ?? "";
    if (char === "&") {
      const match = /^&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/.exec(raw.slice(i));
      const name = match?.[1] ?? "";
      const decoded = name.startsWith("#x")
        ? String.fromCodePoint(Number.parseInt(name.slice(2), 16))
        : name.startsWith("#")
          ? String.fromCodePoint(Number.parseInt(name.slice(1), 10))
          : HTML_ENTITIES[name.toLowerCase()];
      if (match === null || decoded === undefined) {
        text += "&";
        i += 1;
      } else {
        text += decoded;
        i += match[0].length;
      }
      continue;
    }
    if (char !== "<") {
      text += char;
      i += 1;
      continue;
    }
    const close = raw.indexOf(">", i);
    const tag = close === -1 ? raw.slice(i + 1) : raw.slice(i + 1, close);
    const at = byteOffset(raw, i);
    if (tag.startsWith("/")) {
      const name = tag.slice(1).trim().toLowerCase();
      const top = open.pop();
      if (top === undefined) throw new EntityParseError(`Unexpected end tag at byte offset ${at}`);
      if (top.name !== name) {
        throw new EntityParseError(
          `Unmatched end tag at byte offset ${at}, expected "</${top.name}>", found "</${name}>"`,
        );
      }
      closeEntity(top, text, entities);
    } else {
      // Like Telegram, the tag name runs to the first space or ">": "a < b" is an empty tag name.
      const name = /^[^\s>]*/.exec(tag)?.[0].toLowerCase() ?? "";
      const nameEnded = i + 1 + name.length < raw.length;
      if (!nameEnded) throw new EntityParseError(`Unclosed start tag at byte offset ${at}`);
      const type = HTML_TAGS[name];
      if (type === undefined) {
        throw new EntityParseError(`Unsupported start tag "${name}" at byte offset ${at}`);
      }
      if (close === -1) throw new EntityParseError(`Unclosed start tag at byte offset ${at}`);
      const attrs = attributes(tag.slice(name.length));
      if (name === "span" && attrs.get("class") !== "tg-spoiler") {
        throw new EntityParseError(`Tag "span" must have class "tg-spoiler" at byte offset ${at}`);
      }
      const parent = open.at(-1);
      if (name === "code" && parent?.type === "pre") {
        // <pre><code class="language-x"> is one pre entity with a language, not two entities.
        const language = attrs.get("class")?.replace(/^language-/, "");
        if (language) parent.url = language;
        open.push({ name, type: "none", offset: text.length });
      } else {
        const entry: Open = { name, type, offset: text.length };
        const href = attrs.get("href");
        if (name === "a" && href !== undefined) entry.url = href;
        if (name === "a" && href === undefined) entry.type = "none";
        open.push(entry);
      }
    }
    i = close + 1;
  }
  const unclosed = open.pop();
  if (unclosed !== undefined) {
    throw new EntityParseError(`Can't find end tag corresponding to start tag "${unclosed.name}"`);
  }
  return { text, entities: entities.sort((a, b) => a.offset - b.offset) };
}

function closeEntity(open: Open, text: string, entities: MessageEntity[]): void {
  const length = text.length - open.offset;
  if (open.type === "none" || length === 0) return;
  const entity = { type: open.type, offset: open.offset, length } as Record<string, unknown>;
  if (open.type === "text_link") entity.url = open.url;
  if (open.type === "pre" && open.url !== undefined) entity.language = open.url;
  entities.push(entity as unknown as MessageEntity);
}

/** How Telegram names entity types in "Can't find end of … entity" errors. */
const TDLIB_NAMES: Record<string, string> = {
  bold: "Bold",
  italic: "Italic",
  underline: "Underline",
  strikethrough: "Strikethrough",
  spoiler: "Spoiler",
  text_link: "TextUrl",
};

const MARKDOWN_V2_RESERVED = new Set("_*[]()~`>#+-=|{}.!");

const MARKDOWN_MARKS: Array<[string, MessageEntity["type"], "v2" | "both"]> = [
  ["__", "underline", "v2"],
  ["||", "spoiler", "v2"],
  ["*", "bold", "both"],
  ["_", "italic", "both"],
  ["~", "strikethrough", "v2"],
];

/**
 * MarkdownV2 (strict: every reserved character outside an entity must be escaped) and the
 * legacy Markdown. Covers bold, italic, underline, strikethrough, spoiler, code, pre and links.
 */
function parseMarkdown(raw: string, v2: boolean): ParsedText {
  let text = "";
  const entities: MessageEntity[] = [];
  const open: Open[] = [];
  let i = 0;
  const unclosed = (name: string, at: number) =>
    new EntityParseError(
      v2
        ? `Can't find end of ${name} entity at byte offset ${byteOffset(raw, at)}`
        : `Can't find end of the entity starting at byte offset ${byteOffset(raw, at)}`,
    );
  while (i < raw.length) {
    const char = raw[i] ?? "";
    if (char === "\\" && (v2 || "_*`[".includes(raw[i + 1] ?? ""))) {
      text += raw[i + 1] ?? "";
      i += 2;
      continue;
    }
    if (char === "`") {
      const fence = raw.startsWith("```", i) ? "```" : "`";
      const end = findUnescaped(raw, fence, i + fence.length, v2);
      if (end === -1) throw unclosed(fence === "`" ? "Code" : "Pre", i);
      let body = raw.slice(i + fence.length, end);
      const entity = { type: fence === "`" ? "code" : "pre", offset: text.length } as Record<
        string,
        unknown
      >;
      if (fence === "```") {
        const newline = body.indexOf("\n");
        if (newline > 0 && !/\s/.test(body.slice(0, newline)))
          entity.language = body.slice(0, newline);
        if (newline >= 0) body = body.slice(newline + 1);
      }
      body = v2 ? body.replace(/\\([\\`])/g, "$1") : body;
      text += body;
      entities.push({ ...entity, length: body.length } as unknown as MessageEntity);
      i = end + fence.length;
      continue;
    }
    if (char === "[") {
      open.push({ name: "[", type: "text_link", offset: text.length, at: i });
      i += 1;
      continue;
    }
    if (char === "]" && open.at(-1)?.name === "[" && raw[i + 1] === "(") {
      const end = findUnescaped(raw, ")", i + 2, v2);
      if (end === -1) throw unclosed("TextUrl", i);
      const link = open.pop() as Open;
      link.url = raw.slice(i + 2, end).replace(/\\([\\)])/g, "$1");
      closeEntity(link, text, entities);
      i = end + 1;
      continue;
    }
    const mark = MARKDOWN_MARKS.find(
      ([m, , mode]) => (v2 || mode === "both") && raw.startsWith(m, i),
    );
    if (mark !== undefined) {
      const [m, type] = mark;
      const top = open.at(-1);
      if (top?.name === m) closeEntity(open.pop() as Open, text, entities);
      else open.push({ name: m, type, offset: text.length, at: i });
      i += m.length;
      continue;
    }
    if (v2 && char === ">" && (i === 0 || raw[i - 1] === "\n")) {
      const lineEnd = raw.indexOf("\n", i);
      const line = raw.slice(i + 1, lineEnd === -1 ? raw.length : lineEnd);
      const inner = parseMarkdown(line, true);
      const offset = text.length;
      text += inner.text;
      for (const e of inner.entities) entities.push({ ...e, offset: e.offset + offset });
      entities.push({ type: "blockquote", offset, length: inner.text.length });
      i += line.length + 1;
      continue;
    }
    if (v2 && MARKDOWN_V2_RESERVED.has(char)) {
      throw new EntityParseError(
        `Character '${char}' is reserved and must be escaped with the preceding '\\'`,
      );
    }
    text += char;
    i += 1;
  }
  const left = open.pop();
  if (left !== undefined) throw unclosed(TDLIB_NAMES[left.type] ?? left.type, left.at ?? 0);
  return { text, entities: entities.sort((a, b) => a.offset - b.offset) };
}

function findUnescaped(raw: string, needle: string, from: number, v2: boolean): number {
  for (let i = from; i < raw.length; i++) {
    if (v2 && raw[i] === "\\") {
      i += 1;
      continue;
    }
    if (raw.startsWith(needle, i)) return i;
  }
  return -1;
}
