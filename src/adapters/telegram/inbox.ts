// Turns what people do on Telegram (commands, button presses, private messages, files) into handshake calls,
// and answers them where Telegram allows: an alert, a private message, a reply in the group. It decides nothing.

import type { Bot, Context } from "grammy";
import type { User } from "grammy/types";
import { eventFor } from "../../core/actions.ts";
import { t } from "../../core/i18n/index.ts";
import type { NodeLog } from "../../core/log-tail.ts";
import type { Responder } from "../../core/ports.ts";
import { Secret } from "../../core/secret.ts";
import type { ChannelRef, DmKind, Lang, Origin } from "../../core/types.ts";
import { splitNameAndReason } from "../../core/validate.ts";
import type { FormView, MessageView } from "../../core/view.ts";
import type { Handshake } from "../../flows/handshake.ts";
import { readLog } from "./documents.ts";
import { errorFields } from "./errors.ts";
import { parseCallbackData, parseKeepData, parseStartPayload, RESUME_PAYLOAD } from "./ids.ts";
import { handleOf, langOfUser, userRef } from "./people.ts";
import { type FormValues, PrivateChats } from "./private-chat.ts";
import { alertText, escapeHtml } from "./render.ts";
import type { TelegramChat } from "./telegram.ts";

/**
 * `/connect-node name` as people type it by habit. Telegram reads it as the command `/connect`
 * followed by "-node name", so it is matched on the text instead.
 */
const CONNECT_NODE_TEXT = /^\/connect-node(?:@(\w+))?(?=\s|$)\s*([\s\S]*)$/i;

/** How long a button press may wait for its answer before it gets a silent one. */
const ANSWER_WITHIN_MS = 3000;

type Answer = { text?: string; show_alert?: boolean; url?: string };

export class Inbox {
  readonly #chat: TelegramChat;
  readonly #handshake: Handshake;
  readonly #private: PrivateChats;

  constructor(chat: TelegramChat, handshake: Handshake) {
    this.#chat = chat;
    this.#handshake = handshake;
    this.#private = new PrivateChats(chat);
  }

