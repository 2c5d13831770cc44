// What happens when a person writes: the Message Telegram builds, and whether the bot gets to see it.
// It refuses test set-ups that cannot happen on Telegram (writing to a group one is not in).

import type { User } from "grammy/types";
import type { FakeChat, TelegramState } from "./state.ts";

/** The fake's record of a person; a person the test never added is a mistake in the test. */
export function knownPerson(state: TelegramState, user: User) {
  const person = state.person(user.id);
  if (person === undefined) throw new Error(`FakeTelegram: unknown user ${user.id}; addUser first`);
  return person;
}

/**
 * Stores a person's message and queues it for the bot when the bot may see it. Returns the
 * Message and its update_id (0 when privacy mode or allowed_updates keep it from the bot).
 */
export function deliverPersonMessage(
  state: TelegramState,
  privacyMode: boolean,
  options: {
    from: User;
    chat: FakeChat | undefined;
    extra: Record<string, unknown>;
    replyTo: { message_id: number } | undefined;
  },
): { updateId: number; message: Record<string, unknown> } {
  const { from, extra, replyTo } = options;
  const person = knownPerson(state, from);
  const chat = options.chat ?? state.privateChatOf(from);
  if (chat.type === "private") {
    if (chat.id !== from.id) throw new Error("FakeTelegram: a private chat belongs to its user");
    // Telegram shows only a Start button until a person pressed it, so whoever writes has started.
    person.startedBot = true;
  } else if (state.memberStatus(chat.id, from.id) === "left") {
    throw new Error(`FakeTelegram: ${from.first_name} is not a member of ${chat.title}`);
  }
  const message_id = state.nextMessageId(chat.id);
  const message: Record<string, unknown> = {
    message_id,
    from,
    chat,
    date: Math.floor(Date.now() / 1000),
    ...extra,
  };
  const original = replyTo && state.findMessage(chat.id, replyTo.message_id);
  if (replyTo !== undefined && original === undefined) {
    throw new Error(`FakeTelegram: no message ${replyTo.message_id} to reply to`);
  }
  if (original !== undefined) message.reply_to_message = state.messageJson(original);
  const text = String(extra.text ?? extra.caption ?? "");
  state.storeMessage(chat.id, message_id, { kind: "person", json: message, text, deleted: false });
  const visible =
    chat.type === "private" ||
    groupBotSees(state, privacyMode, chat, text, original?.kind === "bot");
  return { updateId: visible ? state.enqueue({ message }) : 0, message };
}

/** Privacy mode: a bot that is no admin gets commands, replies to it and mentions of it only. */
function groupBotSees(
  state: TelegramState,
  privacyMode: boolean,
  chat: FakeChat,
  text: string,
  repliesToBot: boolean,
): boolean {
  const botStatus = state.memberStatus(chat.id, state.bot.id);
  if (botStatus === "left") return false;
  if (!privacyMode || botStatus === "administrator" || botStatus === "creator") return true;
  const username = (state.bot.username ?? "").toLowerCase();
  const command = /^\/[A-Za-z0-9_]+(?:@([A-Za-z0-9_]+))?/.exec(text);
  if (command !== null) return command[1] === undefined || command[1].toLowerCase() === username;
  return repliesToBot || text.toLowerCase().includes(`@${username}`);
}

/** A readable account of what the bot did so far, for failure messages. */
export function describeState(state: TelegramState): string {
  const lines = ["messages the bot sent:"];
  for (const m of state.messages) {
    const edited = m.edits.length > 0 ? ` (edited ${m.edits.length}x)` : "";
    const deleted = m.deleted ? " (deleted)" : "";
    lines.push(
      `  [${m.chatType} ${m.chatId} #${m.message_id}]${edited}${deleted} ${JSON.stringify(m.text)}`,
    );
  }
  lines.push(`callback answers: ${JSON.stringify(state.callbackAnswers)}`);
  lines.push(`updates not yet confirmed by the bot: ${state.pendingUpdates().length}`);
  lines.push(`unknown methods called: ${state.unhandled.map((u) => u.method).join(", ")}`);
  const last = state.requests.slice(-15);
  lines.push(
    "last calls:",
    ...last.map((r) => `  ${r.method} -> ${r.status} ${r.description ?? ""}`),
  );
  return lines.join("\n");
}
