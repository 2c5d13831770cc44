// The terminal adapter: the team channel and every person's private messages in one terminal, buttons as numbers.
// It reads lines from any stream (no TTY needed, so tests drive it); it decides nothing, the flows do.

import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import { eventFor } from "../../core/actions.ts";
import { t } from "../../core/i18n/index.ts";
import { TailBuffer } from "../../core/log-tail.ts";
import type { Chat, DmOutcome, MessageRef, Responder } from "../../core/ports.ts";
import { Secret } from "../../core/secret.ts";
import type { Actor, ChannelRef, Lang, UserRef } from "../../core/types.ts";
import {
  type Checked,
  checkFingerprint,
  checkHost,
  checkPort,
  checkToken,
  splitNameAndReason,
} from "../../core/validate.ts";
import type { Action, CommandNames, FormField, FormView, MessageView } from "../../core/view.ts";
import type { Handshake } from "../../flows/handshake.ts";
import { renderView } from "./render.ts";

export interface ConsoleOptions {
  input: Readable;
  output: Writable;
  approvers: string[];
  gatewayOperators: string[];
  lang: Lang;
  /** Who types first. */
  startAs?: string;
  /** Lines for the person running the bot, shown at start (e.g. the bot's own device awaits approval). */
  notices?: string[];
}

/** Everything the console showed, split by where it was shown, so tests can check what the channel saw. */
export interface TranscriptLine {
  where: "channel" | "dm" | "reply" | "system";
  to?: string;
  text: string;
}

export const CHANNEL: ChannelRef = { platform: "console", id: "team" };

interface PendingForm {
  sessionId: string;
  form: FormView;
  values: Record<string, string>;
  /** A bare button number typed as the host once: typed again, it is taken as the host. */
  numberTyped?: string;
}

/** Leaves an open form; any other line starting with "/" leaves it too, before doing what it says. */
const CANCEL_FORM = "/cancel-form";

/** Each field is checked as it is typed, with the same rules the core applies to the whole form. */
const CHECKS: Record<FormField["name"], (raw: string) => Checked<unknown>> = {
  host: checkHost,
  port: checkPort,
  fingerprint: checkFingerprint,
  token: checkToken,
};

interface Press {
  sessionId: string;
  action: Action;
  /** The request an approval button was drawn for. */
  target?: string;
  via: "channel" | "dm";
}

export class ConsoleChat implements Chat {
  readonly platform = "console" as const;
  readonly commands: CommandNames = { connectNode: "/connect-node", diagnose: "/diagnose" };
  readonly transcript: TranscriptLine[] = [];
  readonly #options: ConsoleOptions;
  /** Button numbers as last shown: number → what pressing it does. */
  readonly #presses = new Map<number, Press>();
  #nextButton = 1;
  #nextMessage = 1;
  #user: string;
  /** The form being filled in, line by line, if any. */
  #form: PendingForm | undefined;
  #lang: Lang;
  #handshake: Handshake | undefined;
  #lines: AsyncIterator<string> | undefined;

  constructor(options: ConsoleOptions) {
    this.#options = options;
    this.#user = options.startAs ?? "bob";
    this.#lang = options.lang;
  }