  register(bot: Bot): void {
    bot.command("start", (ctx) => this.#queue(ctx, () => this.#start(ctx, String(ctx.match))));
    bot.command("help", (ctx) => this.#queue(ctx, () => this.#help(ctx)));
    bot.command("connect_node", (ctx) =>
      this.#queue(ctx, () => this.#connectNode(ctx, String(ctx.match))),
    );
    bot.hears(CONNECT_NODE_TEXT, (ctx) => {
      const addressee = ctx.match[1];
      if (addressee && addressee.toLowerCase() !== ctx.me.username.toLowerCase()) return;
      this.#queue(ctx, () => this.#connectNode(ctx, ctx.match[2] ?? ""));
    });
    bot.command("nodes", (ctx) => this.#queue(ctx, () => this.#nodes(ctx)));
    bot.command("disconnect_node", (ctx) =>
      this.#queue(ctx, () => this.#disconnectNode(ctx, String(ctx.match))),
    );
    bot.command("diagnose", (ctx) =>
      this.#queue(ctx, () => this.#diagnose(ctx, String(ctx.match))),
    );
    bot.on("callback_query:data", (ctx) => this.#queue(ctx, () => this.#press(ctx)));
    bot.on("callback_query", (ctx) => ctx.answerCallbackQuery());
    bot.on("message:document", (ctx) => {
      if (ctx.chat.type === "private") this.#queue(ctx, () => this.#document(ctx));
    });
    bot.on("message:text", (ctx) => {
      if (ctx.chat.type === "private") this.#queue(ctx, () => this.#privateText(ctx));
    });
  }

  /** Handles the update off grammY's loop, in order with the other updates of its chat. */
  #queue(ctx: Context, task: () => Promise<void>): void {
    const key = String(ctx.chat?.id ?? ctx.from?.id ?? "unknown");
    this.#chat.work.run(key, task, (error) =>
      this.#chat.log.error(
        { platform: "telegram", chat: key, update: ctx.update.update_id, ...errorFields(error) },
        "handling an update failed",
      ),
    );
  }

  // ── commands ────────────────────────────────────────────────────────────────

  /**
   * `/connect_node <name> [--commands <ids>]`, then the reason after " -- " or on the next lines
   * (`splitNameAndReason`).
   */
  async #connectNode(ctx: Context, typed: string): Promise<void> {
    const { name: displayName, reason, commands } = splitNameAndReason(typed);
    const chat = ctx.chat;
    const from = ctx.from;
    const messageId = ctx.message?.message_id;
    const thread = topicOf(ctx);
    const inTopic = thread ? { thread } : {};
    if (!chat || !from) return;
    const lang = this.#lang(from);
    if (chat.type === "private" || chat.type === "channel") {
      await this.#chat.sendHtml(chat.id, escapeHtml(t(lang, "telegram.connect.inGroup")));
      return;
    }
    const allowed = this.#chat.options.chatIds;
    if (allowed.length > 0 && !allowed.includes(String(chat.id))) {
      this.#chat.log.info(
        { platform: "telegram", chat: chat.id, user: from.id },
        "connect_node refused: not an allowed group (TELEGRAM_CHAT_IDS)",
      );
      await this.#chat.sendView(chat.id, notice(t(lang, "telegram.connect.notHere")), {
        ...(messageId ? { replyTo: messageId } : {}),
        ...inTopic,
      });
      return;
    }
    // With no list, a stranger's own group would do as well as the team's: an approver must be in it.
    if (allowed.length === 0 && !(await this.#chat.roles.approverIsMember(String(chat.id)))) {
      this.#chat.log.info(
        { platform: "telegram", chat: chat.id, user: from.id },
        "connect_node refused: no configured approver is in this group",
      );
      await this.#privately(
        from,
        notice(t(lang, "telegram.connect.noApproverHere", { group: chat.title })),
      );
      return;
    }
    // In a forum the card goes to the topic the command was typed in, not to General.
    const channel: ChannelRef = { platform: "telegram", id: String(chat.id), ...inTopic };
    const requester = await this.#chat.roles.actor(from, "channel", channel.id);
    const handle = handleOf(from);
    const topicName = topicNameOf(ctx);
    const origin: Origin = {
      place: { kind: "group", id: String(chat.id), name: chat.title },
      ...(thread ? { topic: { id: thread, ...(topicName ? { name: topicName } : {}) } } : {}),
      ...(handle ? { handle } : {}),
    };
    await this.#handshake.open(
      {
        channel,
        displayName,
        ...(reason ? { reason } : {}),
        ...(commands ? { commands } : {}),
        requester,
        origin,
      },
      {
        // Notices about the request itself (a bad name, a duplicate) hold nothing private: they answer in the group.
        reply: async (view) => {
          if (alertText(view) !== undefined)
            await this.#chat.sendView(chat.id, view, {
              ...(messageId ? { replyTo: messageId } : {}),
              ...inTopic,
            });
          else await this.#privately(from, view);
        },
        form: async () => undefined,
      },
    );
  }

  async #start(ctx: Context, payload: string): Promise<void> {
    const from = ctx.from;
    if (!from || ctx.chat?.type !== "private") return;
    const lang = this.#lang(from);
    const code = payload.trim();
    if (code !== "" && code !== RESUME_PAYLOAD) await this.#redeem(from, code);
    const waiting = this.#private.takeWaiting(String(from.id));
    for (const item of waiting) {
      if (item.kind === "view") await this.#chat.sendView(from.id, item.view);
      else await this.#private.beginForm(String(from.id), item.sessionId, item.form, item.lang);
    }
    if (code === "" || (code === RESUME_PAYLOAD && waiting.length === 0))
      await this.#chat.sendHtml(from.id, escapeHtml(t(lang, "telegram.start.welcome")));
  }

  /** A deep link from the card: the node operator's private message, delivered now that they started the bot. */
  async #redeem(from: User, payload: string): Promise<void> {
    const userId = String(from.id);
    const redeemed = await this.#chat.links.redeem(payload, userId);
    if (!redeemed.ok) {
      this.#chat.log.info(
        { platform: "telegram", user: from.id, reason: redeemed.reason },
        "deep link refused",
      );
      // Someone else's link is their "Show my credentials" button pressed by another: the core says whose it is.
      const theirs = redeemed.reason === "otherUser" ? parseStartPayload(payload) : undefined;
      if (theirs) {
        const session = await this.#chat.store.get(theirs.sessionId);
        const actor = await this.#chat.roles.actor(from, "dm", session?.channel.id);
        await this.#handshake.dispatch(
          theirs.sessionId,
          eventFor("reveal", actor),
          this.#inPrivate(from, undefined),
        );
        return;
      }
      await this.#chat.sendHtml(from.id, escapeHtml(t(this.#lang(from), "telegram.start.invalid")));
      return;
    }
    const { sessionId, nonce } = redeemed;
    const session = await this.#chat.store.get(sessionId);
    // Recorded like the handshake's own private messages, so the secret is redacted there when the session ends.
    const kind: DmKind = session?.mode === "setupLink" ? "setupLink" : "credentials";
    const actor = await this.#chat.roles.actor(from, "dm", session?.channel.id);
    await this.#handshake.dispatch(sessionId, eventFor("reveal", actor), {
      reply: async (view) => {
        const ids = await this.#chat.sendView(from.id, view);
        if (view.sessionId === sessionId)
          await this.#chat.store.putMessage(
            sessionId,
            `dm:${kind}:telegram:${userId}#tgstart-${nonce}`,
            { platform: "telegram", chatId: userId, messageId: ids.join(",") },
          );
      },
      form: async () => undefined,
    });
    await this.#chat.refreshCard(sessionId);
  }

  /**
   * `/nodes`: in an allowed group the list is answered there, without node ids or addresses; an approver gets those
   * by private message. In a private chat an approver gets them at once.
   */
  async #nodes(ctx: Context): Promise<void> {
    const chat = ctx.chat;
    const from = ctx.from;
    if (!chat || !from || chat.type === "channel") return;
    if (chat.type === "private") {
      const actor = await this.#chat.roles.actor(from, "dm", undefined);
      // Anyone on Telegram can write to the bot: the team's list is not theirs to read.
      if (!actor.isApprover) {
        await this.#privately(from, notice(t(this.#lang(from), "nodes.privateApproversOnly")));
        return;
      }
      await this.#handshake.nodes.list({
        actor,
        responder: this.#inPrivate(from, undefined),
        private: true,
      });
      return;
    }
    const allowed = this.#chat.options.chatIds;
    const messageId = ctx.message?.message_id;
    const thread = topicOf(ctx);
    const inGroup = { ...(messageId ? { replyTo: messageId } : {}), ...(thread ? { thread } : {}) };
    if (allowed.length > 0 && !allowed.includes(String(chat.id))) {
      await this.#chat.sendView(
        chat.id,
        notice(t(this.#lang(from), "nodes.groupNotAllowed")),
        inGroup,
      );
      return;
    }
    // With no list, a stranger's own group would do as well as the team's: an approver must be in it.
    if (allowed.length === 0 && !(await this.#chat.roles.approverIsMember(String(chat.id)))) {
      await this.#chat.sendView(
        chat.id,
        notice(t(this.#lang(from), "nodes.noApproverHere")),
        inGroup,
      );
      return;
    }
    const actor = await this.#chat.roles.actor(from, "channel", String(chat.id));
    await this.#handshake.nodes.list({
      actor,
      responder: {
        reply: async (view) => {
          await this.#chat.sendView(chat.id, view, inGroup);
        },
        form: async () => undefined,
      },
      private: false,
    });
  }

  /** `/disconnect_node <name>`: wherever it is typed, every answer (the confirmation first) goes privately. */
  async #disconnectNode(ctx: Context, name: string): Promise<void> {
    const chat = ctx.chat;
    const from = ctx.from;
    if (!chat || !from || chat.type === "channel") return;
    const inGroup = chat.type !== "private";
    const actor = await this.#chat.roles.actor(
      from,
      inGroup ? "channel" : "dm",
      inGroup ? String(chat.id) : undefined,
    );
    await this.#handshake.nodes.disconnect(
      {
        actor,
        responder: {
          reply: async (view) => {
            if (!(await this.#privately(from, view)) && inGroup)
              await this.#chat.sendHtml(
                chat.id,
                escapeHtml(t(this.#lang(from), "telegram.startBotFirst")),
                undefined,
                topicOf(ctx),
              );
          },
          form: async () => undefined,
        },
        private: true,
      },
      name,
    );
  }

  async #help(ctx: Context): Promise<void> {
    if (!ctx.chat || !ctx.from) return;
    const key = ctx.chat.type === "private" ? "telegram.help.private" : "telegram.help.group";
    await this.#chat.sendHtml(
      ctx.chat.id,
      escapeHtml(t(this.#lang(ctx.from), key)),
      undefined,
      topicOf(ctx),
    );
  }

  async #diagnose(ctx: Context, text: string): Promise<void> {
    const from = ctx.from;
    if (!from || !ctx.chat) return;
    const lang = this.#lang(from);
    if (ctx.chat.type !== "private") {
      await this.#chat.sendHtml(
        ctx.chat.id,
        escapeHtml(t(lang, "telegram.diagnose.inPrivate")),
        undefined,
        topicOf(ctx),
      );
      return;
    }
    if (text.trim() === "") {
      this.#private.awaitLog(String(from.id));
      await this.#chat.sendHtml(from.id, escapeHtml(t(lang, "telegram.diagnose.prompt")));
      return;
    }
    await this.#diagnoseLog(from, text);
  }

  // ── private messages ────────────────────────────────────────────────────────

  /** In a private chat, text is the answer to the open form, the log /diagnose asked for, or else a message to read. */
  async #privateText(ctx: Context): Promise<void> {
    const from = ctx.from;
    const message = ctx.message;
    if (!from || !message?.text) return;
    const userId = String(from.id);
    if (message.text.startsWith("/")) {
      await this.#help(ctx);
      return;
    }
    if (this.#private.hasForm(userId)) {
      await this.#private.answerForm(
        userId,
        message.message_id,
        message.text,
        (sessionId, values) => this.#submit(from, sessionId, values),
      );
      return;
    }
    const logAsked = this.#private.takeAwaitingLog(userId);
    if (!logAsked && (await this.#resumeLostForm(from, message.message_id))) return;
    if (logAsked) {
      await this.#diagnoseLog(from, message.text);
      return;
    }
    // Unasked, a node log is still diagnosed; anything else gets a short help.
    const actor = await this.#chat.roles.actor(from, "dm", undefined);
    await this.#handshake.privateMessage(actor, message.text, this.#inPrivate(from, undefined));
  }

  /**
   * A restart loses a half-typed form (it lives in memory), not the session. When the gateway operator of a session
   * still waiting for gateway details goes on typing, the message is deleted, since it may be the token, and the form
   * starts again from the first question. True when that happened.
   */
  async #resumeLostForm(from: User, messageId: number): Promise<boolean> {
    const userId = String(from.id);
    const session = (await this.#chat.store.active()).find(
      (s) =>
        s.stage === "awaitingCredentials" &&
        s.gatewayOperator?.platform === "telegram" &&
        s.gatewayOperator.id === userId,
    );
    if (!session) return false;
    const lang = this.#lang(from);
    await this.#chat.bot.api
      .deleteMessage(userId, messageId)
      .catch((error: unknown) =>
        this.#chat.log.warn(
          { platform: "telegram", user: userId, ...errorFields(error) },
          "could not delete a message typed into a lost form",
        ),
      );
    await this.#chat.sendHtml(userId, escapeHtml(t(lang, "telegram.form.restarted")));
    const actor = await this.#chat.roles.actor(from, "dm", session.channel.id);
    await this.#handshake.dispatch(session.id, eventFor("enterCredentials", actor), {
      reply: (view) => this.#chat.sendView(userId, view).then(() => undefined),
      form: async (form) => {
        await this.#formPrivately(from, session.id, form, lang);
      },
    });
    return true;
  }

  async #document(ctx: Context): Promise<void> {
    const from = ctx.from;
    const document = ctx.message?.document;
    if (!from || !document) return;
    this.#private.takeAwaitingLog(String(from.id));
    const lang = this.#lang(from);
    const read = await readLog(this.#chat, document);
    if (!read.ok) {
      await this.#chat.sendHtml(
        from.id,
        escapeHtml(
          read.reason === "tooLarge"
            ? t(lang, "telegram.diagnose.tooLarge", { max: read.maxMb })
            : t(lang, "telegram.diagnose.unreadable"),
        ),
      );
      return;
    }
    await this.#diagnoseLog(from, read.log);
  }

  async #diagnoseLog(from: User, log: string | NodeLog): Promise<void> {
    const actor = await this.#chat.roles.actor(from, "dm", undefined);
    await this.#handshake.diagnose(actor, log, this.#inPrivate(from, undefined));
  }

  async #submit(from: User, sessionId: string, values: FormValues): Promise<void> {
    const session = await this.#chat.store.get(sessionId);
    const actor = await this.#chat.roles.actor(from, "dm", session?.channel.id);
    await this.#handshake.dispatch(
      sessionId,
      {
        type: "submitCredentials",
        actor,
        host: values.host,
        port: values.port,
        fingerprint: values.fingerprint,
        token: new Secret(values.token),
      },
      this.#inPrivate(from, sessionId),
    );
  }

  // ── button presses ──────────────────────────────────────────────────────────

  async #press(ctx: Context): Promise<void> {
    const query = ctx.callbackQuery;
    if (!query) return;
    const from = query.from;
    const lang = this.#lang(from);
    const answer = new CallbackAnswer(this.#chat, query.id);
    const keep = parseKeepData(query.data);
    if (keep) {
      await this.#keep(from, keep, query.message?.message_id, answer);
      return;
    }
    const pressed = parseCallbackData(query.data);
    if (!pressed) {
      await answer.send({ text: t(lang, "telegram.unknownButton"), show_alert: true });
      return;
    }
    const chat = query.message?.chat;
    const inGroup = chat !== undefined && chat.type !== "private";
    const session = await this.#chat.store.get(pressed.sessionId);
    // Callback data is the client's to choose: a press in a group counts only for a session of that group, so an
    // admin of another listed group cannot act on this one by naming it.
    if (inGroup && session && session.channel.id !== String(chat.id)) {
      await answer.send({ text: t(lang, "telegram.unknownButton"), show_alert: true });
      return;
    }
    const groupId = inGroup ? String(chat.id) : session?.channel.id;
    const actor = await this.#chat.roles.actor(from, inGroup ? "channel" : "dm", groupId);
    const responder: Responder = {
      update: async (view) =>
        inGroup
          ? this.#privately(from, view)
          : (await this.#chat.sendView(from.id, view)).length > 0,
      reply: async (view) => {
        // A refusal stays on screen until dismissed; a confirmation ("Approved.") is a brief toast.
        const alert = alertText(view);
        if (alert !== undefined && !answer.done)
          return answer.send({ text: alert, show_alert: view.notice === "refusal" });
        if (!inGroup) {
          await this.#chat.sendView(from.id, view);
          return;
        }
        if (await this.#privately(from, view))
          return answer.sendOnce({ text: t(lang, "telegram.sentPrivately") });
        await this.#answerStartFirst(answer, lang);
      },
      form: async (form) => {
        if (await this.#formPrivately(from, pressed.sessionId, form, lang)) {
          if (inGroup) await answer.sendOnce({ text: t(lang, "telegram.sentPrivately") });
          return;
        }
        await this.#answerStartFirst(answer, lang);
      },
    };
    // Every press is answered, or the person's client shows a spinner until Telegram gives up. A step
    // with nothing to say at once (the gateway, a TLS check) gets a silent answer after a moment.
    const silence = setTimeout(() => void answer.sendOnce({}), ANSWER_WITHIN_MS);
    try {
      await this.#handshake.dispatch(
        pressed.sessionId,
        eventFor(pressed.action, actor, pressed.target),
        responder,
      );
    } finally {
      clearTimeout(silence);
      await answer.sendOnce({});
    }
  }

  /** The form question's "Keep" button: the value shown is the answer, and the button goes away. */
  async #keep(
    from: User,
    keep: { sessionId: string; field: string },
    messageId: number | undefined,
    answer: CallbackAnswer,
  ): Promise<void> {
    const lang = this.#lang(from);
    const kept = await this.#private.keep(
      String(from.id),
      keep.sessionId,
      keep.field,
      (id, values) => this.#submit(from, id, values),
    );
    await answer.sendOnce({
      text: t(lang, kept ? "telegram.form.kept" : "telegram.form.staleButton"),
    });
    if (messageId !== undefined)
      await this.#chat.bot.api
        .editMessageReplyMarkup(from.id, messageId)
        .catch((error: unknown) =>
          this.#chat.log.debug(
            { platform: "telegram", ...errorFields(error) },
            "could not take the Keep button off an answered question",
          ),
        );
  }

  // ── answering privately ─────────────────────────────────────────────────────

  /** A private message to `user`; false (and kept for when they press Start) when they never started the bot. */
  async #privately(user: User, view: MessageView): Promise<boolean> {
    const outcome = await this.#chat.sendDm(userRef(user), view);
    if (!outcome.ok) this.#private.wait(String(user.id), { kind: "view", view });
    return outcome.ok;
  }

  async #formPrivately(
    user: User,
    sessionId: string,
    form: FormView,
    lang: Lang,
  ): Promise<boolean> {
    const userId = String(user.id);
    if (await this.#private.beginForm(userId, sessionId, form, lang)) return true;
    this.#chat.log.warn(
      { platform: "telegram", user: user.id, session: sessionId },
      "cannot open the form: the gateway operator has not pressed Start in a private chat with the bot",
    );
    this.#private.wait(userId, { kind: "form", sessionId, form, lang });
    return false;
  }

  /** An alert that the person must open the bot's private chat first, with a link that does it. */
  async #answerStartFirst(answer: CallbackAnswer, lang: Lang): Promise<void> {
    if (answer.done) return;
    await answer.send({
      text: t(lang, "telegram.startBotFirst"),
      show_alert: true,
      url: this.#chat.resumeLink(),
    });
  }

  /** Answers in a private chat: the reply goes there, and a form is asked there step by step. */
  #inPrivate(user: User, sessionId: string | undefined): Responder {
    // The last answer sent, so that an outcome (the TLS check's) can take its place.
    let last: number[] = [];
    return {
      reply: async (view) => {
        last = await this.#chat.sendView(user.id, view);
      },
      update: async (view) => {
        if (last.length === 0) last = await this.#chat.sendView(user.id, view);
        else
          await this.#chat.edit(
            { platform: "telegram", chatId: String(user.id), messageId: last.join(",") },
            view,
          );
        return true;
      },
      form: async (form) => {
        if (sessionId) await this.#formPrivately(user, sessionId, form, this.#lang(user));
      },
    };
  }

  #lang(user: User): Lang {
    return langOfUser(user, this.#chat.options.defaultLang);
  }
}

