// The fake Bot API's HTTP side: routes /bot<token>/<method> and /file/bot<token>/<path>, decodes JSON,
// form and multipart bodies, holds getUpdates long polls, and injects faults. It never listens beyond 127.0.0.1.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { serveBytes } from "../../support/byte-range.ts";
import { callMethod } from "./methods.ts";
import { ApiError, Params, tooManyRequests, type Upload } from "./params.ts";
import type { TelegramState } from "./state.ts";

/** A failure the next calls of one method get instead of their real answer. */
export interface Fault {
  method: string;
  status: 429 | 500 | 403 | 400;
  retryAfter?: number;
  description?: string;
  times?: number;
}

const LONG_POLL_MAX_TIMEOUT = 50;

const DEFAULT_DESCRIPTIONS: Record<Fault["status"], string> = {
  400: "Bad Request: fault injected by the test",
  403: "Forbidden: bot was blocked by the user",
  429: "",
  500: "Internal Server Error: fault injected by the test",
};

interface Poll {
  finish(result: { updates: unknown[] } | { error: ApiError }): void;
}

export class TelegramServer {
  private readonly state: TelegramState;
  private readonly token: string;
  private readonly http: Server;
  private readonly faults: Array<Fault & { left: number }> = [];
  private readonly polls = new Set<Poll>();

  constructor(state: TelegramState, token: string) {
    this.state = state;
    this.token = token;
    this.http = createServer((req, res) => {
      this.route(req, res).catch((error: unknown) => {
        reply(res, 500, {
          ok: false,
          error_code: 500,
          description: `Internal Server Error: ${error}`,
        });
      });
    });
  }

  /** Listens on a free port of 127.0.0.1 and returns the apiRoot for grammY. */
  async start(): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.http.once("error", reject);
      this.http.listen(0, "127.0.0.1", () => resolve());
    });
    const { port } = this.http.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  /** How many getUpdates calls are being held right now. */
  get waitingPolls(): number {
    return this.polls.size;
  }

  /** Answers every pending long poll with no updates, then closes every connection. */
  async stop(): Promise<void> {
    if (!this.http.listening) return;
    for (const poll of [...this.polls]) poll.finish({ updates: [] });
    await new Promise<void>((resolve) => {
      this.http.close(() => resolve());
      this.http.closeAllConnections();
    });
  }

  failNext(fault: Fault): void {
    this.faults.push({ ...fault, left: fault.times ?? 1 });
  }

  private takeFault(method: string): ApiError | undefined {
    const fault = this.faults.find((f) => f.method.toLowerCase() === method.toLowerCase());
    if (fault === undefined) return undefined;
    fault.left -= 1;
    if (fault.left <= 0) this.faults.splice(this.faults.indexOf(fault), 1);
    if (fault.status === 429) {
      const error = tooManyRequests(fault.retryAfter ?? 1);
      return fault.description === undefined
        ? error
        : new ApiError(429, fault.description, error.parameters);
    }
    return new ApiError(fault.status, fault.description ?? DEFAULT_DESCRIPTIONS[fault.status]);
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const body = await readBody(req);
    const file = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
    if (file !== null)
      return this.serveFile(req, res, file[1] ?? "", decodeURIComponent(file[2] ?? ""));
    const call = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    if (call === null)
      return reply(res, 404, { ok: false, error_code: 404, description: "Not Found" });
    if (call[1] !== this.token) {
      return reply(res, 401, { ok: false, error_code: 401, description: "Unauthorized" });
    }
    const method = call[2] ?? "";
    this.state.bodies.push(`${method} ${url.search} ${body.toString("utf8")}`);
    let params: Params;
    try {
      params = decodeParams(url, req.headers["content-type"] ?? "", body);
    } catch (error) {
      return this.answer(res, method, { error: asApiError(error) });
    }
    const fault = this.takeFault(method);
    if (fault !== undefined) return this.answer(res, method, { error: fault });
    if (method.toLowerCase() === "getupdates") return this.getUpdates(res, params);
    try {
      this.answer(res, method, { result: callMethod(this.state, method, params) });
    } catch (error) {
      this.answer(res, method, { error: asApiError(error) });
    }
  }

  private answer(
    res: ServerResponse,
    method: string,
    outcome: { result: unknown } | { error: ApiError },
  ): void {
    if ("result" in outcome) {
      this.state.requests.push({ method, status: 200 });
      reply(res, 200, { ok: true, result: outcome.result });
      return;
    }
    const { code, description, parameters } = outcome.error;
    this.state.requests.push({ method, status: code, description });
    const json: Record<string, unknown> = { ok: false, error_code: code, description };
    if (parameters !== undefined) json.parameters = parameters;
    reply(res, code, json);
  }

  /** Long polling: answers at once when updates wait, else when one arrives or `timeout` ends. */
  private getUpdates(res: ServerResponse, params: Params): void {
    if (this.state.webhookUrl !== "") {
      const error = new ApiError(
        409,
        "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
      );
      this.answer(res, "getUpdates", { error });
      return;
    }
    // A newer getUpdates ends the one still waiting, as on Telegram (two bots on one token).
    const conflict = new ApiError(
      409,
      "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
    );
    for (const poll of [...this.polls]) poll.finish({ error: conflict });

    const offset = params.int("offset");
    const limit = Math.min(100, Math.max(1, params.int("limit") ?? 100));
    const timeout = Math.min(LONG_POLL_MAX_TIMEOUT, Math.max(0, params.int("timeout") ?? 0));
    const allowed = params.json("allowed_updates", "allowed updates");
    const allowedUpdates = Array.isArray(allowed) ? allowed.map(String) : undefined;

    const first = this.state.takeUpdates(offset, limit, allowedUpdates);
    if (first.length > 0 || timeout === 0) {
      this.answer(res, "getUpdates", { result: first });
      return;
    }
    let done = false;
    let clientGone = false;
    const poll: Poll = {
      finish: (result) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        unsubscribe();
        this.polls.delete(poll);
        if (!clientGone) {
          this.answer(res, "getUpdates", "error" in result ? result : { result: result.updates });
        }
      },
    };
    const timer = setTimeout(() => poll.finish({ updates: [] }), timeout * 1000);
    const unsubscribe = this.state.onChange(() => {
      if (done || this.state.pendingUpdates().length === 0) return;
      const updates = this.state.takeUpdates(offset, limit, undefined);
      if (updates.length > 0) poll.finish({ updates });
    });
    // grammY aborts its pending poll on bot.stop(): the socket is gone, so nothing is written.
    res.on("close", () => {
      clientGone = true;
      poll.finish({ updates: [] });
    });
    this.polls.add(poll);
  }

  private serveFile(req: IncomingMessage, res: ServerResponse, token: string, path: string): void {
    const file = [...this.state.files.values()].find((f) => f.file_path === path);
    if (token !== this.token || file === undefined) {
      reply(res, 404, { ok: false, error_code: 404, description: "Not Found" });
      return;
    }
    const bytes = serveBytes(req, res, file.content, file.mime_type);
    this.state.downloads.push({
      file: file.file_path,
      bytes,
      ...(req.headers.range ? { range: req.headers.range } : {}),
    });
  }
}

