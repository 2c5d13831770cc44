// The Discord adapter (discord.js 14): the session card, private messages, slash commands, buttons and modals.
// It translates between Discord and the core and decides nothing; it never logs a view's text or a secret.

import { createHash } from "node:crypto";
import { once } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";
import {
  type Attachment,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  Client,
  type ClientOptions,
  DiscordjsError,
  DiscordjsErrorCodes,
  Events,
  type Interaction,
  type Message,
  type ModalSubmitInteraction,
  type PartialMessage,
  Partials,
  PermissionFlagsBits,
  type SendableChannels,
} from "discord.js";
import type { Logger } from "pino";
import { eventFor } from "../../core/actions.ts";
import { completeCommands } from "../../core/grant.ts";
import { pickLang, t } from "../../core/i18n/index.ts";
import type { NodeLog } from "../../core/log-tail.ts";
import type { Chat, DmOutcome, MessageRef } from "../../core/ports.ts";
import { Secret } from "../../core/secret.ts";
import type { ChannelRef, Lang, Origin, UserRef } from "../../core/types.ts";
import { MAX_DISPLAY_NAME_LENGTH } from "../../core/validate.ts";
import type { CommandNames, MessageView } from "../../core/view.ts";
import type { Handshake } from "../../flows/handshake.ts";
import { downloadLog, type LogDownload } from "../download.ts";
import { COMMAND, OPTION } from "./commands.ts";
import { DiscordCode, errorFields, hasCode } from "./errors.ts";
import { type ParsedId, parseId } from "./ids.ts";
import { containsSecret, leakNotice } from "./leak-guard.ts";
import { type DiscordOptions, intentsFor } from "./options.ts";
import { type DiscordMessage, renderDiagnoseForm, renderMessages, withMentions } from "./render.ts";
import { type Answerable, InteractionResponder } from "./responder.ts";
import { handleOf, nameOf, Roles } from "./roles.ts";

const ATTACHMENT_HOSTS = ["cdn.discordapp.com", "media.discordapp.net"];
/** How long Discord may take to say the bot is ready before start-up gives up. */
const READY_TIMEOUT_MS = 60_000;
/** How long stop() lets the work in flight finish when Discord is slow or gone: the whole process stops within 10 s. */
const STOP_GRACE_MS = 3000;
/** How long the work behind an acknowledged interaction waits for other acknowledgements at most. */
const ACK_FIRST_MAX_WAIT_MS = 1000;
/** What the bot needs in a channel to post and edit the session card there. */
const CARD_PERMISSIONS = [
  PermissionFlagsBits.ViewChannel,
  PermissionFlagsBits.SendMessages,
  PermissionFlagsBits.EmbedLinks,
];

/**
 * The `Chat` port on Discord, plus the bot's side of Discord: `start(handshake)` logs in and routes
 * slash commands, button clicks, modal submissions and DMs to the handshake; `stop()` logs out.
 */
export class DiscordChat implements Chat {
  readonly platform = "discord" as const;
  readonly commands: CommandNames = {
    connectNode: `/${COMMAND.connectNode}`,
    diagnose: `/${COMMAND.diagnose}`,
    nodes: `/${COMMAND.nodes}`,
    disconnectNode: `/${COMMAND.disconnectNode}`,
  };
  readonly #options: DiscordOptions;
  readonly #log: Logger;
  readonly #inflight = new Set<Promise<void>>();
  /** Interactions whose acknowledgement is on its way, and the work waiting for them (see #acknowledgeFirst). */
  #acknowledging = 0;
  readonly #afterAcks: Array<() => void> = [];
  /** Per DM key, how many times its parts were deleted after a failed send (see sendDm). */
  readonly #resends = new Map<string, number>();
  #client: Client | undefined;
  #handshake: Handshake | undefined;
  #roles: Roles | undefined;
  #stopping = false;

  constructor(options: DiscordOptions, log: Logger) {
    this.#options = options;
    this.#log = log.child({ platform: "discord" });
  }