/** The one answer a button press gets (Telegram accepts only one per press). */
class CallbackAnswer {
  readonly #chat: TelegramChat;
  readonly #id: string;
  done = false;

  constructor(chat: TelegramChat, id: string) {
    this.#chat = chat;
    this.#id = id;
  }

  async send(answer: Answer): Promise<void> {
    this.done = true;
    try {
      await this.#chat.bot.api.answerCallbackQuery(this.#id, answer);
    } catch (error) {
      this.#chat.log.warn(
        { platform: "telegram", ...errorFields(error) },
        "could not answer a button press",
      );
      // A link Telegram would not open must not cost the person the explanation.
      if (answer.url)
        await this.#chat.bot.api
          .answerCallbackQuery(this.#id, { ...answer, url: undefined })
          .catch(() => undefined);
    }
  }

  async sendOnce(answer: Answer): Promise<void> {
    if (!this.done) await this.send(answer);
  }
}

function notice(text: string): MessageView {
  return { title: "", tone: "neutral", blocks: [{ kind: "text", text }], buttons: [] };
}

/** The topic's name, when Telegram attached the topic's first message (it does to a message that replies to nothing else). */
function topicNameOf(ctx: Context): string | undefined {
  const message = ctx.message;
  const first = message?.reply_to_message;
  return first && first.message_id === message?.message_thread_id
    ? first.forum_topic_created?.name
    : undefined;
}

/** The forum topic a group message was written in, if any (a plain group, or a forum's General topic, has none). */
function topicOf(ctx: Context): string | undefined {
  const message = ctx.message;
  return message?.is_topic_message && message.message_thread_id !== undefined
    ? String(message.message_thread_id)
    : undefined;
}
