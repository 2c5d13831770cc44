// A fake Telegram Bot API for tests: the real grammY bot talks to it over HTTP while tests act as people.
// It never reaches the internet and never accepts what the real Bot API would refuse.

import { randomBytes } from "node:crypto";
import type { MessageEntity, User } from "grammy/types";
import type { ServedDownload } from "../../support/byte-range.ts";
import { storeFile } from "./messages.ts";
import { deliverPersonMessage, describeState, knownPerson } from "./people.ts";
import { type Fault, TelegramServer } from "./server.ts";
import {
  type FakeChat,
  type RecordedAnswer,
  type RecordedCommands,
  type RecordedDeletion,
  type RecordedMessage,
  type RecordedRequest,
  TelegramState,
} from "./state.ts";

export type {
  FakeChat,
  Fault,
  RecordedAnswer,
  RecordedCommands,
  RecordedDeletion,
  RecordedMessage,
  RecordedRequest,
};

export interface FakeTelegramOptions {
  botUsername?: string;
  botId?: number;
  /**
   * Telegram's default for bots: in groups the bot sees only commands, replies to its own
   * messages and mentions, unless it is an admin. Default true.
   */
  privacyMode?: boolean;
}

/** An update people caused; lets a test wait for the bot to take and handle it. */
export interface PersonUpdate {
  update_id: number;
  /** The Message as delivered (for callback queries: the query). */
  payload: Record<string, unknown>;
  /** False when the bot never gets it: privacy mode in a group, or left out of allowed_updates. */
  visibleToBot: boolean;
  /** Resolves once the bot fetched the update through getUpdates. */
  fetched(options?: { timeoutMs?: number }): Promise<void>;
  /** Resolves once the bot asked for later updates: grammY does that after its middleware ran. */
  processed(options?: { timeoutMs?: number }): Promise<void>;
}

/** A click on an inline button; `answered()` waits for the bot's answerCallbackQuery. */
export interface ButtonClick extends PersonUpdate {
  callbackQueryId: string;
  answered(options?: { timeoutMs?: number }): Promise<RecordedAnswer>;
}

const DEFAULT_TIMEOUT_MS = 5000;

/**
 * The fake Bot API. Start it, point grammY at it with
 * `new Bot(fake.token, { client: { apiRoot: fake.apiRoot } })`, make people act with
 * `userSends`, `clickButton` and friends, and read what the bot did from `messages` & co.
 */
export class FakeTelegram {
  readonly token: string;
  readonly bot: User;
  private readonly privacyMode: boolean;
  private readonly state: TelegramState;
  private readonly server: TelegramServer;
  private root = "";

  constructor(options: FakeTelegramOptions = {}) {
    const botId = options.botId ?? 7_100_000_001;
    this.bot = {
      id: botId,
      is_bot: true,
      first_name: "Clawshake",
      username: options.botUsername ?? "clawshake_bot",
    };
    this.token = `${botId}:AA${randomBytes(24).toString("base64url")}`;
    this.privacyMode = options.privacyMode ?? true;
    this.state = new TelegramState(this.bot);
    this.server = new TelegramServer(this.state, this.token);
  }

  async start(): Promise<void> {
    this.root = await this.server.start();
  }

  /** Ends pending long polls and closes the server. Stop the bot first, or it polls a closed port. */
  async stop(): Promise<void> {
    await this.server.stop();
  }

  /** "http://127.0.0.1:PORT", for grammY's `client.apiRoot`. */
  get apiRoot(): string {
    if (this.root === "") throw new Error("FakeTelegram: call start() before reading apiRoot");
    return this.root;
  }

  // --- people and chats ------------------------------------------------------------------------

  addUser(options: {
    id?: number;
    first_name: string;
    last_name?: string;
    username?: string;
    language_code?: string;
    startedBot?: boolean;
  }): User {
    const user: User = {
      id: options.id ?? 100_000_000 + this.state.freshId(),
      is_bot: false,
      first_name: options.first_name,
    };
    if (options.last_name !== undefined) user.last_name = options.last_name;
    if (options.username !== undefined) user.username = options.username;
    if (options.language_code !== undefined) user.language_code = options.language_code;
    this.state.people.set(user.id, {
      user,
      startedBot: options.startedBot ?? false,
      blockedBot: false,
    });
    return user;
  }

  /** The private chat between a person and the bot. */
  privateChat(user: User): FakeChat {
    return this.state.privateChatOf(user);
  }

