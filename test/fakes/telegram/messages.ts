// The Bot API methods that send, edit and delete messages, with the rules Telegram enforces on them.
// They never accept what Telegram refuses: an adapter that passes here must not fail in production.

import { createHash } from "node:crypto";
import { EntityParseError, type ParsedText, parseText } from "./formatting.ts";
import { ApiError, badRequest, forbidden, type Params } from "./params.ts";
import type {
  FakeChat,
  MessageVersion,
  RecordedMessage,
  StoredFile,
  TelegramState,
} from "./state.ts";

const MAX_TEXT = 4096;
const MAX_CAPTION = 1024;
const MAX_CALLBACK_DATA_BYTES = 64;

/** The chat from chat_id, if the bot may write there. */
function writableChat(state: TelegramState, params: Params): FakeChat {
  const chat = params.chat(state);
  if (chat.type === "private") {
    const person = state.person(chat.id);
    if (person?.blockedBot === true) throw forbidden("bot was blocked by the user");
    if (person?.startedBot !== true) throw forbidden("bot can't initiate conversation with a user");
  } else if (state.memberStatus(chat.id, state.bot.id) === "left") {
    throw forbidden(`bot is not a member of the ${chat.type} chat`);
  }
  return chat;
}

/** Text (or caption) after parse_mode, with Telegram's emptiness and length rules. */
function formatted(params: Params, field: "text" | "caption"): ParsedText & { raw: string } {
  const raw = params.string(field) ?? "";
  const entitiesField = field === "text" ? "entities" : "caption_entities";
  let parsed: ParsedText;
  try {
    parsed = params.has(entitiesField)
      ? { text: raw, entities: params.json(entitiesField) as ParsedText["entities"] }
      : parseText(raw, params.string("parse_mode"));
  } catch (error) {
    if (error instanceof EntityParseError)
      throw badRequest(`can't parse entities: ${error.message}`);
    throw error;
  }
  if (field === "text" && parsed.text.trim() === "") throw badRequest("message text is empty");
  if (field === "text" && parsed.text.length > MAX_TEXT) throw badRequest("message is too long");
  if (field === "caption" && parsed.text.length > MAX_CAPTION) {
    throw badRequest("message caption is too long");
  }
  return { ...parsed, raw };
}

const BUTTON_ACTIONS = [
  "url",
  "callback_data",
  "web_app",
  "login_url",
  "switch_inline_query",
  "switch_inline_query_current_chat",
  "switch_inline_query_chosen_chat",
  "copy_text",
  "callback_game",
  "pay",
];

function checkInlineButton(button: unknown): void {
  if (typeof button !== "object" || button === null) {
    throw badRequest("can't parse inline keyboard button: InlineKeyboardButton must be an Object");
  }
  const fields = button as Record<string, unknown>;
  if (typeof fields.text !== "string") {
    throw badRequest(`can't parse inline keyboard button: Field "text" must be of type String`);
  }
  if (fields.text === "") throw badRequest("BUTTON_TEXT_INVALID");
  const data = fields.callback_data;
  if (typeof data === "string" && Buffer.byteLength(data) > MAX_CALLBACK_DATA_BYTES) {
    throw badRequest("BUTTON_DATA_INVALID");
  }
  const url = fields.url;
  if (typeof url === "string" && url !== "" && !/^(https?|tg):\/\/[^\s]+$/i.test(url)) {
    throw badRequest(`inline keyboard button URL '${url}' is invalid: Wrong HTTP URL`);
  }
  const action = BUTTON_ACTIONS.find((name) => fields[name] !== undefined && fields[name] !== "");
  if (action === undefined) {
    throw badRequest(
      "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard",
    );
  }
}

/** reply_markup, checked like Telegram checks it; undefined when absent. */
function replyMarkup(params: Params): Record<string, unknown> | undefined {
  const markup = params.object("reply_markup", "reply keyboard markup");
  if (markup === undefined) return undefined;
  if (markup.inline_keyboard !== undefined) {
    const rows = markup.inline_keyboard;
    if (!Array.isArray(rows) || rows.some((row) => !Array.isArray(row))) {
      throw badRequest('Field "inline_keyboard" of the InlineKeyboardMarkup must be an Array');
    }
    for (const row of rows as unknown[][]) for (const button of row) checkInlineButton(button);
    return { inline_keyboard: rows };
  }
  const known = ["keyboard", "remove_keyboard", "force_reply"];
  if (!known.some((name) => markup[name] !== undefined)) {
    throw badRequest("object expected as reply markup");
  }
  return markup;
}

