// What a failed Bot API call means for clawshake, read from grammY's errors, and how to log one safely.
// A GrammyError carries the request payload (the text sent, possibly a token): it is never logged or rethrown as text.

import { GrammyError, HttpError } from "grammy";

/** The DM could not be delivered: never started or blocked the bot (403), or no such chat (400). */
export function undeliverable(error: unknown): "closed" | "unknownUser" | undefined {
  if (!(error instanceof GrammyError)) return undefined;
  if (error.error_code === 403) return "closed";
  if (error.error_code === 400 && /chat not found|user not found/i.test(error.description))
    return "unknownUser";
  return undefined;
}

/** Telegram refuses an edit that changes nothing; for clawshake that is success. */
export function notModified(error: unknown): boolean {
  return (
    error instanceof GrammyError &&
    error.error_code === 400 &&
    /message is not modified/i.test(error.description)
  );
}

/** The message to edit or delete is gone (deleted by someone, or too old): retrying cannot help. */
export function messageGone(error: unknown): boolean {
  return (
    error instanceof GrammyError &&
    error.error_code === 400 &&
    /message to (edit|delete) not found|message can't be (edited|deleted)/i.test(error.description)
  );
}

/** Fields for a log line: the method, Telegram's code and description, never the payload. */
export function errorFields(error: unknown): Record<string, string | number> {
  if (error instanceof GrammyError)
    return { method: error.method, code: error.error_code, description: error.description };
  if (error instanceof HttpError) return { http: error.message.split("\n")[0] ?? "HttpError" };
  if (error instanceof Error) return { error: error.message.split("\n")[0] ?? error.name };
  return { error: String(error) };
}