  /** A group the bot is in (unless botIsMember is false); the creator counts as an admin. */
  addGroup(options: {
    id?: number;
    title: string;
    type?: "group" | "supergroup";
    username?: string;
    creator?: number;
    admins?: number[];
    members?: number[];
    botIsAdmin?: boolean;
    botIsMember?: boolean;
    /** A supergroup with topics. */
    forum?: boolean;
  }): FakeChat {
    const chat: FakeChat = {
      id: options.id ?? -1_001_000_000_000 - this.state.freshId(),
      type: options.type ?? "supergroup",
      title: options.title,
      ...(options.forum ? { is_forum: true as const } : {}),
    };
    if (chat.id >= 0) throw new Error("FakeTelegram: group ids are negative");
    if (options.username !== undefined) chat.username = options.username;
    const admins = new Set(options.admins ?? []);
    if (options.botIsAdmin === true) admins.add(this.bot.id);
    const members = new Set([...(options.members ?? []), ...admins]);
    if (options.botIsMember !== false) members.add(this.bot.id);
    this.state.groups.set(chat.id, { chat, creator: options.creator, admins, members });
    return chat;
  }

  /** Replaces a group's admins (the creator stays creator); include this.bot.id to make the bot one. */
  setAdmins(chatId: number, userIds: number[]): void {
    const group = this.state.groups.get(chatId);
    if (group === undefined) throw new Error(`FakeTelegram: no group ${chatId}`);
    group.admins = new Set(userIds);
    for (const id of userIds) group.members.add(id);
  }

  /** The person blocks the bot: from now on a DM to them fails with 403. */
  userBlocksBot(user: User): void {
    knownPerson(this.state, user).blockedBot = true;
  }

  // --- people acting ---------------------------------------------------------------------------

  /** A person sends a text; a leading "/command" (or "/command@bot") gets its bot_command entity. */
  userSends(options: {
    from: User;
    chat?: FakeChat;
    text: string;
    entities?: MessageEntity[];
    replyTo?: { message_id: number };
    /** In a forum: the topic it is written in (its message_thread_id). */
    topic?: number;
    /**
     * The topic's name: Telegram then attaches the topic's first message (the service message that created it) as
     * `reply_to_message` of a message that replies to nothing else.
     */
    topicName?: string;
  }): PersonUpdate {
    const command = /^\/[A-Za-z0-9_]+(@[A-Za-z0-9_]+)?/.exec(options.text)?.[0];
    const entities =
      options.entities ??
      (command === undefined
        ? []
        : [{ type: "bot_command" as const, offset: 0, length: command.length }]);
    const extra: Record<string, unknown> = { text: options.text };
    if (entities.length > 0) extra.entities = entities;
    if (options.topic !== undefined) {
      if (options.chat?.is_forum !== true)
        throw new Error("FakeTelegram: only a forum supergroup has topics");
      extra.message_thread_id = options.topic;
      extra.is_topic_message = true;
      if (options.topicName !== undefined && options.replyTo === undefined)
        extra.reply_to_message = {
          message_id: options.topic,
          message_thread_id: options.topic,
          date: Math.floor(Date.now() / 1000),
          chat: options.chat,
          forum_topic_created: { name: options.topicName, icon_color: 7322096 },
        };
    }
    return this.personMessage(options.from, options.chat, extra, options.replyTo);
  }

  /** A person uploads a file; the bot can download it with getFile and the file URL. */
  userSendsDocument(options: {
    from: User;
    chat?: FakeChat;
    fileName: string;
    content: string | Buffer;
    mimeType?: string;
    caption?: string;
  }): PersonUpdate {
    const content = Buffer.from(options.content);
    const file = storeFile(this.state, options.fileName, content, options.mimeType);
    const extra: Record<string, unknown> = {
      document: {
        file_name: file.file_name,
        mime_type: file.mime_type,
        file_id: file.file_id,
        file_unique_id: file.file_unique_id,
        file_size: content.length,
      },
    };
    if (options.caption !== undefined) extra.caption = options.caption;
    return this.personMessage(options.from, options.chat, extra, undefined);
  }

  /** The person presses Start (from a t.me/<bot>?start=<payload> link when a payload is given). */
  userStartsBot(user: User, payload?: string): PersonUpdate {
    knownPerson(this.state, user).startedBot = true;
    knownPerson(this.state, user).blockedBot = false;
    const text = payload === undefined || payload === "" ? "/start" : `/start ${payload}`;
    return this.userSends({ from: user, text });
  }

  /** A person clicks an inline button that the bot's message shows right now. */
  /**
   * A press of a button on `message`. `forged`: a modified client sends callback data of its choosing (the Bot API
   * warns that the message may show no button with that data), so the fake passes it on unchecked.
   */
  clickButton(options: {
    from: User;
    message: RecordedMessage;
    data: string;
    forged?: boolean;
  }): ButtonClick {
    const { message, data } = options;
    const current = this.state.findMessage(message.chatId, message.message_id);
    if (current?.kind !== "bot") {
      throw new Error(`FakeTelegram: message ${message.message_id} is gone; nobody can click it`);
    }
    const rows = (current.recorded.reply_markup?.inline_keyboard ?? []) as Array<
      Array<{ callback_data?: string }>
    >;
    const shown = rows.flat().map((button) => button.callback_data);
    if (!options.forged && !shown.includes(data)) {
      throw new Error(
        `FakeTelegram: message ${message.message_id} shows no button with data ${JSON.stringify(data)} (it shows ${JSON.stringify(shown)})`,
      );
    }
    const id = `${BigInt(this.bot.id) * 1_000_000n + BigInt(this.state.freshId())}`;
    this.state.callbackQueries.set(id, { answered: undefined });
    const callbackQuery = {
      id,
      from: options.from,
      message: this.state.botMessageJson(current.recorded),
      chat_instance: `${(BigInt(Math.abs(message.chatId)) * 7919n) % 10n ** 18n}`,
      data,
    };
    const updateId = this.state.enqueue({ callback_query: callbackQuery });
    return {
      ...this.tracker(updateId, callbackQuery),
      callbackQueryId: id,
      answered: (waitOptions) =>
        this.waitFor(() => this.state.callbackQueries.get(id)?.answered, waitOptions),
    };
  }

