// Turns platform-neutral views into Discord payloads: embeds coloured by tone, buttons in rows, modals.
// It renders exactly what a view holds and keeps to Discord's limits by splitting, never by cutting text silently.
// Every text it is given shows as that text: nothing a person typed can become a link, heading, mention or spoiler.

import {
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIEmbed,
  type APIEmbedField,
  type APIModalInteractionResponseCallbackData,
  ButtonStyle,
  ComponentType,
  TextInputStyle,
} from "discord.js";
import { t } from "../../core/i18n/index.ts";
import type { Lang } from "../../core/types.ts";
import { MAX_TOKEN_LENGTH, showDirectionMarks } from "../../core/validate.ts";
import type { Block, Button, FormView, MessageView, Tone } from "../../core/view.ts";
import { actionId, DIAGNOSE_ID, formId } from "./ids.ts";

/** Discord's limits on what one message may carry. */
export const LIMITS = {
  content: 2000,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  embedsPerMessage: 10,
  embedCharsPerMessage: 6000,
  buttonsPerRow: 5,
  rows: 5,
  label: 80,
  customId: 100,
  modalTitle: 45,
  inputLabel: 45,
  placeholder: 100,
} as const;

/** One message as discord.js sends it (raw API shapes, so tests can read them as Discord would). */
export interface DiscordMessage {
  content?: string;
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIButtonComponent>[];
  /** Nothing the bot posts may ping anyone: names and display names are typed by people. */
  allowedMentions: { parse: [] };
}

export const TONE_COLOURS: Record<Tone, number> = {
  waiting: 0xf0b232,
  action: 0x5865f2,
  success: 0x57f287,
  danger: 0xed4245,
  neutral: 0x99aab5,
};

const FENCE_LANGUAGE: Record<NonNullable<Extract<Block, { kind: "code" }>["shell"]>, string> = {
  posix: "bash",
  powershell: "powershell",
  json: "json",
  log: "",
};

const BUTTON_STYLE = {
  primary: ButtonStyle.Primary,
  success: ButtonStyle.Success,
  danger: ButtonStyle.Danger,
  secondary: ButtonStyle.Secondary,
} as const;

export interface RenderOptions {
  /** The language of the adapter's own words (the "shortened" note). */
  lang: Lang;
  /** At most this many messages (an edit cannot add messages); what does not fit is replaced by a visible note. */
  maxMessages?: number;
}

/**
 * Mentions (`#<channel id>`, `@<user id>`) the adapter itself wrote into a view it made, which Discord may show as
 * mentions; any other `<#…>` or `<@…>` shows as text. Nothing pings anyone either way (`allowedMentions`).
 */
const OWN_MENTIONS = new WeakMap<MessageView, readonly string[]>();

/** `view`, whose text holds the adapter's own `<#id>`/`<@id>` for these `mentions`, shown as mentions. */
export function withMentions(view: MessageView, mentions: readonly string[]): MessageView {
  OWN_MENTIONS.set(view, mentions);
  return view;
}

/**
 * `text` as Discord markdown that shows exactly `text`. A view's text is plain, except `inline code` (the bot's own
 * strings write commands that way, and Discord shows code literally). Everything else Discord would read as markup
 * gets a backslash, which Discord shows as nothing: `\ * _ ~ \` | [ ] < > # @` anywhere, the `:` of `://` (no bare
 * link), and `-`, `+`, `1.` at the start of a line (no list). discord.js's `escapeMarkdown` leaves quotes, mentions,
 * bare links and `-#` alone and, by default, headings, lists and masked links too, hence this one.
 */
export function escapeText(text: string): string {
  return (
    text
      .split(CODE_SPAN)
      // A code span shows its text literally, but a direction override in it still turns the line around.
      .map((part, index) => (index % 2 === 1 ? showDirectionMarks(part) : escapePlain(part)))
      .join("")
  );
}

/** A code span is kept only this long, so a message can always be split outside one (see safeEnd). */
const CODE_SPAN = /(`[^`\n]{1,200}`)/;

function escapePlain(text: string): string {
  return showDirectionMarks(text)
    .replace(/[\\*_~`|[\]<>#@]/g, "\\$&")
    .replace(/:(?=\/\/)/g, "\\:")
    .replace(/^([ \t]*)([-+])/gm, "$1\\$2")
    .replace(/^([ \t]*\d+)\./gm, "$1\\.");
}