  async postCard(_channel: ChannelRef, view: MessageView): Promise<MessageRef> {
    const ref: MessageRef = {
      platform: "console",
      chatId: "team",
      messageId: String(this.#nextMessage++),
    };
    this.#show(view, "channel");
    return ref;
  }

  async edit(ref: MessageRef, view: MessageView): Promise<void> {
    // Where a message was shown comes from its reference, so a restarted console edits private messages privately.
    const to = ref.chatId.startsWith("dm:") ? ref.chatId.slice(3) : undefined;
    this.#show(view, to ? "dm" : "channel", to, true);
  }

  async sendDm(user: UserRef, view: MessageView): Promise<DmOutcome> {
    const ref: MessageRef = {
      platform: "console",
      chatId: `dm:${user.id}`,
      messageId: String(this.#nextMessage++),
    };
    this.#show(view, "dm", user.id);
    return { ok: true, ref };
  }

  async approvers(_channel: ChannelRef): Promise<UserRef[]> {
    return this.#options.approvers.map((name) => ({ platform: "console", id: name, name }));
  }

  async gatewayOperators(_channel: ChannelRef): Promise<UserRef[]> {
    return this.#options.gatewayOperators.map((name) => ({ platform: "console", id: name, name }));
  }

  /** Reads commands until the input ends. Resolves when every line has been handled. */
  async run(handshake: Handshake): Promise<void> {
    this.#handshake = handshake;
    this.#lines = createInterface({
      input: this.#options.input,
      crlfDelay: Number.POSITIVE_INFINITY,
    })[Symbol.asyncIterator]();
    this.#system(`clawshake console. You are ${this.#user}. Type /help for commands.`);
    for (const notice of this.#options.notices ?? []) this.#system(notice);
    for (;;) {
      const line = await this.#read();
      if (line === undefined) return;
      await this.#handle(line);
    }
  }

  async #handle(raw: string): Promise<void> {
    const handshake = this.#handshake as Handshake;
    if (this.#form && !raw.startsWith("/")) return this.#fillForm(raw);
    if (this.#form) {
      this.#form = undefined;
      this.#system(t(this.#lang, "console.form.left"));
      if (raw.trim() === CANCEL_FORM) return;
    }
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const [command = "", ...rest] = line.split(/\s+/);
    const argument = line.slice(command.length).trim();
    if (/^\d+$/.test(command)) return this.#press(Number(command));
    // Typed text that is no command is a private message to the bot: a node log is diagnosed, anything else helped.
    if (!command.startsWith("/"))
      return handshake.privateMessage(this.#actor("dm"), line, this.#responder());
    switch (command) {
      case "/help":
        return this.#system(HELP);
      case "/as": {
        const [name, lang] = rest;
        if (!name || !/^[\w.-]{1,32}$/.test(name))
          return this.#system("usage: /as <name> [en|zh-CN]   e.g. /as alice");
        this.#user = name;
        if (lang === "en" || lang === "zh-CN") this.#lang = lang;
        return this.#system(`You are now ${name}${this.#roles()}.`);
      }
      case "/connect-node":
      case "/connect_node": {
        // The console reads one line: the reason follows the name after " -- ".
        const { name, reason, commands } = splitNameAndReason(argument);
        await handshake.open(
          {
            channel: CHANNEL,
            displayName: name,
            ...(reason ? { reason } : {}),
            ...(commands ? { commands } : {}),
            requester: this.#actor("channel"),
          },
          this.#responder(),
        );
        return;
      }
      case "/press":
        return this.#press(Number(rest[0]));
      // The terminal is read by whoever /as says: node ids and addresses only when that is an approver.
      case "/nodes":
        return handshake.nodes.list({
          actor: this.#actor("dm"),
          responder: this.#responder(),
          private: true,
        });
      // The confirmation comes as a private message, with its buttons; the answer here says so.
      case "/disconnect-node":
      case "/disconnect_node":
        return handshake.nodes.disconnect(
          { actor: this.#actor("channel"), responder: this.#responder(), private: false },
          argument,
        );
      case "/diagnose": {
        this.#system("Paste the node's log, then a line with a single “.” to finish.");
        // Kept to its end as it is typed: a paste of any length holds no more than the cap.
        const log = new TailBuffer();
        const encoder = new TextEncoder();
        for (
          let next = await this.#read();
          next !== undefined && next !== ".";
          next = await this.#read()
        )
          log.push(encoder.encode(`${next}\n`));
        await handshake.diagnose(this.#actor("dm"), log.finish(), this.#responder());
        return;
      }
      default:
        return this.#system(`Unknown command “${command}”. Type /help.`);
    }
  }

  async #press(n: number): Promise<void> {
    const press = this.#presses.get(n);
    if (!press)
      return this.#system(`There is no button [${n}]. Buttons are the numbers in brackets.`);
    const event = eventFor(press.action, this.#actor(press.via), press.target);
    await (this.#handshake as Handshake).dispatch(
      press.sessionId,
      event,
      this.#responder(press.sessionId),
    );
  }

  #responder(sessionId?: string): Responder {
    const user = this.#user;
    return {
      reply: async (view) =>
        this.#print(
          "reply",
          renderView(view, () => 0),
          user,
        ),
      // A terminal cannot edit what it printed: the outcome comes next, to the same person, with working buttons.
      update: async (view) => {
        this.#show(view, "reply", user);
        return true;
      },
      form: async (form) => {
        if (sessionId) this.#startForm(sessionId, form);
      },
    };
  }

  /** Starts a form: the next lines fill its fields one by one (Enter keeps a pre-filled value). */
  #startForm(sessionId: string, form: FormView): void {
    this.#form = { sessionId, form, values: {} };
    this.#print(
      "reply",
      `${form.title}\n${form.intro}\n${t(this.#lang, "console.form.open")}`,
      this.#user,
    );
    this.#prompt();
  }

