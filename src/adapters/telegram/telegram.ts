// The Telegram chat adapter (grammY): posts and edits the session card, sends private messages, and turns
// commands and button presses into handshake events. It renders and translates; it never decides, and never logs a text it sends.

import type { IncomingMessage, ServerResponse } from "node:http";
import { autoRetry } from "@grammyjs/auto-retry";
import { apiThrottler } from "@grammyjs/transformer-throttler";
import { Bot, webhookCallback } from "grammy";
import type { BotCommand } from "grammy/types";
import type { Logger } from "pino";
import { t } from "../../core/i18n/index.ts";
import type { Chat, DmOutcome, MessageRef, SessionStore } from "../../core/ports.ts";
import type { ChannelRef, Lang, UserRef } from "../../core/types.ts";
import type { CommandNames, MessageView } from "../../core/view.ts";
import type { Handshake } from "../../flows/handshake.ts";
import { errorFields, messageGone, notModified, undeliverable } from "./errors.ts";
import { deepLink, RESUME_PAYLOAD } from "./ids.ts";
import { Inbox } from "./inbox.ts";
import { StartLinks } from "./links.ts";
import { type TelegramOptions, webhookSecret } from "./options.ts";
import { Roles } from "./people.ts";
import { type Rendered, renderCard, renderView } from "./render.ts";
import { SerialWork } from "./work.ts";

export { type TelegramOptions, telegramOptions, webhookSecret } from "./options.ts";

export interface TelegramDeps {
  log: Logger;
  /** The app's session store: single-use /start links are kept beside the sessions they open. */
  store: SessionStore;
  now?: () => number;
}

/** How long stop() lets calls in flight finish before it ends them. */
const STOP_GRACE_MS = 3000;

/** The only updates clawshake reads; everything else Telegram would send is left out. */
const ALLOWED_UPDATES = ["message", "callback_query"] as const;

/** Calls that read and send nothing to a chat; Telegram's per-chat flood limits do not count them. */
const UNTHROTTLED = new Set([
  "getChatMember",
  "getChatAdministrators",
  "getChat",
  "getFile",
  "getMe",
]);

/** A Node http handler for Telegram's webhook calls (mount it at the path of TELEGRAM_WEBHOOK_URL). */
export type WebhookHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/**
 * Telegram for clawshake. Construct it, pass it to `startApp` in `chats`, then `start(handshake)`:
 * long polling by default, or a webhook (`webhookHandler()`) when `webhookUrl` is set.
 */
export class TelegramChat implements Chat {
  readonly platform = "telegram" as const;
  /** Telegram commands allow only `[a-z0-9_]`: `/connect-node` would read as `/connect`. */
  readonly commands: CommandNames = {
    connectNode: "/connect_node",
    diagnose: "/diagnose",
    nodes: "/nodes",
    disconnectNode: "/disconnect_node",
  };
  /** The grammY bot, with auto-retry (429, 5xx) and the flood-limit throttler installed. */
  readonly bot: Bot;
  readonly options: TelegramOptions;
  readonly log: Logger;
  readonly store: SessionStore;
  readonly roles: Roles;
  readonly links: StartLinks;
  readonly work = new SerialWork();
  /** The last view of each card showing a deep link, so it can be redrawn with a fresh link once one is spent. */
  readonly #cards = new Map<string, { ref: MessageRef; view: MessageView }>();
  #polling: Promise<void> | undefined;
  #webhook: WebhookHandler | undefined;
  #started = false;
  readonly #stopped = new AbortController();

