// The fake Discord's HTTP API under /api/v10: parses what discord.js sends, records it, injects failures, routes it.
// It must never answer an unknown route with success: those get 404 and land in `state.unhandled`.

import type { IncomingMessage, ServerResponse } from "node:http";
import { serveBytes } from "../../support/byte-range.ts";
import {
  type Dispatcher,
  fail,
  type Params,
  type RestRequest,
  type RestResponse,
  type Route,
} from "./http.ts";
import { resourceRoutes } from "./routes.ts";
import { type FakeState, nowIso } from "./state.ts";
import type { RecordedAttachment } from "./types.ts";
import { interactionRoutes } from "./webhooks.ts";

/** An injected failure: the next `times` requests matching `method` and `path` get this status. */
export interface FailureRule {
  method?: string;
  /** Matched against the path after /api/v10, e.g. `/channels/123/messages`. */
  path: RegExp;
  status: 400 | 403 | 404 | 429 | 500 | 502 | 503;
  /** 429 only (default 1): sent as `retry-after`, `x-ratelimit-reset-after` and `retry_after`. */
  retryAfterSeconds?: number;
  /** 429 only: a global rate limit (`x-ratelimit-global`). */
  global?: boolean;
  /** Discord's JSON error code for 4xx (default 50013 Missing Permissions for 403). */
  code?: number;
  message?: string;
  /** How many matching requests fail (default 1). */
  times?: number;
  /** The request is carried out and only its answer fails: a response lost on the way back. */
  afterHandling?: boolean;
}

const apiPrefix = /^\/api\/v10(?=\/)/;
const noParams: Params = { id: "", app: "", token: "", msg: "", user: "" };

export class FakeRest {
  readonly failures: Array<FailureRule & { remaining: number }> = [];
  readonly #state: FakeState;
  readonly #token: string | undefined;
  readonly #routes: Route[];

  constructor(state: FakeState, gateway: Dispatcher, token: string | undefined) {
    this.#state = state;
    this.#token = token;
    this.#routes = [...resourceRoutes(state, gateway), ...interactionRoutes(state, gateway)];
  }

  /** The node:http request listener. */
  readonly handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://fake.invalid");
    const method = (req.method ?? "GET").toUpperCase();
    // The CDN: /cdn/attachments/<folder>/<id>/<filename> serves a file's bytes, as Discord's CDN does.
    const cdn = /^\/cdn\/attachments\/[^/]+\/(\d+)\/[^/]+$/.exec(url.pathname);
    if (cdn) {
      const file = method === "GET" ? this.#state.attachment(cdn[1] as string) : undefined;
      if (!file) {
        res.writeHead(404, { "content-type": "text/plain" });
        res.end("not found");
        return;
      }
      const bytes = serveBytes(req, res, Buffer.from(file.text), file.contentType);
      this.#state.downloads.push({
        file: file.id,
        bytes,
        ...(req.headers.range ? { range: req.headers.range } : {}),
      });
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const { body, files, text } = await parseBody(
      Buffer.concat(chunks),
      req.headers["content-type"] ?? "",
    );
    this.#state.texts.push(`${method} ${url.pathname}${url.search}${text ? `\n${text}` : ""}`);
    // discord.js URL-encodes `@original` as `%40original`.
    const fullPath = decodeURIComponent(url.pathname);
    const path = fullPath.replace(apiPrefix, "");
    const request: RestRequest = { method, path, query: url.searchParams, body, files };
    let response: RestResponse;
    try {
      response = this.#respond(request, apiPrefix.test(fullPath), req.headers.authorization);
    } catch (error) {
      response = fail(500, 0, `fake discord crashed: ${(error as Error).stack}`);
    }
    this.#state.requests.push({ method, path, status: response.status, at: nowIso() });
    const hasBody = response.body !== undefined;
    res.writeHead(response.status, {
      ...(hasBody ? { "content-type": "application/json" } : {}),
      ...response.headers,
    });
    res.end(hasBody ? JSON.stringify(response.body) : undefined);
  };

  #respond(req: RestRequest, versioned: boolean, authorization: string | undefined): RestResponse {
    const failure = this.#takeFailure(req);
    if (failure && !failure.afterHandling) return failureResponse(failure);
    const response = this.#route(req, versioned, authorization);
    return failure ? failureResponse(failure) : response;
  }

  #route(req: RestRequest, versioned: boolean, authorization: string | undefined): RestResponse {
    // Interaction callbacks and webhooks are authorised by their token in the path, not by the bot token.
    const tokenInPath = /^\/(interactions|webhooks)\//.test(req.path);
    if (this.#token !== undefined && !tokenInPath && authorization !== `Bot ${this.#token}`) {
      return fail(401, 0, "401: Unauthorized");
    }
    for (const candidate of versioned ? this.#routes : []) {
      const match = candidate.method === req.method ? candidate.pattern.exec(req.path) : null;
      if (match) return candidate.handle(req, { ...noParams, ...match.groups });
    }
    this.#state.unhandled.push({ method: req.method, path: req.path, body: req.body });
    return fail(404, 0, "404: Not Found");
  }

  #takeFailure(req: RestRequest): FailureRule | undefined {
    const rule = this.failures.find(
      (f) =>
        f.remaining > 0 &&
        (!f.method || f.method.toUpperCase() === req.method) &&
        f.path.test(req.path),
    );
    if (rule) rule.remaining -= 1;
    return rule;
  }
}

