// Downloads a node log someone sent to the bot as a file (getFile, then the Bot API's file URL).
// The file URL contains the bot token: it is never logged or shown; errors are reported by status only.

import type { Document } from "grammy/types";
import { errorFields } from "./errors.ts";
import type { TelegramChat } from "./telegram.ts";

/** Logs worth reading are small; the Bot API serves files up to 20 MB, far more than a pasted log. */
const MAX_LOG_BYTES = 1024 * 1024;
const DEFAULT_API_ROOT = "https://api.telegram.org";

export type ReadLog =
  | { ok: true; text: string }
  | { ok: false; reason: "tooLarge"; maxKb: number }
  | { ok: false; reason: "unreadable" };

export async function readLog(chat: TelegramChat, document: Document): Promise<ReadLog> {
  const tooLarge = { ok: false, reason: "tooLarge", maxKb: MAX_LOG_BYTES / 1024 } as const;
  if ((document.file_size ?? 0) > MAX_LOG_BYTES) return tooLarge;
  try {
    const file = await chat.bot.api.getFile(document.file_id);
    if (!file.file_path) return { ok: false, reason: "unreadable" };
    const root = chat.options.apiRoot ?? DEFAULT_API_ROOT;
    const response = await fetch(`${root}/file/bot${chat.options.token}/${file.file_path}`, {
      signal: AbortSignal.timeout(20_000),
    });
    if (!response.ok) {
      chat.log.warn(
        { platform: "telegram", status: response.status },
        "could not download a log file",
      );
      return { ok: false, reason: "unreadable" };
    }
    const bytes = Buffer.from(await response.arrayBuffer());
    if (bytes.length > MAX_LOG_BYTES) return tooLarge;
    return { ok: true, text: bytes.toString("utf8") };
  } catch (error) {
    // A fetch error names the URL, and the URL holds the token: only its kind is logged.
    const fields =
      error instanceof Error && error.name !== "GrammyError"
        ? { error: error.name }
        : errorFields(error);
    chat.log.warn({ platform: "telegram", ...fields }, "could not download a log file");
    return { ok: false, reason: "unreadable" };
  }
}