function replyParameters(
  state: TelegramState,
  chat: FakeChat,
  params: Params,
): Record<string, unknown> | undefined {
  const reply = params.object("reply_parameters", "reply parameters");
  const legacyId = params.int("reply_to_message_id");
  const target = reply ?? (legacyId === undefined ? undefined : { message_id: legacyId });
  if (target === undefined) return undefined;
  const chatId = target.chat_id === undefined ? chat.id : Number(target.chat_id);
  if (state.findMessage(chatId, Number(target.message_id)) === undefined) {
    if (target.allow_sending_without_reply === true) return undefined;
    throw badRequest("message to be replied not found");
  }
  return target;
}

function newMessage(
  state: TelegramState,
  chat: FakeChat,
  method: string,
  text: ParsedText & { raw: string },
  params: Params,
): RecordedMessage {
  const message_id = state.nextMessageId(chat.id);
  const recorded: RecordedMessage = {
    method,
    message_id,
    chatId: chat.id,
    chatType: chat.type,
    date: Math.floor(Date.now() / 1000),
    text: text.text,
    rawText: text.raw,
    entities: text.entities,
    edits: [],
    deleted: false,
  };
  const parseMode = params.string("parse_mode");
  if (parseMode !== undefined) recorded.parse_mode = parseMode;
  const markup = replyMarkup(params);
  if (markup !== undefined) recorded.reply_markup = markup;
  const reply = replyParameters(state, chat, params);
  if (reply !== undefined) recorded.reply_parameters = reply;
  const preview = params.object("link_preview_options", "link preview options");
  if (preview !== undefined) recorded.link_preview_options = preview;
  const thread = params.int("message_thread_id");
  if (thread !== undefined) {
    // Only a forum has topics; Telegram refuses a thread id anywhere else.
    if (chat.is_forum !== true) throw badRequest("message thread not found");
    recorded.thread = thread;
  }
  return recorded;
}

function sent(state: TelegramState, recorded: RecordedMessage): Record<string, unknown> {
  state.storeMessage(recorded.chatId, recorded.message_id, { kind: "bot", recorded });
  state.changed();
  const json = state.botMessageJson(recorded);
  const reply = recorded.reply_parameters;
  if (reply !== undefined) {
    const chatId = reply.chat_id === undefined ? recorded.chatId : Number(reply.chat_id);
    const original = state.findMessage(chatId, Number(reply.message_id));
    if (original !== undefined) json.reply_to_message = state.messageJson(original);
  }
  return json;
}

export function sendMessage(state: TelegramState, params: Params): unknown {
  const chat = writableChat(state, params);
  const text = formatted(params, "text");
  return sent(state, newMessage(state, chat, "sendMessage", text, params));
}

export function sendDocument(state: TelegramState, params: Params): unknown {
  const chat = writableChat(state, params);
  const caption = formatted(params, "caption");
  const document = params.string("document") ?? "";
  let file: StoredFile | undefined;
  if (document.startsWith("attach://")) {
    const upload = params.uploads.get(document.slice("attach://".length));
    if (upload === undefined) throw badRequest("wrong remote file identifier specified");
    file = storeFile(state, upload.fileName, upload.content);
  } else if (/^https?:\/\//.test(document)) {
    // The fake has no internet, and a test must never depend on it.
    throw badRequest("failed to get HTTP URL content");
  } else {
    file = state.files.get(document);
  }
  if (file === undefined) throw badRequest("there is no document in the request");
  const recorded = newMessage(state, chat, "sendDocument", caption, params);
  recorded.document = {
    file_id: file.file_id,
    file_name: file.file_name,
    mime_type: file.mime_type,
    content: file.content,
  };
  return sent(state, recorded);
}

/** Keeps a file so that getFile and the file URL can serve it. */
export function storeFile(
  state: TelegramState,
  fileName: string,
  content: Buffer,
  mimeType?: string,
): StoredFile {
  const n = state.freshId();
  const digest = createHash("sha256").update(content).digest("hex").slice(0, 16);
  const file: StoredFile = {
    file_id: `BQACAgIAAx${n}${digest}`,
    file_unique_id: `AgAD${digest.slice(0, 8)}`,
    file_path: `documents/file_${n}${/\.[A-Za-z0-9]+$/.exec(fileName)?.[0] ?? ""}`,
    file_name: fileName,
    mime_type: mimeType ?? guessMimeType(fileName),
    content,
  };
  state.files.set(file.file_id, file);
  return file;
}

function guessMimeType(fileName: string): string {
  const types: Record<string, string> = {
    txt: "text/plain",
    json: "application/json",
    pdf: "application/pdf",
    png: "image/png",
    jpg: "image/jpeg",
    zip: "application/zip",
    yaml: "application/x-yaml",
  };
  return (
    types[/\.([A-Za-z0-9]+)$/.exec(fileName)?.[1]?.toLowerCase() ?? ""] ??
    "application/octet-stream"
  );
}

