// Answers one Discord interaction for the core: ephemeral replies, the credentials modal, and a deferral
// when nothing was sent ~2 s in, so slow work can follow up. It never answers anyone but the person who acted.

import {
  type APIModalInteractionResponseCallbackData,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  MessageFlags,
  type ModalSubmitInteraction,
} from "discord.js";
import type { Logger } from "pino";
import { t } from "../../core/i18n/index.ts";
import type { Responder } from "../../core/ports.ts";
import type { Lang } from "../../core/types.ts";
import type { FormView, MessageView } from "../../core/view.ts";
import { errorFields } from "./errors.ts";
import { type DiscordMessage, renderForm, renderMessages } from "./render.ts";

export type Answerable = ChatInputCommandInteraction | ButtonInteraction | ModalSubmitInteraction;

/** Discord wants a first answer within 3 s; deferring a little earlier leaves room for the round trip. */
export const DEFER_AFTER_MS = 2000;

export interface ResponderOptions {
  lang: Lang;
  log: Logger;
  /** The session whose buttons or form this interaction belongs to (for the modal's id). */
  sessionId?: string;
  deferAfterMs?: number;
}

/**
 * The core's `Responder` for one interaction. Every answer goes through one queue, so the deferral timer
 * and the core's answers never race; failures are logged, never thrown, so the session's own work goes on.
 */
export class InteractionResponder implements Responder {
  readonly #interaction: Answerable;
  readonly #options: ResponderOptions;
  #queue: Promise<void> = Promise.resolve();
  #timer: NodeJS.Timeout | undefined;
  /** Something the person can see was sent: a reply, a modal, or the edit of a deferred reply. */
  #answered = false;
  #deferred = false;

  constructor(interaction: Answerable, options: ResponderOptions) {
    this.#interaction = interaction;
    this.#options = options;
    this.#timer = setTimeout(() => {
      this.#enqueue(() => this.#defer());
    }, options.deferAfterMs ?? DEFER_AFTER_MS);
    this.#timer.unref();
  }

  get answered(): boolean {
    return this.#answered;
  }

  reply(view: MessageView): Promise<void> {
    return this.#enqueue(() => this.#send(renderMessages(view, { lang: this.#options.lang })));
  }

  /** A modal must be the first answer; when it no longer can be, a button that opens it stands in. */
  form(form: FormView): Promise<void> {
    const sessionId = this.#options.sessionId;
    return this.#enqueue(async () => {
      if (sessionId && this.#canShowModal()) {
        await this.#showModal(renderForm(form, sessionId));
        return;
      }
      const lang = this.#options.lang;
      const stand: MessageView = {
        title: form.title,
        tone: "action",
        blocks: [
          { kind: "text", text: form.intro },
          { kind: "text", text: t(lang, "discord.formClosed") },
        ],
        buttons: [
          {
            kind: "action",
            action: "enterCredentials",
            label: t(lang, "button.enterCredentials"),
            style: "primary",
          },
        ],
        ...(sessionId ? { sessionId } : {}),
      };
      await this.#send(renderMessages(stand, { lang }));
    });
  }

  /**
   * Turns the first answer (the "Checking…" of a submit) into `view` by editing it, as long as the interaction's
   * token lasts (15 minutes); an ephemeral follow-up when the edit fails. False when neither reached the person.
   */
  update(view: MessageView): Promise<boolean> {
    let done = false;
    return this.#enqueue(async () => {
      const messages = renderMessages(view, { lang: this.#options.lang });
      if (!this.#answered && !this.#deferred) {
        await this.#send(messages);
        done = true;
        return;
      }
      this.#stopTimer();
      const i = this.#interaction;
      const [first, ...rest] = messages;
      if (first)
        await i.editReply(bodyOf(first)).catch(async (error: unknown) => {
          this.#options.log.warn(
            { ...errorFields(error), interaction: i.id },
            "could not edit the answer in place; following up instead",
          );
          await i.followUp({ ...bodyOf(first), flags: MessageFlags.Ephemeral });
        });
      for (const message of rest)
        await i.followUp({ ...bodyOf(message), flags: MessageFlags.Ephemeral });
      this.#answered = true;
      done = true;
    }).then(() => done);
  }

  /** Shows a modal the adapter built itself (the /diagnose paste box). */
  modal(data: APIModalInteractionResponseCallbackData): Promise<void> {
    return this.#enqueue(() => this.#showModal(data));
  }

  /**
   * Ends the interaction: `fallback` is said if nothing was; otherwise a deferred "thinking…" is removed,
   * and an unanswered click is acknowledged silently, so Discord never shows "This interaction failed".
   */
  finish(fallback?: MessageView): Promise<void> {
    this.#stopTimer();
    return this.#enqueue(async () => {
      if (this.#answered) return;
      if (fallback) {
        await this.#send(renderMessages(fallback, { lang: this.#options.lang }));
        return;
      }
      const i = this.#interaction;
      if (this.#deferred) await i.deleteReply();
      else if (i.isButton() || (i.isModalSubmit() && i.isFromMessage())) await i.deferUpdate();
      else {
        await i.deferReply({ flags: MessageFlags.Ephemeral });
        await i.deleteReply();
      }
      this.#answered = true;
    });
  }

  /**
   * Acknowledges at once (an ephemeral "thinking…"), for a command that can never answer with a modal and whose
   * work (store writes, posting the card) should not count against Discord's 3 seconds.
   */
  acknowledge(): Promise<void> {
    this.#stopTimer();
    return this.#enqueue(() => this.#defer());
  }

  #canShowModal(): boolean {
    const i = this.#interaction;
    return !this.#answered && !this.#deferred && !i.isModalSubmit() && !i.deferred && !i.replied;
  }

  async #showModal(data: APIModalInteractionResponseCallbackData): Promise<void> {
    const i = this.#interaction;
    if (i.isModalSubmit()) throw new Error("a modal cannot answer a modal");
    this.#stopTimer();
    await i.showModal(data);
    this.#answered = true;
  }

  async #defer(): Promise<void> {
    if (this.#answered || this.#deferred) return;
    await this.#interaction.deferReply({ flags: MessageFlags.Ephemeral });
    this.#deferred = true;
  }

  /** The first message answers (or fills the deferred reply); the rest follow up, all visible to this person only. */
  async #send(messages: DiscordMessage[]): Promise<void> {
    const i = this.#interaction;
    this.#stopTimer();
    for (const message of messages) {
      const body = bodyOf(message);
      if (!this.#answered && !this.#deferred)
        await i.reply({ ...body, flags: MessageFlags.Ephemeral });
      else if (!this.#answered) await i.editReply(body);
      else await i.followUp({ ...body, flags: MessageFlags.Ephemeral });
      this.#answered = true;
    }
  }

  #stopTimer(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #enqueue(work: () => Promise<void>): Promise<void> {
    const next = this.#queue.then(work).catch((error: unknown) => {
      this.#options.log.warn(
        { ...errorFields(error), interaction: this.#interaction.id },
        "could not answer a Discord interaction",
      );
    });
    this.#queue = next;
    return next;
  }
}

function bodyOf(message: DiscordMessage) {
  return {
    content: message.content ?? "",
    embeds: message.embeds,
    components: message.components,
    allowedMentions: message.allowedMentions,
  };
}
