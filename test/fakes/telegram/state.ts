// The fake Telegram's world: people, chats, every message, the update queue, and what the bot did.
// It holds data and answers questions about it; it never speaks HTTP and never decides an API reply.

import type { MessageEntity, User } from "grammy/types";
import type { ServedDownload } from "../../support/byte-range.ts";

/** Telegram's chat types that clawshake meets (no channels). */
export type ChatType = "private" | "group" | "supergroup";

/** A chat as Telegram shows it inside a Message or a getChat answer. */
export interface FakeChat {
  id: number;
  type: ChatType;
  title?: string;
  username?: string;
  first_name?: string;
  last_name?: string;
  /** A supergroup with topics: its messages belong to a topic (message_thread_id). */
  is_forum?: true;
}

/** One version of a bot message: what it looked like after a send or an edit. */
export interface MessageVersion {
  /** The method that produced this version (sendMessage, editMessageText, editMessageReplyMarkup, …). */
  method: string;
  /** The text people see: parse_mode markup removed, entities applied. */
  text: string;
  /** The text exactly as the bot sent it (with HTML tags or Markdown marks). */
  rawText: string;
  parse_mode?: string;
  entities: MessageEntity[];
  reply_markup?: Record<string, unknown>;
}

/** A message the bot sent, kept up to date by edits and deletion. */
export interface RecordedMessage extends MessageVersion {
  message_id: number;
  chatId: number;
  chatType: ChatType;
  date: number;
  reply_parameters?: Record<string, unknown>;
  link_preview_options?: Record<string, unknown>;
  /** The forum topic it was sent to (message_thread_id); none means the General topic. */
  thread?: number;
  /** Set for sendDocument: the uploaded file as the bot sent it. */
  document?: { file_id: string; file_name: string; mime_type: string; content: Buffer };
  /** Every later version, oldest first (the current one is the top level). */
  edits: MessageVersion[];
  deleted: boolean;
}

/** An answerCallbackQuery call. */
export interface RecordedAnswer {
  callback_query_id: string;
  text?: string;
  show_alert?: boolean;
  url?: string;
  cache_time?: number;
}

/** A setMyCommands or deleteMyCommands call. */
export interface RecordedCommands {
  method: "setMyCommands" | "deleteMyCommands";
  commands: Array<{ command: string; description: string }>;
  scope: Record<string, unknown>;
  language_code: string;
}

/** A deleteMessage call that succeeded: the bot's own message or a person's. */
export interface RecordedDeletion {
  chatId: number;
  message_id: number;
  byBotAuthor: boolean;
  /** The deleted message's text, so tests can check that a pasted token was removed. */
  text: string;
}

/** One HTTP call the bot made, for diagnostics. */
export interface RecordedRequest {
  method: string;
  status: number;
  description?: string;
}

/** A file the fake can serve through getFile and /file/bot<token>/<path>. */
export interface StoredFile {
  file_id: string;
  file_unique_id: string;
  file_path: string;
  file_name: string;
  mime_type: string;
  content: Buffer;
}

interface PersonState {
  user: User;
  startedBot: boolean;
  blockedBot: boolean;
}

interface GroupState {
  chat: FakeChat;
  creator: number | undefined;
  admins: Set<number>;
  members: Set<number>;
}

/** A message people sent, as delivered to the bot. */
type PersonMessage = {
  kind: "person";
  json: Record<string, unknown>;
  text: string;
  deleted: boolean;
};
type BotMessage = { kind: "bot"; recorded: RecordedMessage };
export type StoredMessage = PersonMessage | BotMessage;

type Update = { update_id: number } & Record<string, unknown>;

/** Update types Telegram leaves out when allowed_updates is empty or was never set. */
const OPT_IN_UPDATES = new Set(["chat_member", "message_reaction", "message_reaction_count"]);

/** Everything the fake knows; server.ts, methods.ts and index.ts all read and change this one object. */
export class TelegramState {
  readonly bot: User;
  readonly people = new Map<number, PersonState>();
  readonly groups = new Map<number, GroupState>();
  readonly files = new Map<string, StoredFile>();
  /** Every file download the fake answered, with the bytes it sent. */
  readonly downloads: ServedDownload[] = [];
  readonly callbackQueries = new Map<string, { answered: RecordedAnswer | undefined }>();
  /** The command lists in force, by scope and language (what getMyCommands answers). */
  readonly currentCommands = new Map<string, RecordedCommands["commands"]>();

  readonly messages: RecordedMessage[] = [];
  readonly callbackAnswers: RecordedAnswer[] = [];
  readonly commands: RecordedCommands[] = [];
  readonly deletedMessages: RecordedDeletion[] = [];
  readonly webhooks: Array<Record<string, unknown>> = [];
  readonly unhandled: Array<{ method: string; params: Record<string, unknown> }> = [];
  readonly requests: RecordedRequest[] = [];
  readonly bodies: string[] = [];
  webhookUrl = "";

  private readonly chatLogs = new Map<number, { next: number; byId: Map<number, StoredMessage> }>();
  private queue: Update[] = [];
  private nextUpdateId = 1;
  private confirmedOffset = 0;
  private highestFetched = 0;
  private allowedUpdates: string[] = [];
  private nextId = 1;
  private readonly listeners = new Set<() => void>();

  constructor(bot: User) {
    this.bot = bot;
  }