function failureResponse(rule: FailureRule): RestResponse {
  if (rule.status === 429) return rateLimited(rule.retryAfterSeconds ?? 1, rule.global ?? false);
  if (rule.status >= 500) return fail(rule.status, 0, rule.message ?? "Internal Server Error");
  const code = rule.code ?? (rule.status === 403 ? 50013 : 0);
  const message = rule.message ?? (rule.status === 403 ? "Missing Permissions" : "Error");
  return fail(rule.status, code, message);
}

/** A 429 as Discord sends it; @discordjs/rest reads the headers (seconds) and waits before retrying. */
function rateLimited(seconds: number, global: boolean): RestResponse {
  return {
    status: 429,
    body: { message: "You are being rate limited.", retry_after: seconds, global },
    headers: {
      "retry-after": String(seconds),
      "x-ratelimit-limit": "5",
      "x-ratelimit-remaining": "0",
      "x-ratelimit-reset": String(Date.now() / 1000 + seconds),
      "x-ratelimit-reset-after": String(seconds),
      "x-ratelimit-scope": global ? "global" : "user",
      ...(global ? { "x-ratelimit-global": "true" } : {}),
    },
  };
}

/** JSON, or multipart with `payload_json` and `files[n]` (read as UTF-8 text for the secret search). */
async function parseBody(
  raw: Buffer,
  contentType: string,
): Promise<{ body: unknown; files: RecordedAttachment[]; text: string }> {
  if (raw.length === 0) return { body: undefined, files: [], text: "" };
  const text = raw.toString("utf8");
  if (!contentType.startsWith("multipart/form-data")) {
    try {
      return { body: JSON.parse(text), files: [], text };
    } catch {
      return { body: text, files: [], text };
    }
  }
  const form = await new Response(raw, { headers: { "content-type": contentType } }).formData();
  const files: RecordedAttachment[] = [];
  const texts: string[] = [];
  let body: unknown;
  for (const [key, value] of form.entries()) {
    if (typeof value === "string") {
      texts.push(value);
      if (key === "payload_json") body = JSON.parse(value);
      continue;
    }
    const content = await value.text();
    texts.push(content);
    files.push({
      id: String(files.length),
      filename: value.name,
      contentType: value.type,
      size: value.size,
      text: content,
    });
  }
  return { body, files, text: texts.join("\n") };
}
