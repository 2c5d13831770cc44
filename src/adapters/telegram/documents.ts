// Downloads a node log someone sent to the bot as a file (getFile, then the end of the file at the Bot API's URL).
// The file URL contains the bot token: it is never logged or shown; errors are reported by status only.

import type { Document } from "grammy/types";
import type { NodeLog } from "../../core/log-tail.ts";
import { downloadLog, MAX_DOWNLOAD_BYTES } from "../download.ts";
import { errorFields } from "./errors.ts";
import type { TelegramChat } from "./telegram.ts";

const DEFAULT_API_ROOT = "https://api.telegram.org";

export type ReadLog =
  | { ok: true; log: NodeLog }
  | { ok: false; reason: "tooLarge"; maxMb: number }
  | { ok: false; reason: "unreadable" };

/** The end of a sent log file (MAX_LOG_BYTES, see `downloadLog`); a file larger than bots may download is refused. */
export async function readLog(chat: TelegramChat, document: Document): Promise<ReadLog> {
  const tooLarge = {
    ok: false,
    reason: "tooLarge",
    maxMb: MAX_DOWNLOAD_BYTES / (1024 * 1024),
  } as const;
  if ((document.file_size ?? 0) > MAX_DOWNLOAD_BYTES) return tooLarge;
  try {
    const file = await chat.bot.api.getFile(document.file_id);
    if (!file.file_path) return { ok: false, reason: "unreadable" };
    const root = chat.options.apiRoot ?? DEFAULT_API_ROOT;
    const read = await downloadLog(`${root}/file/bot${chat.options.token}/${file.file_path}`, {
      signal: AbortSignal.timeout(20_000),
    });
    if (read.ok) return { ok: true, log: read.log };
    if (read.reason === "tooLarge") return tooLarge;
    chat.log.warn({ platform: "telegram", status: read.status }, "could not download a log file");
    return { ok: false, reason: "unreadable" };
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