function reply(res: ServerResponse, status: number, json: unknown): void {
  const body = JSON.stringify(json);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(body),
  });
  res.end(body);
}

function asApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  // A crash inside the fake is a bug in the fake: say so loudly rather than pass it off as Telegram.
  return new ApiError(500, `Internal Server Error: fake Telegram crashed: ${String(error)}`);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Query string, then the body (JSON, urlencoded or multipart), as Telegram accepts them all. */
function decodeParams(url: URL, contentType: string, body: Buffer): Params {
  const values: Record<string, unknown> = Object.fromEntries(url.searchParams);
  const uploads = new Map<string, Upload>();
  const type = contentType.split(";")[0]?.trim().toLowerCase();
  if (body.length === 0) return new Params(values, uploads);
  if (type === "application/json") {
    let json: unknown;
    try {
      json = JSON.parse(body.toString("utf8"));
    } catch {
      throw new ApiError(400, "Bad Request: can't parse JSON object");
    }
    if (typeof json !== "object" || json === null || Array.isArray(json)) {
      throw new ApiError(400, "Bad Request: JSON object expected");
    }
    Object.assign(values, json);
  } else if (type === "application/x-www-form-urlencoded") {
    Object.assign(values, Object.fromEntries(new URLSearchParams(body.toString("utf8"))));
  } else if (type === "multipart/form-data") {
    const boundary = /boundary=("?)([^";]+)\1/i.exec(contentType)?.[2];
    if (boundary === undefined) throw new ApiError(400, "Bad Request: multipart boundary missing");
    for (const part of multipartParts(body, boundary)) {
      if (part.fileName === undefined) values[part.name] = part.content.toString("utf8");
      else uploads.set(part.name, { fileName: part.fileName, content: part.content });
    }
  }
  return new Params(values, uploads);
}

/**
 * A small multipart/form-data reader. grammY writes `filename=` without quotes (spaces kept),
 * which stricter parsers such as undici's cut at the first space; Telegram takes the whole line.
 */
function multipartParts(
  body: Buffer,
  boundary: string,
): Array<{ name: string; fileName?: string; content: Buffer }> {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: Array<{ name: string; fileName?: string; content: Buffer }> = [];
  let start = body.indexOf(delimiter);
  while (start !== -1) {
    const from = start + delimiter.length;
    if (body.subarray(from, from + 2).toString() === "--") break;
    const next = body.indexOf(delimiter, from);
    if (next === -1) break;
    const part = body.subarray(from + 2, next - 2); // drop the CRLF after the delimiter and before the next
    const headerEnd = part.indexOf("\r\n\r\n");
    const headers = part.subarray(0, headerEnd).toString("utf8");
    const name = /[;\s]name="([^"]*)"/i.exec(headers)?.[1] ?? "";
    const fileName = /filename=(?:"([^"]*)"|([^\r\n;]*))/i.exec(headers);
    const content = Buffer.from(part.subarray(headerEnd + 4));
    parts.push(
      fileName === null
        ? { name, content }
        : { name, fileName: (fileName[1] ?? fileName[2] ?? "").trim(), content },
    );
    start = next;
  }
  return parts;
}