  /** The question for the next field: what a right value looks like, and what Enter does. */
  #prompt(): void {
    const form = this.#form;
    if (!form) return;
    const index = Object.keys(form.values).length;
    const field = form.form.fields[index];
    if (!field) return;
    const tr = (key: Parameters<typeof t>[1], params?: Record<string, string>) =>
      t(this.#lang, key, params);
    const keep = field.value ? `. ${tr("console.form.keep", { value: field.value })}` : "";
    this.#print(
      "reply",
      `${index + 1}/${form.form.fields.length} ${field.label}${field.required ? "" : ` (${tr("console.form.optional")})`} · ${tr("console.form.leave")}\n  ${tr(`console.form.hint.${field.name}`)}${keep}:`,
      this.#user,
    );
  }

  /**
   * One line of the form in progress, checked at once: a wrong value is asked again with the fix; the last field
   * submits the form. The token is typed, never shown back.
   */
  async #fillForm(line: string): Promise<void> {
    const pending = this.#form;
    if (!pending) return;
    const field = pending.form.fields[Object.keys(pending.values).length];
    if (!field) return;
    const typed = line.trim();
    const value = typed === "" && field.value ? field.value : typed;
    // With buttons on the screen, a bare number is more likely a press than a host: not taken silently.
    if (
      field.name === "host" &&
      /^\d+$/.test(typed) &&
      this.#presses.has(Number(typed)) &&
      pending.numberTyped !== typed
    ) {
      pending.numberTyped = typed;
      return this.#print("reply", t(this.#lang, "console.form.button", { n: typed }), this.#user);
    }
    if (value !== "" || field.required) {
      const checked = CHECKS[field.name](value);
      if (!checked.ok) {
        const problem = t(this.#lang, checked.problem.key, checked.problem.params ?? {});
        this.#print("reply", `${problem}\n${t(this.#lang, "console.form.again")}`, this.#user);
        return this.#prompt();
      }
    }
    pending.values[field.name] = value;
    if (Object.keys(pending.values).length < pending.form.fields.length) return this.#prompt();
    this.#form = undefined;
    const { host = "", port = "", fingerprint = "", token = "" } = pending.values;
    const event = {
      type: "submitCredentials" as const,
      actor: this.#actor("dm"),
      host,
      port,
      fingerprint,
      token: new Secret(token),
    };
    await (this.#handshake as Handshake).dispatch(
      pending.sessionId,
      event,
      this.#responder(pending.sessionId),
    );
  }

  #actor(via: "channel" | "dm"): Actor {
    return {
      platform: "console",
      id: this.#user,
      name: this.#user,
      lang: this.#lang,
      isApprover: this.#options.approvers.includes(this.#user),
      isGatewayOperator: this.#options.gatewayOperators.includes(this.#user),
      via,
    };
  }

  #roles(): string {
    const roles = [
      this.#options.approvers.includes(this.#user) ? "approver" : "",
      this.#options.gatewayOperators.includes(this.#user) ? "gateway operator" : "",
    ].filter(Boolean);
    return roles.length ? ` (${roles.join(", ")})` : "";
  }

  #show(view: MessageView, where: "channel" | "dm" | "reply", to?: string, edited = false): void {
    const sessionId = view.sessionId;
    const via = where === "channel" ? "channel" : "dm";
    const text = renderView(view, (action, target) => {
      const n = this.#nextButton++;
      if (sessionId)
        this.#presses.set(n, { sessionId, action, via, ...(target ? { target } : {}) });
      return n;
    });
    this.#print(where, edited ? `(updated) ${text}` : text, to);
  }

  #system(text: string): void {
    this.#print("system", text);
  }

  #print(where: TranscriptLine["where"], text: string, to?: string): void {
    this.transcript.push({ where, text, ...(to ? { to } : {}) });
    const header =
      where === "channel"
        ? "── #team"
        : where === "dm"
          ? `── private to ${to}`
          : where === "reply"
            ? `── only ${to} sees this`
            : "──";
    this.#options.output.write(`${header}\n${text}\n`);
  }

  async #read(): Promise<string | undefined> {
    const next = await (this.#lines as AsyncIterator<string>).next();
    return next.done ? undefined : next.value;
  }
}

const HELP = `Commands:
  /connect-node <display name> [--commands <ids>] [-- <reason>]
                                 ask to connect a node (in the channel), saying why
  /as <name> [en|zh-CN]          become someone else (e.g. /as alice)
  <n> or /press <n>              press button [n]
  /diagnose                      paste a node log for diagnosis (end with a line ".")
  /nodes                         the gateway's nodes (ids and addresses for approvers)
  /disconnect-node <name>        remove a node from the gateway (approvers; asks to confirm)
  /cancel-form                   leave the gateway details form, sending nothing
  /help                          this list`;