/** The bot message that chat_id + message_id name, if the bot may edit it. */
function editableMessage(state: TelegramState, params: Params): RecordedMessage {
  if (params.has("inline_message_id")) throw badRequest("MESSAGE_ID_INVALID");
  const chat = params.chat(state);
  const messageId = params.requiredInt("message_id", "message identifier");
  const stored = state.findMessage(chat.id, messageId);
  if (stored === undefined) throw badRequest("message to edit not found");
  if (stored.kind !== "bot") throw badRequest("message can't be edited");
  return stored.recorded;
}

function applyEdit(
  state: TelegramState,
  message: RecordedMessage,
  version: MessageVersion,
): Record<string, unknown> {
  const same =
    version.text === message.text &&
    JSON.stringify(version.entities) === JSON.stringify(message.entities) &&
    JSON.stringify(version.reply_markup ?? null) === JSON.stringify(message.reply_markup ?? null);
  if (same) {
    throw badRequest(
      "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message",
    );
  }
  message.edits.push(version);
  message.text = version.text;
  message.rawText = version.rawText;
  message.entities = version.entities;
  message.parse_mode = version.parse_mode;
  message.reply_markup = version.reply_markup;
  state.changed();
  return state.botMessageJson(message);
}

export function editMessageText(state: TelegramState, params: Params): unknown {
  const message = editableMessage(state, params);
  if (message.document !== undefined) throw badRequest("there is no text in the message to edit");
  const text = formatted(params, "text");
  const version: MessageVersion = {
    method: "editMessageText",
    text: text.text,
    rawText: text.raw,
    entities: text.entities,
    // Telegram drops the inline keyboard when an edit does not repeat it.
    reply_markup: replyMarkup(params),
  };
  const parseMode = params.string("parse_mode");
  if (parseMode !== undefined) version.parse_mode = parseMode;
  return applyEdit(state, message, version);
}

export function editMessageReplyMarkup(state: TelegramState, params: Params): unknown {
  const message = editableMessage(state, params);
  const { edits: _edits, ...current } = message;
  const version: MessageVersion = {
    method: "editMessageReplyMarkup",
    text: current.text,
    rawText: current.rawText,
    entities: current.entities,
    reply_markup: replyMarkup(params),
  };
  if (current.parse_mode !== undefined) version.parse_mode = current.parse_mode;
  return applyEdit(state, message, version);
}

function deleteOne(state: TelegramState, chat: FakeChat, messageId: number): void {
  const stored = state.findMessage(chat.id, messageId);
  if (stored === undefined) throw badRequest("message to delete not found");
  const botStatus = state.memberStatus(chat.id, state.bot.id);
  const botIsAdmin = botStatus === "administrator" || botStatus === "creator";
  if (stored.kind === "person" && chat.type !== "private" && !botIsAdmin) {
    throw badRequest("message can't be deleted");
  }
  if (stored.kind === "bot") stored.recorded.deleted = true;
  else stored.deleted = true;
  state.deletedMessages.push({
    chatId: chat.id,
    message_id: messageId,
    byBotAuthor: stored.kind === "bot",
    text: stored.kind === "bot" ? stored.recorded.text : stored.text,
  });
}

export function deleteMessage(state: TelegramState, params: Params): unknown {
  const chat = params.chat(state);
  deleteOne(state, chat, params.requiredInt("message_id", "message identifier"));
  state.changed();
  return true;
}

export function deleteMessages(state: TelegramState, params: Params): unknown {
  const chat = params.chat(state);
  const ids = params.json("message_ids");
  if (!Array.isArray(ids) || ids.length === 0) throw badRequest("message identifiers are empty");
  // deleteMessages skips what it cannot delete and fails only when nothing was deleted.
  let lastError: unknown;
  let deleted = 0;
  for (const id of ids) {
    try {
      deleteOne(state, chat, Number(id));
      deleted += 1;
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      lastError = error;
    }
  }
  if (deleted === 0) throw lastError;
  state.changed();
  return true;
}

export function answerCallbackQuery(state: TelegramState, params: Params): unknown {
  const id = params.string("callback_query_id") ?? "";
  const query = state.callbackQueries.get(id);
  if (query === undefined || query.answered !== undefined) {
    throw badRequest("query is too old and response timeout expired or query ID is invalid");
  }
  const answer: { callback_query_id: string } & Record<string, unknown> = { callback_query_id: id };
  for (const field of ["text", "url"]) {
    const value = params.string(field);
    if (value !== undefined) answer[field] = value;
  }
  if (params.has("show_alert")) answer.show_alert = params.bool("show_alert");
  const cacheTime = params.int("cache_time");
  if (cacheTime !== undefined) answer.cache_time = cacheTime;
  query.answered = answer;
  state.callbackAnswers.push(answer);
  state.changed();
  return true;
}