  /** A number unique within this fake, for ids people do not choose. */
  freshId(): number {
    return this.nextId++;
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  changed(): void {
    for (const listener of [...this.listeners]) listener();
  }

  person(userId: number): PersonState | undefined {
    return this.people.get(userId);
  }

  privateChatOf(user: User): FakeChat {
    const chat: FakeChat = { id: user.id, type: "private", first_name: user.first_name };
    if (user.username !== undefined) chat.username = user.username;
    if (user.last_name !== undefined) chat.last_name = user.last_name;
    return chat;
  }

  /** The chat behind a chat_id: a group, or the private chat of a known person. */
  chat(chatId: number): FakeChat | undefined {
    const group = this.groups.get(chatId);
    if (group !== undefined) return group.chat;
    const person = this.people.get(chatId);
    return person === undefined ? undefined : this.privateChatOf(person.user);
  }

  chatByUsername(username: string): FakeChat | undefined {
    const name = username.replace(/^@/, "").toLowerCase();
    for (const group of this.groups.values()) {
      if (group.chat.username?.toLowerCase() === name) return group.chat;
    }
    return undefined;
  }

  /** "creator", "administrator", "member" or "left", as getChatMember reports it. */
  memberStatus(chatId: number, userId: number): "creator" | "administrator" | "member" | "left" {
    const group = this.groups.get(chatId);
    if (group === undefined) return chatId === userId || userId === this.bot.id ? "member" : "left";
    if (group.creator === userId) return "creator";
    if (group.admins.has(userId)) return "administrator";
    return group.members.has(userId) ? "member" : "left";
  }

  // --- messages -------------------------------------------------------------------------------

  private log(chatId: number) {
    let log = this.chatLogs.get(chatId);
    if (log === undefined) {
      log = { next: 1, byId: new Map() };
      this.chatLogs.set(chatId, log);
    }
    return log;
  }

  nextMessageId(chatId: number): number {
    return this.log(chatId).next++;
  }

  storeMessage(chatId: number, messageId: number, message: StoredMessage): void {
    this.log(chatId).byId.set(messageId, message);
    if (message.kind === "bot") this.messages.push(message.recorded);
  }

  /** A message that exists and was not deleted. */
  findMessage(chatId: number, messageId: number): StoredMessage | undefined {
    const found = this.chatLogs.get(chatId)?.byId.get(messageId);
    if (found === undefined) return undefined;
    const deleted = found.kind === "bot" ? found.recorded.deleted : found.deleted;
    return deleted ? undefined : found;
  }

  /** The Telegram Message object for a bot message, with its current text and keyboard. */
  botMessageJson(recorded: RecordedMessage): Record<string, unknown> {
    const json: Record<string, unknown> = {
      message_id: recorded.message_id,
      from: this.bot,
      chat: this.chat(recorded.chatId),
      date: recorded.date,
    };
    if (recorded.document !== undefined) {
      const { content, ...document } = recorded.document;
      json.document = {
        ...document,
        file_unique_id: `u${document.file_id}`,
        file_size: content.length,
      };
      if (recorded.text !== "") json.caption = recorded.text;
      if (recorded.entities.length > 0) json.caption_entities = recorded.entities;
    } else {
      json.text = recorded.text;
      if (recorded.entities.length > 0) json.entities = recorded.entities;
    }
    if (recorded.thread !== undefined) {
      json.message_thread_id = recorded.thread;
      json.is_topic_message = true;
    }
    if (recorded.edits.length > 0) json.edit_date = recorded.date;
    if (recorded.reply_markup?.inline_keyboard !== undefined)
      json.reply_markup = recorded.reply_markup;
    if (recorded.link_preview_options !== undefined) {
      json.link_preview_options = recorded.link_preview_options;
    }
    return json;
  }

  messageJson(stored: StoredMessage): Record<string, unknown> {
    return stored.kind === "bot" ? this.botMessageJson(stored.recorded) : stored.json;
  }

  // --- updates --------------------------------------------------------------------------------

  /**
   * Creates an update for the bot, unless the bot's allowed_updates leave its type out: Telegram
   * then never creates it. Returns the update_id, or 0 when no update was created.
   */
  enqueue(body: Record<string, unknown>): number {
    const type = Object.keys(body)[0] ?? "";
    const allowed =
      this.allowedUpdates.length === 0
        ? !OPT_IN_UPDATES.has(type)
        : this.allowedUpdates.includes(type);
    if (!allowed) return 0;
    const update: Update = { update_id: this.nextUpdateId++, ...body };
    this.queue.push(update);
    this.changed();
    return update.update_id;
  }

  /**
   * What getUpdates answers now. `offset` confirms (and forgets) every update below it; a
   * negative offset keeps only the last -offset updates. A new allowed_updates applies to updates
   * created from now on, as on Telegram.
   */
  takeUpdates(offset: number | undefined, limit: number, allowed: string[] | undefined): Update[] {
    if (allowed !== undefined) this.allowedUpdates = allowed;
    if (offset !== undefined && offset < 0) {
      this.queue = this.queue.slice(offset);
    } else if (offset !== undefined && offset > 0) {
      this.queue = this.queue.filter((update) => update.update_id >= offset);
      this.confirmedOffset = Math.max(this.confirmedOffset, offset);
    }
    const batch = this.queue.slice(0, limit);
    for (const update of batch)
      this.highestFetched = Math.max(this.highestFetched, update.update_id);
    return batch;
  }

  dropPendingUpdates(): void {
    this.queue = [];
  }

  pendingUpdates(): readonly Update[] {
    return this.queue;
  }

  /** The bot received this update through getUpdates. */
  wasFetched(updateId: number): boolean {
    return this.highestFetched >= updateId;
  }

  /** The bot asked for updates past this one, which grammY does only after handling it. */
  wasConfirmed(updateId: number): boolean {
    return this.confirmedOffset > updateId;
  }
}
