// What the bot remembers about each person's private chat between two messages: a form half filled in, a log
// awaited, messages waiting for them to press Start. Memory only: a restart loses a half-typed form (the inbox then
// starts it again from the first question), never a session.

import { t } from "../../core/i18n/index.ts";
import type { Lang } from "../../core/types.ts";
import type { FormView, MessageView } from "../../core/view.ts";
import { errorFields, undeliverable } from "./errors.ts";
import {
  answerField,
  currentField,
  type FormState,
  type FormStep,
  introHtml,
  KEEP,
  questionHtml,
  questionKeyboard,
  startForm,
} from "./form.ts";
import { escapeHtml } from "./render.ts";
import type { TelegramChat } from "./telegram.ts";

/** How long the bot keeps each of these for a person who went quiet. */
const KEEP_MS = 30 * 60_000;
/** At most this many messages wait for one person to press Start. */
const MAX_WAITING = 5;

/** Something for a person the bot could not write to yet, delivered when they press Start. */
export type Waiting =
  | { kind: "view"; view: MessageView }
  | { kind: "form"; sessionId: string; form: FormView; lang: Lang };

export type FormValues = Extract<FormStep, { kind: "done" }>["values"];

export class PrivateChats {
  readonly #chat: TelegramChat;
  readonly #now: () => number;
  readonly #forms = new Map<string, { state: FormState; until: number }>();
  readonly #awaitingLog = new Map<string, number>();
  readonly #waiting = new Map<string, { items: Waiting[]; until: number }>();

  constructor(chat: TelegramChat, now: () => number = Date.now) {
    this.#chat = chat;
    this.#now = now;
  }

  /** Opens the form in the person's private chat (replacing one they had open). False when they never started the bot. */
  async beginForm(userId: string, sessionId: string, form: FormView, lang: Lang): Promise<boolean> {
    const state = startForm(sessionId, form, lang);
    try {
      await this.#chat.sendHtml(
        userId,
        `${introHtml(form, lang)}\n\n${questionHtml(state)}`,
        questionKeyboard(state),
      );
    } catch (error) {
      if (undeliverable(error)) return false;
      throw error;
    }
    this.#forms.set(userId, { state, until: this.#now() + KEEP_MS });
    this.#awaitingLog.delete(userId);
    return true;
  }

  hasForm(userId: string): boolean {
    const entry = this.#forms.get(userId);
    if (entry && entry.until <= this.#now()) this.#forms.delete(userId);
    return this.#forms.has(userId);
  }

  /**
   * Takes the person's answer to the current question. The message that carried a secret (the token)
   * is deleted at once, whatever it held, and the person is told. With every value in, `submit` runs.
   */
  async answerForm(
    userId: string,
    messageId: number,
    text: string,
    submit: (sessionId: string, values: FormValues) => Promise<void>,
  ): Promise<void> {
    const entry = this.#forms.get(userId);
    if (!entry) return;
    const { state } = entry;
    const lang = state.lang;
    const step = answerField(state, text);
    if (currentField(state)?.secret) {
      const deleted = await this.#chat.bot.api.deleteMessage(userId, messageId).then(
        () => true,
        (error: unknown) => {
          this.#chat.log.warn(
            { platform: "telegram", user: userId, ...errorFields(error) },
            "could not delete the message that carried the token",
          );
          return false;
        },
      );
      await this.#say(
        userId,
        t(lang, deleted ? "telegram.form.tokenDeleted" : "telegram.form.tokenNotDeleted"),
      );
    }
    await this.#next(userId, state.sessionId, step, submit);
  }

  /**
   * The question's "Keep" button: keeps the value shown for `field`, as long as that is still the question asked
   * in that session's form. False for a button of an earlier question or another form.
   */
  async keep(
    userId: string,
    sessionId: string,
    field: string,
    submit: (sessionId: string, values: FormValues) => Promise<void>,
  ): Promise<boolean> {
    if (!this.hasForm(userId)) return false;
    const state = this.#forms.get(userId)?.state;
    if (!state || state.sessionId !== sessionId || currentField(state)?.name !== field)
      return false;
    await this.#next(userId, sessionId, answerField(state, KEEP), submit);
    return true;
  }

  async #next(
    userId: string,
    sessionId: string,
    step: FormStep,
    submit: (sessionId: string, values: FormValues) => Promise<void>,
  ): Promise<void> {
    switch (step.kind) {
      case "invalid":
        await this.#say(userId, step.message);
        return;
      case "ask":
        this.#forms.set(userId, { state: step.state, until: this.#now() + KEEP_MS });
        await this.#chat.sendHtml(userId, questionHtml(step.state), questionKeyboard(step.state));
        return;
      case "done":
        this.#forms.delete(userId);
        await submit(sessionId, step.values);
        return;
    }
  }

  /** `/diagnose` without a log: the next text or file from this person is the log. */
  awaitLog(userId: string): void {
    this.#awaitingLog.set(userId, this.#now() + KEEP_MS);
  }

  /** Whether a log was asked for (and forgets that it was). */
  takeAwaitingLog(userId: string): boolean {
    const until = this.#awaitingLog.get(userId);
    this.#awaitingLog.delete(userId);
    return until !== undefined && until > this.#now();
  }

  /** Keeps something for a person who must press Start first. */
  wait(userId: string, item: Waiting): void {
    const entry = this.#waiting.get(userId);
    const items = entry && entry.until > this.#now() ? entry.items : [];
    this.#waiting.set(userId, {
      items: [...items, item].slice(-MAX_WAITING),
      until: this.#now() + KEEP_MS,
    });
  }

  /** What waits for this person (and forgets it). */
  takeWaiting(userId: string): Waiting[] {
    const entry = this.#waiting.get(userId);
    this.#waiting.delete(userId);
    return entry && entry.until > this.#now() ? entry.items : [];
  }

  async #say(userId: string, text: string): Promise<void> {
    await this.#chat.sendHtml(userId, escapeHtml(text));
  }
}