/** Escaped text, with the mentions the adapter wrote itself made live again. */
function escaper(view: MessageView): (text: string) => string {
  const mentions = OWN_MENTIONS.get(view) ?? [];
  return (text) =>
    mentions.reduce(
      (escaped, mention) => escaped.replaceAll(escapeText(`<${mention}>`), `<${mention}>`),
      escapeText(text),
    );
}

/** A view as one or more Discord messages; the buttons go on the last one. */
export function renderMessages(view: MessageView, options: RenderOptions): DiscordMessage[] {
  const components = buttonRows(view);
  const show = escaper(view);
  const plain = plainText(view, show);
  if (plain !== undefined) return [{ content: plain, embeds: [], components, ...NO_MENTIONS }];

  const { fields, overflow } = embedFields(view.blocks, show);
  const title = view.title ? cutMarkdown(show(view.title), LIMITS.title) : undefined;
  const chunks = packSegments([...segments(view.blocks, show), ...overflow], LIMITS.description);
  const colour = TONE_COLOURS[view.tone];
  const embeds: APIEmbed[] = chunks.map((description) =>
    description ? { color: colour, description } : { color: colour },
  );
  if (embeds.length === 0) embeds.push({ color: colour });
  const first = embeds[0] as APIEmbed;
  if (title) first.title = title;
  if (fields.length > 0) first.fields = fields;

  const messages = packEmbeds(embeds).map(
    (group): DiscordMessage => ({ embeds: group, components: [], ...NO_MENTIONS }),
  );
  const max = options.maxMessages ?? Number.POSITIVE_INFINITY;
  if (messages.length > max) {
    messages.length = Math.max(1, max);
    markShortened(messages.at(-1) as DiscordMessage, t(options.lang, "discord.truncated"), colour);
  }
  (messages.at(-1) as DiscordMessage).components = components;
  return messages;
}

const NO_MENTIONS = { allowedMentions: { parse: [] as [] } };

/** A view that is only a few lines of text (a notice) is sent as plain content. */
function plainText(view: MessageView, show: (text: string) => string): string | undefined {
  if (view.title || !view.blocks.every((b) => b.kind === "text")) return undefined;
  const text = view.blocks.map((b) => (b.kind === "text" ? show(b.text) : "")).join("\n");
  return text.trim().length > 0 && text.length <= LIMITS.content ? text : undefined;
}

/** What the fields of one embed may hold in all: title (256) + fields + description (4096) stay within 6000. */
const FIELDS_BUDGET = LIMITS.embedCharsPerMessage - LIMITS.title - LIMITS.description;

/** Field blocks become embed fields; those Discord cannot hold as fields go into the description instead. */
function embedFields(
  blocks: Block[],
  show: (text: string) => string,
): { fields: APIEmbedField[]; overflow: string[] } {
  const fields: APIEmbedField[] = [];
  const overflow: string[] = [];
  let used = 0;
  for (const block of blocks) {
    if (block.kind !== "field") continue;
    const label = show(block.label);
    const value = show(block.value);
    const size = label.length + value.length;
    const fits =
      fields.length < LIMITS.fields &&
      used + size <= FIELDS_BUDGET &&
      block.label.trim().length > 0 &&
      label.length <= LIMITS.fieldName &&
      block.value.trim().length > 0 &&
      value.length <= LIMITS.fieldValue;
    if (fits) {
      fields.push({ name: label, value, inline: block.value.length <= 40 });
      used += size;
    } else overflow.push(...splitText(`**${label}:** ${value}`, LIMITS.description));
  }
  return { fields, overflow };
}

/** Text, checklist and code blocks, in order, as pieces of an embed description (each within the limit). */
function segments(blocks: Block[], show: (text: string) => string): string[] {
  const out: string[] = [];
  for (const block of blocks) {
    if (block.kind === "text") out.push(...splitText(show(block.text), LIMITS.description));
    else if (block.kind === "check")
      out.push(
        ...splitText(`${block.done ? "✅" : "⬜"} ${show(block.label)}`, LIMITS.description),
      );
    else if (block.kind === "code") out.push(...codeBlocks(block));
  }
  return out;
}

