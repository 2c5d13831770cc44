// Reads Bot API parameters the way Telegram does (JSON, form fields, query strings) and builds its errors.
// It never invents a value: a missing required parameter is a 400, as on the real server.

import type { FakeChat, TelegramState } from "./state.ts";

/** A Bot API failure: the HTTP status equals error_code, as on the real server. */
export class ApiError extends Error {
  readonly code: number;
  readonly description: string;
  readonly parameters: Record<string, unknown> | undefined;

  constructor(code: number, description: string, parameters?: Record<string, unknown>) {
    super(description);
    this.code = code;
    this.description = description;
    this.parameters = parameters;
  }
}

export function badRequest(description: string): ApiError {
  return new ApiError(400, `Bad Request: ${description}`);
}

export function forbidden(description: string): ApiError {
  return new ApiError(403, `Forbidden: ${description}`);
}

export function tooManyRequests(retryAfter: number): ApiError {
  return new ApiError(429, `Too Many Requests: retry after ${retryAfter}`, {
    retry_after: retryAfter,
  });
}

/** A file part of a multipart upload, referenced from a parameter as attach://<name>. */
export interface Upload {
  fileName: string;
  content: Buffer;
}

/** The parameters of one call, whatever encoding the bot used. */
export class Params {
  readonly values: Record<string, unknown>;
  readonly uploads: Map<string, Upload>;

  constructor(values: Record<string, unknown>, uploads = new Map<string, Upload>()) {
    this.values = values;
    this.uploads = uploads;
  }

  has(name: string): boolean {
    return this.values[name] !== undefined && this.values[name] !== null;
  }

  string(name: string): string | undefined {
    const value = this.values[name];
    if (value === undefined || value === null) return undefined;
    return typeof value === "string" ? value : String(value);
  }

  int(name: string): number | undefined {
    const value = this.string(name);
    if (value === undefined || value === "") return undefined;
    const number = Number(value);
    return Number.isInteger(number) ? number : undefined;
  }

  bool(name: string): boolean {
    const value = this.values[name];
    return value === true || value === "true" || value === "1";
  }

  /** An object or array parameter, sent as JSON or as a JSON-encoded form field. */
  json(name: string, what = name): unknown {
    const value = this.values[name];
    if (typeof value !== "string") return value ?? undefined;
    try {
      return JSON.parse(value);
    } catch {
      throw badRequest(`can't parse ${what} JSON object`);
    }
  }

  object(name: string, what = name): Record<string, unknown> | undefined {
    const value = this.json(name, what);
    if (value === undefined) return undefined;
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      throw badRequest(`can't parse ${what} JSON object`);
    }
    return value as Record<string, unknown>;
  }

  requiredInt(name: string, label: string): number {
    const value = this.int(name);
    if (value === undefined || value === 0) throw badRequest(`${label} is not specified`);
    return value;
  }

  /** The chat named by chat_id: a numeric id or a public group's @username. */
  chat(state: TelegramState): FakeChat {
    const raw = this.string("chat_id");
    if (raw === undefined || raw === "") throw badRequest("chat_id is empty");
    const chat = raw.startsWith("@") ? state.chatByUsername(raw) : state.chat(Number(raw));
    if (chat === undefined) throw badRequest("chat not found");
    return chat;
  }
}
