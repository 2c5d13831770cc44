// Dispatches a Bot API call to its handler, and holds the handlers about the bot, chats, members,
// commands, webhooks and files. It never answers an unknown method with success.

import {
  answerCallbackQuery,
  deleteMessage,
  deleteMessages,
  editMessageReplyMarkup,
  editMessageText,
  sendDocument,
  sendMessage,
} from "./messages.ts";
import { ApiError, badRequest, type Params } from "./params.ts";
import type { RecordedCommands, TelegramState } from "./state.ts";

type Handler = (state: TelegramState, params: Params) => unknown;

function getMe(state: TelegramState): unknown {
  return {
    ...state.bot,
    can_join_groups: true,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
    can_connect_to_business: false,
    has_main_web_app: false,
  };
}

function deleteWebhook(state: TelegramState, params: Params): unknown {
  state.webhookUrl = "";
  if (params.bool("drop_pending_updates")) state.dropPendingUpdates();
  return true;
}

function setWebhook(state: TelegramState, params: Params): unknown {
  state.webhooks.push({ ...params.values });
  state.webhookUrl = params.string("url") ?? "";
  if (params.bool("drop_pending_updates")) state.dropPendingUpdates();
  return true;
}

function getWebhookInfo(state: TelegramState): unknown {
  return {
    url: state.webhookUrl,
    has_custom_certificate: false,
    pending_update_count: state.pendingUpdates().length,
  };
}

function commandsKey(scope: Record<string, unknown>, languageCode: string): string {
  return `${JSON.stringify(scope)}|${languageCode}`;
}

function commandsCall(params: Params, method: RecordedCommands["method"]): RecordedCommands {
  const scope = params.object("scope", "BotCommandScope") ?? { type: "default" };
  const language_code = params.string("language_code") ?? "";
  if (language_code !== "" && !/^[a-z]{2}$/.test(language_code)) {
    throw badRequest("invalid language code specified");
  }
  return { method, commands: [], scope, language_code };
}

function setMyCommands(state: TelegramState, params: Params): unknown {
  const call = commandsCall(params, "setMyCommands");
  const commands = params.json("commands", "BotCommand array") ?? [];
  if (!Array.isArray(commands)) throw badRequest('field "commands" must be an Array');
  if (commands.length > 100) throw badRequest("too many commands specified");
  for (const entry of commands as Array<Record<string, unknown>>) {
    const command = String(entry.command ?? "");
    const description = String(entry.description ?? "");
    if (!/^[a-z0-9_]{1,32}$/.test(command)) throw badRequest("BOT_COMMAND_INVALID");
    if (description.trim() === "") throw badRequest("command description must be non-empty");
    if (description.length > 256) throw badRequest("command description is too long");
    call.commands.push({ command, description });
  }
  state.currentCommands.set(commandsKey(call.scope, call.language_code), call.commands);
  state.commands.push(call);
  state.changed();
  return true;
}

function deleteMyCommands(state: TelegramState, params: Params): unknown {
  const call = commandsCall(params, "deleteMyCommands");
  state.currentCommands.delete(commandsKey(call.scope, call.language_code));
  state.commands.push(call);
  state.changed();
  return true;
}

function getMyCommands(state: TelegramState, params: Params): unknown {
  const call = commandsCall(params, "setMyCommands");
  return state.currentCommands.get(commandsKey(call.scope, call.language_code)) ?? [];
}

function chatMember(state: TelegramState, chatId: number, userId: number): unknown {
  const user = userId === state.bot.id ? state.bot : state.person(userId)?.user;
  if (user === undefined) throw badRequest("user not found");
  const status = state.memberStatus(chatId, userId);
  if (status === "creator") return { status, user, is_anonymous: false };
  if (status !== "administrator") return { status, user };
  return {
    status,
    user,
    can_be_edited: false,
    is_anonymous: false,
    can_manage_chat: true,
    can_delete_messages: true,
    can_manage_video_chats: true,
    can_restrict_members: true,
    can_promote_members: false,
    can_change_info: true,
    can_invite_users: true,
    can_post_stories: false,
    can_edit_stories: false,
    can_delete_stories: false,
    can_pin_messages: true,
    can_send_welcome_messages: false,
  };
}

function getChatMember(state: TelegramState, params: Params): unknown {
  const chat = params.chat(state);
  const userId = params.int("user_id");
  if (userId === undefined) throw badRequest("Invalid user_id specified");
  return chatMember(state, chat.id, userId);
}

function getChatAdministrators(state: TelegramState, params: Params): unknown {
  const chat = params.chat(state);
  const group = state.groups.get(chat.id);
  if (group === undefined) throw badRequest("there are no administrators in the private chat");
  const ids = [...(group.creator === undefined ? [] : [group.creator]), ...group.admins];
  return ids.map((id) => chatMember(state, chat.id, id));
}

function getChatMemberCount(state: TelegramState, params: Params): unknown {
  const chat = params.chat(state);
  const group = state.groups.get(chat.id);
  if (group === undefined) return 2;
  return new Set([...group.members, ...group.admins, ...(group.creator ? [group.creator] : [])])
    .size;
}

function getChat(state: TelegramState, params: Params): unknown {
  const chat = params.chat(state);
  return { ...chat, accent_color_id: 0, max_reaction_count: 11 };
}

function getFile(state: TelegramState, params: Params): unknown {
  const file = state.files.get(params.string("file_id") ?? "");
  if (file === undefined) throw badRequest("invalid file_id");
  return {
    file_id: file.file_id,
    file_unique_id: file.file_unique_id,
    file_size: file.content.length,
    file_path: file.file_path,
  };
}

const HANDLERS: Record<string, Handler> = {
  getMe,
  deleteWebhook,
  setWebhook,
  getWebhookInfo,
  sendMessage,
  sendDocument,
  editMessageText,
  editMessageReplyMarkup,
  deleteMessage,
  deleteMessages,
  answerCallbackQuery,
  setMyCommands,
  deleteMyCommands,
  getMyCommands,
  getChatMember,
  getChatAdministrators,
  getChatMemberCount,
  getChat,
  getFile,
  close: () => true,
  logOut: () => true,
};

// Telegram matches method names without regard to case (sendmessage works too).
const BY_LOWER_NAME = new Map(
  Object.entries(HANDLERS).map(([name, fn]) => [name.toLowerCase(), fn]),
);

/**
 * Runs one Bot API method (all but getUpdates, whose waiting lives in the server) and returns
 * its `result`; a refusal is thrown as ApiError. Unknown methods are recorded and get a 404.
 */
export function callMethod(state: TelegramState, method: string, params: Params): unknown {
  const handler = BY_LOWER_NAME.get(method.toLowerCase());
  if (handler === undefined) {
    state.unhandled.push({ method, params: params.values });
    throw new ApiError(404, "Not Found: method not found");
  }
  return handler(state, params);
}