/**
 * A code block as one or more fenced blocks, split between lines so each part can be copied and pasted
 * in turn. A "```" inside the code would end the fence early, so a zero-width space breaks it up.
 */
export function codeBlocks(block: Extract<Block, { kind: "code" }>): string[] {
  const language = block.shell ? FENCE_LANGUAGE[block.shell] : "";
  const open = `\`\`\`${language}\n`;
  const close = "\n```";
  const budget = LIMITS.description - open.length - close.length;
  const text = block.text.replace(/\n+$/, "").replaceAll("```", "``\u200b`");
  const parts: string[] = [];
  let current: string | undefined;
  for (const line of text.split("\n")) {
    for (const piece of slices(line, budget)) {
      if (current === undefined) current = piece;
      else if (current.length + 1 + piece.length <= budget) current = `${current}\n${piece}`;
      else {
        parts.push(current);
        current = piece;
      }
    }
  }
  parts.push(current ?? "");
  return parts.map((part) => `${open}${part}${close}`);
}

/** Splits prose at line breaks, then spaces, then anywhere, into pieces of at most `max` characters. */
function splitText(text: string, max: number): string[] {
  if (text.length <= max) return [text];
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const end = safeEnd(rest, max, true);
    pieces.push(rest.slice(0, end));
    rest = rest.slice(end).replace(/^[\n ]/, "");
  }
  if (rest.length > 0) pieces.push(rest);
  return pieces;
}

/**
 * Where escaped text may be cut at or before `max`: never inside a `code span` nor between a backslash and what it
 * escapes, or the next piece would start with what was typed as live markup. With `atGap`, a line break or space in
 * the second half is preferred. 0 when there is no such place (a text that starts with a span longer than `max`).
 */
function safeEnd(text: string, max: number, atGap: boolean): number {
  let code = false;
  let safe = 0;
  let gap = -1;
  let i = 0;
  while (i < Math.min(max, text.length)) {
    const c = text[i];
    if (!code && c === "\\") {
      i += 2;
      if (i <= max) safe = i;
      continue;
    }
    if (c === "`") code = !code;
    else if (!code && (c === " " || c === "\n")) gap = i;
    i += 1;
    if (!code) safe = i;
  }
  if (atGap && gap > max / 2) return gap;
  return safe;
}

function slices(line: string, max: number): string[] {
  if (line.length <= max) return [line];
  const out: string[] = [];
  for (let i = 0; i < line.length; i += max) out.push(line.slice(i, i + max));
  return out;
}

/** Joins segments with line breaks into as few descriptions as fit. */
function packSegments(parts: string[], max: number): string[] {
  const chunks: string[] = [];
  let current = "";
  for (const part of parts) {
    const candidate = current === "" ? part : `${current}\n${part}`;
    if (candidate.length <= max) {
      current = candidate;
      continue;
    }
    if (current !== "") chunks.push(current);
    current = part;
  }
  if (current !== "") chunks.push(current);
  return chunks;
}

export function embedLength(embed: APIEmbed): number {
  return (
    (embed.title?.length ?? 0) +
    (embed.description?.length ?? 0) +
    (embed.footer?.text.length ?? 0) +
    (embed.fields ?? []).reduce((sum, f) => sum + f.name.length + f.value.length, 0)
  );
}

/** Groups embeds into messages of at most 10 embeds and 6000 characters. */
function packEmbeds(embeds: APIEmbed[]): APIEmbed[][] {
  const messages: APIEmbed[][] = [];
  let current: APIEmbed[] = [];
  let size = 0;
  for (const embed of embeds) {
    const length = embedLength(embed);
    if (
      current.length > 0 &&
      (current.length >= LIMITS.embedsPerMessage || size + length > LIMITS.embedCharsPerMessage)
    ) {
      messages.push(current);
      current = [];
      size = 0;
    }
    current.push(embed);
    size += length;
  }
  if (current.length > 0) messages.push(current);
  return messages;
}

/** Says, in the last message that is kept, that the rest was left out; whole embeds make room, no text is sliced. */
function markShortened(message: DiscordMessage, note: string, colour: number): void {
  const noteEmbed: APIEmbed = { color: colour, description: note };
  const total = () => message.embeds.reduce((sum, e) => sum + embedLength(e), 0);
  while (
    message.embeds.length > 1 &&
    (message.embeds.length >= LIMITS.embedsPerMessage ||
      total() + note.length > LIMITS.embedCharsPerMessage)
  )
    message.embeds.pop();
  message.embeds.push(noteEmbed);
}