  constructor(options: TelegramOptions, deps: TelegramDeps) {
    this.options = options;
    this.log = deps.log;
    this.store = deps.store;
    this.bot = new Bot(options.token, {
      client: options.apiRoot ? { apiRoot: options.apiRoot } : {},
    });
    // Flood limits are about what the bot sends; reads (roles at a click, a log file) need not queue behind the card.
    const throttle = apiThrottler();
    this.bot.api.config.use((prev, method, payload, signal) =>
      UNTHROTTLED.has(method)
        ? prev(method, payload, signal)
        : throttle(prev, method, payload, signal),
    );
    this.bot.api.config.use(autoRetry({ maxRetryAttempts: 5, maxDelaySeconds: 60 }));
    // Outermost: once stopped, calls still on their way (and auto-retry's waits, up to a minute) end at once. What
    // they carried stays in the outbox and goes out after the restart.
    this.bot.api.config.use(async (prev, method, payload, signal) => {
      // grammY's own signals are a polyfill AbortSignal.any() refuses, so the two are joined by hand.
      const either = new AbortController();
      const abort = () => either.abort();
      if (signal?.aborted || this.#stopped.signal.aborted) abort();
      signal?.addEventListener("abort", abort);
      this.#stopped.signal.addEventListener("abort", abort);
      try {
        return await prev(method, payload, either.signal as unknown as typeof signal);
      } finally {
        signal?.removeEventListener("abort", abort);
        this.#stopped.signal.removeEventListener("abort", abort);
      }
    });
    this.roles = new Roles(this.bot.api, options, deps.log);
    this.links = new StartLinks(deps.store, deps.now);
  }

  // ── the Chat port ───────────────────────────────────────────────────────────

  async postCard(channel: ChannelRef, view: MessageView): Promise<MessageRef> {
    const [messageId] = await this.sendView(channel.id, view, {
      card: true,
      ...(channel.thread ? { thread: channel.thread } : {}),
    });
    const ref: MessageRef = {
      platform: "telegram",
      chatId: channel.id,
      messageId: String(messageId),
    };
    this.#remember(ref, view);
    return ref;
  }

  async edit(ref: MessageRef, view: MessageView): Promise<void> {
    await this.#edit(ref, view);
  }

  async sendDm(user: UserRef, view: MessageView): Promise<DmOutcome> {
    try {
      const ids = await this.sendView(user.id, view);
      return {
        ok: true,
        ref: { platform: "telegram", chatId: user.id, messageId: ids.join(",") },
      };
    } catch (error) {
      const reason = undeliverable(error);
      if (!reason) throw error;
      this.log.warn(
        { platform: "telegram", to: user.id, reason, ...errorFields(error) },
        reason === "closed"
          ? "cannot write to this user: they have not pressed Start in a private chat with the bot (or blocked it)"
          : "cannot write to this user: Telegram does not know the chat",
      );
      return { ok: false, reason };
    }
  }

  async approvers(channel: ChannelRef): Promise<UserRef[]> {
    return this.roles.approvers(channel.id);
  }

  async gatewayOperators(channel: ChannelRef): Promise<UserRef[]> {
    return this.roles.gatewayOperators(channel.id);
  }

  // ── lifecycle ───────────────────────────────────────────────────────────────

  /** Registers the handlers, sets the command menus, and starts long polling or the webhook. */
  async start(handshake: Handshake): Promise<void> {
    if (this.#started) throw new Error("the Telegram adapter is already started");
    this.#started = true;
    new Inbox(this, handshake).register(this.bot);
    this.bot.catch((error) =>
      this.log.error({ platform: "telegram", ...errorFields(error.error) }, "update failed"),
    );
    await this.bot.init();
    await this.#setCommands();
    const url = this.options.webhookUrl;
    if (url) {
      const secretToken = webhookSecret(this.options.token);
      await this.bot.api.setWebhook(url, {
        secret_token: secretToken,
        allowed_updates: [...ALLOWED_UPDATES],
      });
      this.#webhook = webhookCallback(this.bot, "http", {
        secretToken,
        onTimeout: "return",
      }) as unknown as WebhookHandler;
      this.log.info({ platform: "telegram", webhook: new URL(url).pathname }, "webhook set");
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const polling = this.bot.start({
        allowed_updates: [...ALLOWED_UPDATES],
        onStart: () => resolve(),
      });
      this.#polling = polling.catch((error: unknown) => {
        this.log.error({ platform: "telegram", ...errorFields(error) }, "long polling stopped");
        reject(error);
      });
    });
    this.log.info({ platform: "telegram", bot: this.bot.botInfo.username }, "long polling started");
  }

  /**
   * Stops polling, then waits for the updates being handled to finish, for a short grace: a call to a Telegram that
   * cannot be reached would otherwise retry for ever (auto-retry repeats network errors, grammY's stop() confirms the
   * last update with one more call). After the grace every call still on its way ends.
   */
  async stop(): Promise<void> {
    const grace = setTimeout(() => this.#stopped.abort(), STOP_GRACE_MS);
    try {
      if (this.#polling) {
        await this.bot.stop().catch(() => undefined);
        await this.#polling.catch(() => undefined);
        this.#polling = undefined;
      }
      await this.work.settled();
    } finally {
      clearTimeout(grace);
      this.#stopped.abort();
    }
  }

  /**
   * The webhook's request handler, mounted on the operations port before `start()`: until `start()` has set the
   * webhook it answers 503, which Telegram retries.
   */
  webhookHandler(): WebhookHandler {
    if (!this.options.webhookUrl) throw new Error("the Telegram adapter runs without a webhook");
    return async (req, res) => {
      if (this.#webhook) return this.#webhook(req, res);
      res.writeHead(503).end();
    };
  }

  /** Resolves when every update received so far has been handled, including the handshake steps it started. */
  settled(): Promise<void> {
    return this.work.settled();
  }

  // ── sending, for the Chat port and the inbox ────────────────────────────────

  /** Sends a view as one or more HTML messages (the card always as one); returns their message ids. */
  async sendView(
    chatId: string | number,
    view: MessageView,
    options: { card?: boolean; replyTo?: number; thread?: string } = {},
  ): Promise<number[]> {
    const rendered = await this.#render(view, options.card === true);
    const ids: number[] = [];
    for (const [index, part] of rendered.parts.entries()) {
      const last = index === rendered.parts.length - 1;
      const sent = await this.bot.api.sendMessage(chatId, part, {
        parse_mode: "HTML",
        link_preview_options: { is_disabled: true },
        ...(last && rendered.keyboard ? { reply_markup: rendered.keyboard } : {}),
        ...(options.thread ? { message_thread_id: Number(options.thread) } : {}),
        ...(index === 0 && options.replyTo
          ? {
              reply_parameters: { message_id: options.replyTo, allow_sending_without_reply: true },
            }
          : {}),
      });
      ids.push(sent.message_id);
    }
    return ids;
  }

  /** Sends prepared HTML (form questions, prompts); returns the message id. */
  async sendHtml(
    chatId: string | number,
    html: string,
    keyboard?: Rendered["keyboard"],
    thread?: string,
  ): Promise<number> {
    const sent = await this.bot.api.sendMessage(chatId, html, {
      parse_mode: "HTML",
      link_preview_options: { is_disabled: true },
      ...(keyboard ? { reply_markup: keyboard } : {}),
      ...(thread ? { message_thread_id: Number(thread) } : {}),
    });
    return sent.message_id;
  }

  /** The link that opens a private chat with the bot and lets a person's waiting messages through. */
  resumeLink(): string {
    return deepLink(this.bot.botInfo.username, RESUME_PAYLOAD);
  }

  /** Re-renders a session's card as last shown, so a spent deep link on it is replaced by a fresh one. */
  async refreshCard(sessionId: string): Promise<void> {
    const card = this.#cards.get(sessionId);
    if (card) await this.#edit(card.ref, { latestOf: sessionId });
  }

  // ── internals ───────────────────────────────────────────────────────────────

  /**
   * Edits a message in place, one edit per message at a time; `{ latestOf }` re-renders a card's
   * last view as of its turn, so a refresh never puts back an older view.
   */
  async #edit(ref: MessageRef, view: MessageView | { latestOf: string }): Promise<void> {
    const ids = ref.messageId.split(",").map(Number);
    const first = ids[0] ?? 0;
    const isCard = ids.length === 1 && ref.chatId.startsWith("-");
    await this.work.exclusive(`edit:${ref.chatId}:${first}`, async () => {
      const shown = "latestOf" in view ? this.#cards.get(view.latestOf)?.view : view;
      if (!shown) return;
      if (isCard) this.#remember(ref, shown);
      const rendered = await this.#render(shown, isCard);
      for (const [index, part] of rendered.parts.entries()) {
        const id = ids[index];
        const last = index === rendered.parts.length - 1;
        const markup = last && rendered.keyboard ? { reply_markup: rendered.keyboard } : {};
        if (id === undefined) {
          // A view that grew past its messages: the rest goes as new messages below.
          await this.sendHtml(ref.chatId, part, last ? rendered.keyboard : undefined);
          continue;
        }
        try {
          await this.bot.api.editMessageText(ref.chatId, id, part, {
            parse_mode: "HTML",
            link_preview_options: { is_disabled: true },
            ...markup,
          });
        } catch (error) {
          if (notModified(error)) continue;
          if (!messageGone(error)) throw error;
          this.log.warn(
            { platform: "telegram", chat: ref.chatId, message: id, ...errorFields(error) },
            "message to edit is gone; leaving it",
          );
          return;
        }
      }
      // A view that shrank (a secret redacted): the messages it no longer needs are deleted.
      for (const id of ids.slice(rendered.parts.length))
        await this.bot.api.deleteMessage(ref.chatId, id).catch((error: unknown) => {
          this.log.warn(
            { platform: "telegram", chat: ref.chatId, message: id, ...errorFields(error) },
            "could not delete a message part",
          );
        });
    });
  }

  /** Keeps a card's view while it shows a deep link (the only reason to redraw it unasked), and forgets it after. */
  #remember(ref: MessageRef, view: MessageView): void {
    if (!view.sessionId) return;
    if (view.buttons.some((button) => button.kind === "private"))
      this.#cards.set(view.sessionId, { ref, view });
    else this.#cards.delete(view.sessionId);
  }

  async #render(view: MessageView, card: boolean): Promise<Rendered> {
    const links = new Map<string, string>();
    // A card may be drawn before start() (leftover effects after a restart): the deep link needs the bot's username.
    if (view.buttons.some((button) => button.kind === "private")) await this.bot.init();
    for (const button of view.buttons) {
      if (button.kind !== "private" || button.for.platform !== "telegram" || !view.sessionId)
        continue;
      const payload = await this.links.payloadFor(view.sessionId, button.for.id);
      links.set(button.for.id, deepLink(this.bot.botInfo.username, payload));
    }
    const options = { privateLink: (button: { for: { id: string } }) => links.get(button.for.id) };
    if (!card) return renderView(view, options);
    const { text, keyboard } = renderCard(view, options);
    return keyboard ? { parts: [text], keyboard } : { parts: [text] };
  }

  /** The command menus, per chat type, in English (the default) and Chinese. */
  async #setCommands(): Promise<void> {
    const menus: [Lang, "zh" | undefined][] = [
      ["en", undefined],
      ["zh-CN", "zh"],
    ];
    const describe = (
      lang: Lang,
      names: ("connect_node" | "diagnose" | "help" | "start" | "nodes" | "disconnect_node")[],
    ) =>
      names.map(
        (command): BotCommand => ({
          command,
          description: t(lang, `telegram.command.${command}`),
        }),
      );
    try {
      for (const [lang, code] of menus) {
        const language = code ? { language_code: code } : {};
        await this.bot.api.setMyCommands(describe(lang, ["connect_node", "nodes", "help"]), {
          scope: { type: "all_group_chats" },
          ...language,
        });
        await this.bot.api.setMyCommands(
          describe(lang, ["start", "diagnose", "nodes", "disconnect_node", "help"]),
          {
            scope: { type: "all_private_chats" },
            ...language,
          },
        );
      }
    } catch (error) {
      this.log.warn(
        { platform: "telegram", ...errorFields(error) },
        "could not set the command menus",
      );
    }
  }
}