  /** The logged-in discord.js client. */
  get client(): Client {
    if (!this.#client) throw new Error("the Discord adapter is not started");
    return this.#client;
  }

  /** Logs in and starts answering; resolves once Discord says the bot is ready. */
  async start(handshake: Handshake): Promise<void> {
    const options = this.#options;
    const clientOptions: ClientOptions = {
      intents: intentsFor(options),
      // DM channels are not cached, so their messages arrive only with the Channel partial.
      partials: [Partials.Channel],
      allowedMentions: { parse: [] },
      ...(options.apiUrl ? { rest: { api: options.apiUrl } } : {}),
    };
    const client = new Client(clientOptions);
    this.#handshake = handshake;
    this.#roles = new Roles(client, options, this.#log);
    client.on(Events.InteractionCreate, (interaction) =>
      this.#track(() => this.#onInteraction(interaction)),
    );
    client.on(Events.MessageCreate, (message) => this.#track(() => this.#onMessage(message)));
    if (options.leakGuard)
      client.on(Events.MessageUpdate, (_before, after) => this.#track(() => this.#onEdited(after)));
    client.on(Events.Error, (error) => this.#log.error(errorFields(error), "discord client error"));
    client.on(Events.Warn, (warning) => this.#log.warn({ warning }, "discord client warning"));
    const ready = new AbortController();
    try {
      await Promise.all([
        once(client, Events.ClientReady, {
          signal: AbortSignal.any([ready.signal, AbortSignal.timeout(READY_TIMEOUT_MS)]),
        }),
        client.login(options.token),
      ]);
    } catch (error) {
      ready.abort();
      await client.destroy();
      throw new Error(loginProblem(error));
    }
    this.#client = client;
    // Effects that came due while the bot was logged out (a restart, an outage) go out now, not at the next tick.
    this.#track(() => handshake.drain());
    this.#log.info(
      { user: client.user?.id, guilds: client.guilds.cache.size, leakGuard: options.leakGuard },
      "discord ready",
    );
  }

  /** Stops taking new events, waits (a little) for those being handled, then logs out. */
  async stop(): Promise<void> {
    this.#stopping = true;
    await Promise.race([
      Promise.allSettled([...this.#inflight]),
      sleep(STOP_GRACE_MS, undefined, { ref: false }),
    ]);
    await this.#client?.destroy();
    this.#client = undefined;
  }

  // ── the Chat port ───────────────────────────────────────────────────────────

  async postCard(channel: ChannelRef, view: MessageView, key?: string): Promise<MessageRef> {
    return this.#effect("postCard", async () => {
      const target = await this.#sendable(channel.id);
      const [card] = renderMessages(view, { lang: this.#options.defaultLang, maxMessages: 1 });
      const sent = await target.send({ ...sendBody(card as DiscordMessage), ...nonce(key, 0) });
      return { platform: "discord", chatId: channel.id, messageId: sent.id };
    });
  }

  /** Edits a message in place; a DM sent as several messages is edited part by part, and parts no longer needed are deleted. */
  async edit(ref: MessageRef, view: MessageView): Promise<void> {
    await this.#effect("edit", async () => {
      const target = await this.#sendable(ref.chatId);
      const ids = ref.messageId.split(",");
      const parts = renderMessages(view, {
        lang: this.#options.defaultLang,
        maxMessages: ids.length,
      });
      for (const [index, id] of ids.entries()) {
        const part = parts[index];
        if (part) await target.messages.edit(id, editBody(part));
        else
          await target.messages.delete(id).catch((error: unknown) => {
            if (!hasCode(error, DiscordCode.UnknownMessage)) throw error;
          });
      }
    });
  }

  async sendDm(user: UserRef, view: MessageView, key?: string): Promise<DmOutcome> {
    return this.#effect("sendDm", async () => {
      const client = this.client;
      let dm: Awaited<ReturnType<Client["users"]["createDM"]>>;
      try {
        dm = await client.users.createDM(user.id);
      } catch (error) {
        if (hasCode(error, DiscordCode.UnknownUser) || hasCode(error, DiscordCode.InvalidRecipient))
          return { ok: false, reason: "unknownUser" };
        throw error;
      }
      const sent: Message[] = [];
      // After a failed send whose parts were deleted, the retry needs new nonces: Discord would return the deleted ones.
      const attempt = key === undefined ? undefined : `${key}~${this.#resends.get(key) ?? 0}`;
      try {
        for (const [index, part] of renderMessages(view, {
          lang: this.#options.defaultLang,
        }).entries())
          sent.push(await dm.send({ ...sendBody(part), ...nonce(attempt, index) }));
      } catch (error) {
        // A message sent in parts is sent whole or not at all: a retry must not leave half of it behind.
        for (const message of sent) await message.delete().catch(() => undefined);
        if (key !== undefined && sent.length > 0)
          this.#resends.set(key, (this.#resends.get(key) ?? 0) + 1);
        if (hasCode(error, DiscordCode.CannotSendToUser)) {
          this.#log.info({ to: user.id, code: DiscordCode.CannotSendToUser }, "DMs closed");
          return { ok: false, reason: "closed" };
        }
        throw error;
      }
      return {
        ok: true,
        ref: { platform: "discord", chatId: dm.id, messageId: sent.map((m) => m.id).join(",") },
      };
    });
  }

  async approvers(_channel: ChannelRef): Promise<UserRef[]> {
    return this.#effect("approvers", () => (this.#roles as Roles).approvers());
  }

  async gatewayOperators(_channel: ChannelRef): Promise<UserRef[]> {
    return this.#effect("gatewayOperators", () => (this.#roles as Roles).gatewayOperators());
  }

  /** For /healthz: the gateway connection's round trip, or false while the bot is not connected. */
  async health(): Promise<string | boolean> {
    const client = this.#client;
    if (!client?.isReady()) return false;
    return client.ws.ping >= 0 ? `ready, ping ${client.ws.ping} ms` : "ready";
  }

  // ── what people do ──────────────────────────────────────────────────────────

  async #onInteraction(interaction: Interaction): Promise<void> {
    if (interaction.isAutocomplete()) return this.#autocomplete(interaction);
    if (
      !interaction.isChatInputCommand() &&
      !interaction.isButton() &&
      !interaction.isModalSubmit()
    )
      return;
    const lang = pickLang(interaction.locale, this.#options.defaultLang);
    const parsed = interaction.isChatInputCommand() ? undefined : parseId(interaction.customId);
    const responder = new InteractionResponder(interaction as Answerable, {
      lang,
      log: this.#log,
      ...(parsed && "sessionId" in parsed ? { sessionId: parsed.sessionId } : {}),
      ...(this.#options.deferAfterMs !== undefined
        ? { deferAfterMs: this.#options.deferAfterMs }
        : {}),
    });
    try {
      let fallback: MessageView | undefined;
      if (interaction.isChatInputCommand())
        fallback = await this.#command(interaction, lang, responder);
      else if (interaction.isButton()) await this.#button(interaction, parsed, lang, responder);
      else await this.#modal(interaction, parsed, lang, responder);
      await responder.finish(fallback);
    } catch (error) {
      this.#log.error(
        { ...errorFields(error), interaction: interaction.type },
        "interaction failed",
      );
      await responder.finish(textView(t(lang, "discord.error")));
    }
  }

  /** `/connect-node` answers with the card in the channel and an ephemeral "opened"; `/diagnose` with a paste box. */
  async #command(
    interaction: ChatInputCommandInteraction,
    lang: Lang,
    responder: InteractionResponder,
  ): Promise<MessageView | undefined> {
    const handshake = this.#handshake as Handshake;
    const roles = this.#roles as Roles;
    if (interaction.commandName === COMMAND.diagnose) {
      const file = interaction.options.getAttachment(OPTION.log);
      if (!file) {
        await responder.modal(renderDiagnoseForm(lang));
        return undefined;
      }
      const log = await this.#readLog(file);
      if (log === undefined) return textView(t(lang, "discord.diagnose.unreadable"));
      await handshake.diagnose(await roles.actor(interaction, lang), log, responder);
      return undefined;
    }
    // Answers are ephemeral: an approver reads node ids and addresses, and confirms a removal, there.
    if (interaction.commandName === COMMAND.nodes) {
      const refused = this.#notAllowedHere(interaction, lang);
      if (refused) return refused;
      await this.#acknowledgeFirst(responder);
      // With no list, a stranger's own server would do as well as the team's: an approver must be in it.
      if (
        this.#options.channelIds.length === 0 &&
        interaction.inGuild() &&
        !(await roles.approverIsMember(interaction.guildId))
      )
        return textView(t(lang, "nodes.noApproverHere"));
      const actor = await roles.actor(interaction, lang);
      await handshake.nodes.list({ actor, responder, private: true });
      return undefined;
    }
    if (interaction.commandName === COMMAND.disconnectNode) {
      await this.#acknowledgeFirst(responder);
      const actor = await roles.actor(interaction, lang);
      const name = interaction.options.getString(OPTION.name, true);
      await handshake.nodes.disconnect({ actor, responder, private: true }, name);
      return undefined;
    }
    if (interaction.commandName !== COMMAND.connectNode) return undefined;
    if (!interaction.inGuild()) return textView(t(lang, "discord.guildOnly"));
    const allowed = this.#options.channelIds;
    if (allowed.length > 0 && !allowed.includes(interaction.channelId))
      return withMentions(
        textView(
          t(lang, "discord.channelNotAllowed", {
            channels: allowed.map((id) => `<#${id}>`).join(", "),
          }),
        ),
        allowed.map((id) => `#${id}`),
      );
    if (!interaction.appPermissions.has(CARD_PERMISSIONS))
      return textView(t(lang, "discord.cannotPost"));
    const chosen = interaction.options.getUser(OPTION.nodeOperator);
    if (chosen?.bot) return textView(t(lang, "discord.nodeOperatorBot", { name: chosen.username }));
    await this.#acknowledgeFirst(responder);
    // With no list, a stranger's own server would do as well as the team's: an approver must be in it.
    if (allowed.length === 0 && !(await roles.approverIsMember(interaction.guildId))) {
      this.#log.info(
        { guild: interaction.guildId, user: interaction.user.id },
        "connect-node refused: no configured approver is in this server",
      );
      return textView(t(lang, "discord.noApproverHere"));
    }
    const requester = await roles.actor(interaction, lang);
    const member = interaction.options.getMember(OPTION.nodeOperator);
    const nodeOperator: UserRef | undefined =
      chosen && chosen.id !== requester.id
        ? {
            platform: "discord",
            id: chosen.id,
            name: nameOf(chosen, member),
          }
        : undefined;
    const session = await handshake.open(
      {
        channel: { platform: "discord", id: interaction.channelId },
        displayName: interaction.options.getString(OPTION.name, true),
        ...reasonOf(interaction.options.getString(OPTION.reason)),
        ...commandsOf(interaction.options.getString(OPTION.commands)),
        requester,
        ...(nodeOperator ? { nodeOperator } : {}),
        origin: originOf(interaction),
      },
      responder,
    );
    return session ? textView(t(lang, "notice.opened")) : undefined;
  }