  // --- what the bot did ------------------------------------------------------------------------

  /** Every message the bot sent, in order, with edits and deletion applied. */
  get messages(): readonly RecordedMessage[] {
    return this.state.messages;
  }

  chatMessages(chatId: number): RecordedMessage[] {
    return this.state.messages.filter((message) => message.chatId === chatId);
  }

  privateMessagesTo(userId: number): RecordedMessage[] {
    return this.state.messages.filter((m) => m.chatId === userId && m.chatType === "private");
  }

  /** Every file download the fake answered, with the bytes it sent. */
  get downloads(): readonly ServedDownload[] {
    return this.state.downloads;
  }

  get callbackAnswers(): readonly RecordedAnswer[] {
    return this.state.callbackAnswers;
  }

  get commands(): readonly RecordedCommands[] {
    return this.state.commands;
  }

  get deletedMessages(): readonly RecordedDeletion[] {
    return this.state.deletedMessages;
  }

  get webhooks(): ReadonlyArray<Record<string, unknown>> {
    return this.state.webhooks;
  }

  get unhandled(): ReadonlyArray<{ method: string; params: Record<string, unknown> }> {
    return this.state.unhandled;
  }

  /** How many getUpdates long polls the fake is holding open right now. */
  get waitingLongPolls(): number {
    return this.server.waitingPolls;
  }

  /** Every call the bot made, with the status the fake answered. */
  get requests(): readonly RecordedRequest[] {
    return this.state.requests;
  }

  /** Everything the bot sent to the fake (method, query and raw body of every call), for secret searches. */
  allText(): string {
    return this.state.bodies.join("\n");
  }

  /** The next `times` (default 1) calls of `method` fail with `status` instead of running. */
  failNext(fault: Fault): void {
    this.server.failNext(fault);
  }

  /**
   * Polls until `predicate` returns something truthy and returns it. It gives up when the bot has called the API
   * for nothing for `timeoutMs` (default 5 s), or after ten times that in all: a slow machine slows the bot, a stuck
   * bot stops calling. Then it throws with a summary.
   */
  async waitFor<T>(
    predicate: () => T | undefined | null | false | 0 | "",
    options: { timeoutMs?: number; what?: string } = {},
  ): Promise<T> {
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const started = Date.now();
    const calls = () => this.state.requests.length;
    let seen = calls();
    let movedAt = started;
    for (;;) {
      const value = predicate();
      if (value) return value;
      const now = Date.now();
      if (calls() !== seen) {
        seen = calls();
        movedAt = now;
      }
      if (now - movedAt > timeoutMs || now - started > 10 * timeoutMs) {
        const what = options.what ?? predicate.toString();
        throw new Error(
          `FakeTelegram: timed out waiting for ${what} (${now - movedAt} ms without a call from the bot, ${now - started} ms in all)\n${this.describe()}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** A readable account of what the bot did so far, for failure messages. */
  describe(): string {
    return describeState(this.state);
  }

  // --- internals -------------------------------------------------------------------------------

  private personMessage(
    from: User,
    chat: FakeChat | undefined,
    extra: Record<string, unknown>,
    replyTo: { message_id: number } | undefined,
  ): PersonUpdate {
    const sent = deliverPersonMessage(this.state, this.privacyMode, { from, chat, extra, replyTo });
    return this.tracker(sent.updateId, sent.message);
  }

  private tracker(updateId: number, payload: Record<string, unknown>): PersonUpdate {
    const visible = updateId !== 0;
    const hidden = () =>
      Promise.reject(
        new Error("FakeTelegram: the bot never gets this update (privacy mode or allowed_updates)"),
      );
    return {
      update_id: updateId,
      payload,
      visibleToBot: visible,
      fetched: (options) =>
        visible
          ? this.waitFor(() => this.state.wasFetched(updateId), {
              what: `the bot to fetch update ${updateId}`,
              ...options,
            }).then(() => undefined)
          : hidden(),
      processed: (options) =>
        visible
          ? this.waitFor(() => this.state.wasConfirmed(updateId), {
              what: `the bot to handle update ${updateId}`,
              ...options,
            }).then(() => undefined)
          : hidden(),
    };
  }
}