/** The view's buttons in rows of five: actions carry `cs1:<session>:<action>`, links their URL. */
export function buttonRows(view: MessageView): APIActionRowComponent<APIButtonComponent>[] {
  const buttons: APIButtonComponent[] = [];
  const seen = new Set<string>();
  for (const button of view.buttons) {
    const rendered = renderButton(button, view.sessionId);
    if (!rendered) continue;
    const key =
      "custom_id" in rendered ? rendered.custom_id : "url" in rendered ? rendered.url : "";
    if (seen.has(key)) continue;
    seen.add(key);
    buttons.push(rendered);
  }
  const rows: APIActionRowComponent<APIButtonComponent>[] = [];
  for (let i = 0; i < buttons.length && rows.length < LIMITS.rows; i += LIMITS.buttonsPerRow)
    rows.push({
      type: ComponentType.ActionRow,
      components: buttons.slice(i, i + LIMITS.buttonsPerRow),
    });
  return rows;
}

/**
 * A `private` button becomes an ordinary action button: Discord can answer the one person it is for in
 * place (an ephemeral reply), and the core refuses anyone else who presses it.
 */
function renderButton(
  button: Button,
  sessionId: string | undefined,
): APIButtonComponent | undefined {
  const label = cut(button.label, LIMITS.label);
  if (button.kind === "link") {
    if (!/^https?:\/\//i.test(button.url)) return undefined;
    return { type: ComponentType.Button, style: ButtonStyle.Link, label, url: button.url };
  }
  if (!sessionId) return undefined;
  const style = button.kind === "action" ? BUTTON_STYLE[button.style] : ButtonStyle.Primary;
  return {
    type: ComponentType.Button,
    style,
    label,
    custom_id: actionId(
      sessionId,
      button.action,
      button.kind === "action" ? button.target : undefined,
    ),
  };
}

/** Bounds for what a gateway operator can type; the core's validation explains anything wrong within them. */
const INPUT_MAX: Record<FormView["fields"][number]["name"], number> = {
  host: 300,
  port: 16,
  fingerprint: 200,
  token: MAX_TOKEN_LENGTH,
};

/** The credentials form as a Discord modal: the intro, then one short text input per field. Never pre-fills a secret. */
export function renderForm(
  form: FormView,
  sessionId: string,
): APIModalInteractionResponseCallbackData {
  return {
    custom_id: formId(sessionId),
    title: cut(form.title, LIMITS.modalTitle),
    components: [
      { type: ComponentType.TextDisplay, content: cutMarkdown(escapeText(form.intro), 4000) },
      ...form.fields.map((field) => {
        const max = INPUT_MAX[field.name];
        const value = !field.secret && field.value ? field.value.slice(0, max) : undefined;
        return {
          type: ComponentType.Label as const,
          label: cut(field.label, LIMITS.inputLabel),
          component: {
            type: ComponentType.TextInput as const,
            custom_id: field.name,
            style: TextInputStyle.Short,
            placeholder: cut(field.placeholder, LIMITS.placeholder),
            required: field.required,
            max_length: max,
            ...(value ? { value } : {}),
          },
        };
      }),
    ],
  };
}

/** The /diagnose paste box: one paragraph input for the node's log. */
export function renderDiagnoseForm(lang: Lang): APIModalInteractionResponseCallbackData {
  return {
    custom_id: DIAGNOSE_ID,
    title: cut(t(lang, "discord.diagnose.title"), LIMITS.modalTitle),
    components: [
      {
        type: ComponentType.Label,
        label: cut(t(lang, "discord.diagnose.label"), LIMITS.inputLabel),
        component: {
          type: ComponentType.TextInput,
          custom_id: "log",
          style: TextInputStyle.Paragraph,
          placeholder: cut(t(lang, "discord.diagnose.placeholder"), LIMITS.placeholder),
          required: true,
          max_length: 4000,
        },
      },
    ],
  };
}

/** A visible cut for labels and titles, which Discord caps and which carry no secret or command. */
function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** `cut` for escaped markdown: never inside a code span or an escape (see safeEnd). */
function cutMarkdown(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, safeEnd(text, max - 1, false))}…`;
}