  async #button(
    interaction: ButtonInteraction,
    parsed: ParsedId | undefined,
    lang: Lang,
    responder: InteractionResponder,
  ): Promise<void> {
    if (parsed?.kind !== "action") {
      await responder.reply(textView(t(lang, "discord.unknownButton")));
      return;
    }
    const actor = await (this.#roles as Roles).actor(interaction, lang);
    await (this.#handshake as Handshake).dispatch(
      parsed.sessionId,
      eventFor(parsed.action, actor, parsed.target),
      responder,
    );
  }

  /** The credentials modal becomes `submitCredentials` (the token as a Secret); the paste box a diagnosis. */
  async #modal(
    interaction: ModalSubmitInteraction,
    parsed: ParsedId | undefined,
    lang: Lang,
    responder: InteractionResponder,
  ): Promise<void> {
    const handshake = this.#handshake as Handshake;
    const value = (name: string) => {
      try {
        return interaction.fields.getTextInputValue(name);
      } catch {
        return "";
      }
    };
    if (parsed?.kind === "diagnose") {
      const actor = await (this.#roles as Roles).actor(interaction, lang);
      await handshake.diagnose(actor, value("log"), responder);
      return;
    }
    if (parsed?.kind !== "form") {
      await responder.reply(textView(t(lang, "discord.unknownButton")));
      return;
    }
    const actor = await (this.#roles as Roles).actor(interaction, lang);
    await handshake.dispatch(
      parsed.sessionId,
      {
        type: "submitCredentials",
        actor,
        host: value("host"),
        port: value("port"),
        fingerprint: value("fingerprint"),
        token: new Secret(value("token")),
      },
      responder,
    );
  }

  /** /nodes lists only where /connect-node may be used: in a server, in an allowed channel when there is a list. */
  #notAllowedHere(interaction: ChatInputCommandInteraction, lang: Lang): MessageView | undefined {
    if (!interaction.inGuild()) return textView(t(lang, "discord.guildOnly"));
    const allowed = this.#options.channelIds;
    if (allowed.length === 0 || allowed.includes(interaction.channelId)) return undefined;
    return withMentions(
      textView(
        t(lang, "nodes.channelNotAllowed", {
          channels: allowed.map((id) => `<#${id}>`).join(", "),
        }),
      ),
      allowed.map((id) => `#${id}`),
    );
  }

  /** Suggests the typed name and one made from the requester's name; the core validates whatever is chosen. */
  async #autocomplete(interaction: AutocompleteInteraction): Promise<void> {
    const focused = interaction.options.getFocused(true);
    // /disconnect-node completes from the gateway's nodes, for approvers only (the flow says who is one).
    if (interaction.commandName === COMMAND.disconnectNode && focused.name === OPTION.name) {
      const lang = pickLang(interaction.locale, this.#options.defaultLang);
      const actor = await (this.#roles as Roles).actor(interaction, lang);
      const choices = await (this.#handshake as Handshake).nodes.names(
        actor,
        String(focused.value),
      );
      await interaction
        .respond(choices.map((c) => ({ name: c.name.slice(0, 100), value: c.value.slice(0, 100) })))
        .catch((error: unknown) => this.#log.warn(errorFields(error), "autocomplete failed"));
      return;
    }
    if (interaction.commandName === COMMAND.connectNode && focused.name === OPTION.commands) {
      await interaction
        .respond(
          completeCommands(String(focused.value)).map((list) => ({ name: list, value: list })),
        )
        .catch((error: unknown) => this.#log.warn(errorFields(error), "autocomplete failed"));
      return;
    }
    if (interaction.commandName !== COMMAND.connectNode || focused.name !== OPTION.name) {
      await interaction.respond([]);
      return;
    }
    const typed = String(focused.value).trim();
    const own = `${slug(nameOf(interaction.user, interaction.member))}-node`;
    const choices = [...new Set([typed, own])].filter(
      (name) => name.length > 0 && [...name].length <= MAX_DISPLAY_NAME_LENGTH,
    );
    await interaction
      .respond(choices.map((name) => ({ name, value: name })))
      .catch((error: unknown) => this.#log.warn(errorFields(error), "autocomplete failed"));
  }

  /**
   * A DM to the bot with a file is a node log; a text alone is read as one if it looks like one, else answered with a
   * short help. A channel message only meets the leak guard.
   */
  async #onMessage(message: Message): Promise<void> {
    if (message.author.bot || message.author.id === this.#client?.user?.id) return;
    if (message.inGuild()) {
      if (this.#options.leakGuard) await this.#guard(message);
      return;
    }
    const texts = [message.content];
    let truncated = false;
    for (const file of message.attachments.values()) {
      const log = await this.#readLog(file);
      texts.push(log?.text ?? "");
      truncated ||= log?.truncated === true;
    }
    const text = texts.join("\n").trim();
    if (!text) return;
    const actor = await (this.#roles as Roles).actor(message, this.#options.defaultLang);
    const handshake = this.#handshake as Handshake;
    if (message.attachments.size > 0) await handshake.diagnose(actor, { text, truncated });
    else await handshake.privateMessage(actor, text);
  }

  async #onEdited(message: Message | PartialMessage): Promise<void> {
    if (message.partial || !message.inGuild() || message.author.bot) return;
    await this.#guard(message);
  }

  /** Deletes a channel message that holds a live secret and tells the channel how to rotate it, without repeating it. */
  async #guard(message: Message<true>): Promise<void> {
    const secrets = await (this.#handshake as Handshake).activeSecrets();
    if (!containsSecret(message.content, secrets)) return;
    const where = { channel: message.channelId, user: message.author.id, message: message.id };
    try {
      await message.delete();
      this.#log.warn(where, "deleted a channel message that contained a live secret");
    } catch (error) {
      this.#log.error(
        { ...errorFields(error), ...where },
        "could not delete a channel message that contains a live secret",
      );
    }
    const lang = pickLang(message.guild.preferredLocale, this.#options.defaultLang);
    for (const part of renderMessages(leakNotice(lang, message.author.id), { lang }))
      await message.channel.send(sendBody(part));
  }

  /** The end of an attached log (see `fetchAttachment`), or undefined when it cannot be read. */
  async #readLog(file: Attachment): Promise<NodeLog | undefined> {
    try {
      const read = await fetchAttachment(file.url, this.#options.attachmentOrigin);
      if (read.ok) return read.log;
      this.#log.warn(
        { reason: read.reason, ...("status" in read ? { status: read.status } : {}) },
        "could not read an attached log",
      );
    } catch (error) {
      this.#log.warn(errorFields(error), "could not read an attached log");
    }
    return undefined;
  }

  // ── plumbing ────────────────────────────────────────────────────────────────

  /**
   * Acknowledges an interaction, then lets its work (store writes, the card) wait while other interactions are still
   * being acknowledged: in a burst, every acknowledgement goes out before any of the slower work behind them.
   */
  async #acknowledgeFirst(responder: InteractionResponder): Promise<void> {
    this.#acknowledging += 1;
    try {
      await responder.acknowledge();
    } finally {
      this.#acknowledging -= 1;
      if (this.#acknowledging === 0) for (const resume of this.#afterAcks.splice(0)) resume();
    }
    if (this.#acknowledging > 0)
      await new Promise<void>((resume) => {
        this.#afterAcks.push(resume);
        // Never held up for long, however busy: the work still has Discord's 15 minutes, but people are waiting.
        setTimeout(resume, ACK_FIRST_MAX_WAIT_MS).unref();
      });
  }

  async #sendable(channelId: string): Promise<SendableChannels> {
    const channel = await this.client.channels.fetch(channelId);
    if (!channel?.isSendable()) throw new Error(`channel ${channelId} cannot take messages`);
    return channel;
  }

  /** Runs one of the port's calls; a Discord failure is logged with its code and thrown on to the flows, which retry. */
  async #effect<T>(what: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      this.#log.warn({ ...errorFields(error), call: what }, "discord call failed");
      throw error;
    }
  }

  /** Runs an event's handler unless the adapter is stopping; `stop()` waits for the ones running. */
  #track(work: () => Promise<void>): void {
    if (this.#stopping) return;
    const tracked = work().catch((error: unknown) =>
      this.#log.error(errorFields(error), "discord event handler failed"),
    );
    this.#inflight.add(tracked);
    void tracked.finally(() => this.#inflight.delete(tracked));
  }
}

/** The server, channel and requester's username as Discord names them now (ids where a name is not cached). */
function originOf(interaction: ChatInputCommandInteraction<"cached" | "raw">): Origin {
  const channel = interaction.channel;
  return {
    place: {
      kind: "server",
      id: interaction.guildId,
      name: interaction.guild?.name ?? interaction.guildId,
    },
    channel: {
      id: interaction.channelId,
      name: channel && "name" in channel && channel.name ? channel.name : interaction.channelId,
    },
    handle: handleOf(interaction.user),
  };
}

/** The commands option, when given; the handshake checks it. */
function commandsOf(commands: string | null): { commands?: string } {
  return commands ? { commands } : {};
}

/** The reason option, when given; the handshake checks it. */
function reasonOf(reason: string | null): { reason?: string } {
  return reason ? { reason } : {};
}

function textView(text: string): MessageView {
  return { title: "", tone: "neutral", blocks: [{ kind: "text", text }], buttons: [] };
}

function sendBody(message: DiscordMessage) {
  return {
    ...(message.content ? { content: message.content } : {}),
    embeds: message.embeds,
    components: message.components,
    allowedMentions: message.allowedMentions,
  };
}

/**
 * Discord's enforced nonce for part `part` of the send named `key`: Discord creates one message per nonce within a few
 * minutes and answers a repeat with the first, which covers a restart after a crash between a send and its record.
 */
function nonce(key: string | undefined, part: number): { nonce?: string; enforceNonce?: true } {
  if (key === undefined) return {};
  // A nonce is at most 25 characters; a digest of the key fits and says nothing of the session.
  const digest = createHash("sha256").update(`${key}#${part}`).digest("base64url");
  return { nonce: digest.slice(0, 25), enforceNonce: true };
}

/** An edit replaces everything, so a message that had text and now has only embeds loses the text. */
function editBody(message: DiscordMessage) {
  return { ...sendBody(message), content: message.content ?? "" };
}

/** "Zoë Chen" → "zoë-chen": a display name made from a person's name. */
function slug(name: string): string {
  const base = name
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, "-")
    .replace(/^-+|-+$/g, "");
  return [...base].slice(0, MAX_DISPLAY_NAME_LENGTH - 5).join("") || "my";
}

/**
 * Reads the end of an attachment (MAX_LOG_BYTES, see `downloadLog`) from Discord's CDN only: the URL comes from
 * Discord, but a redirect or another host is refused. `origin` adds one more place to read from (tests: the fake).
 */
export async function fetchAttachment(url: string, origin?: string): Promise<LogDownload> {
  const parsed = new URL(url);
  const fromCdn = parsed.protocol === "https:" && ATTACHMENT_HOSTS.includes(parsed.hostname);
  if (!fromCdn && (origin === undefined || parsed.origin !== origin))
    throw new Error("not a Discord attachment URL");
  return downloadLog(parsed, { redirect: "error", signal: AbortSignal.timeout(10_000) });
}

/** What to tell the person starting the bot when Discord refuses the login. */
function loginProblem(error: unknown): string {
  if (error instanceof DiscordjsError && error.code === DiscordjsErrorCodes.TokenInvalid)
    return "Discord refused DISCORD_TOKEN: reset it in the Developer Portal (Bot → Reset Token) and set it again";
  const message = error instanceof Error ? error.message : String(error);
  if (/disallowed intents/i.test(message))
    return "Discord refused the privileged intents: turn on Server Members Intent (for DISCORD_APPROVER_ROLE_ID / DISCORD_GATEWAY_OPERATOR_ROLE_ID) and Message Content Intent (for DISCORD_LEAK_GUARD) under Bot → Privileged Gateway Intents in the Developer Portal, or unset those settings";
  return `could not log in to Discord: ${message.split("\n")[0]}`;
}
