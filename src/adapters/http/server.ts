// The operations endpoint: /healthz (store, platforms, gateway) and /metrics (Prometheus). Off unless a port is set.
// Answers only what it is asked; it never shows a session's content, let alone a secret.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Metrics } from "./metrics.ts";

/** One named check: resolves to a short status, rejects (or returns false) when unhealthy. */
export type HealthCheck = () => Promise<string | boolean>;

/** An extra route (the Telegram webhook), by exact path. */
export type Route = (request: IncomingMessage, response: ServerResponse) => Promise<void>;

export async function startHttp(
  port: number,
  metrics: Metrics,
  checks: Record<string, HealthCheck>,
  routes: Record<string, Route> = {},
  host = "127.0.0.1",
): Promise<{ server: Server; port: number; close(): Promise<void> }> {
  const server = createServer((request, response) => {
    // The one guard for every route: whatever a request holds and whatever a handler throws, the request gets an
    // answer and the process stays up (a rejection here would be unhandled, and Node ends the process on those).
    answer(request, response, metrics, checks, routes).catch(() => {
      if (!response.headersSent) response.writeHead(500, { "content-type": "text/plain" });
      response.end();
    });
  });
  // Bytes the HTTP parser refuses (a malformed request line, a garbage or oversized header) never reach the handler;
  // Node answers those 400 or 431 and closes the connection by itself.
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  return {
    server,
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections(); // keep-alive clients would hold the close forever
      }),
  };
}

async function answer(
  request: IncomingMessage,
  response: ServerResponse,
  metrics: Metrics,
  checks: Record<string, HealthCheck>,
  routes: Record<string, Route>,
): Promise<void> {
  const path = pathOf(request.url);
  if (path === undefined) return plain(response, 400, "clawshake: that is not a request path\n");
  const route = routes[path];
  if (route) return route(request, response);
  if (path !== "/metrics" && path !== "/healthz")
    return plain(response, 404, "clawshake: try /healthz or /metrics\n");
  if (request.method !== "GET" && request.method !== "HEAD") {
    response.setHeader("allow", "GET, HEAD");
    return plain(response, 405, "clawshake: only GET and HEAD here\n");
  }
  if (path === "/metrics") {
    const text = await metrics.registry.metrics();
    response.writeHead(200, { "content-type": metrics.registry.contentType });
    response.end(text);
    return;
  }
  const health = await runChecks(checks);
  response.writeHead(health.ok ? 200 : 503, { "content-type": "application/json" });
  response.end(JSON.stringify(health));
}

/** Every check at once; a check that throws is failing, with the first line of its message as its status. */
async function runChecks(checks: Record<string, HealthCheck>) {
  const results: Record<string, { ok: boolean; status: string }> = {};
  await Promise.all(
    Object.entries(checks).map(async ([name, check]) => {
      try {
        const status = await check();
        results[name] = {
          ok: status !== false,
          status: typeof status === "string" ? status : status ? "ok" : "failing",
        };
      } catch (error) {
        results[name] = { ok: false, status: (error as Error).message.split("\n")[0] ?? "error" };
      }
    }),
  );
  return { ok: Object.values(results).every((r) => r.ok), checks: results };
}

/** The path of a request target, or undefined when it is none (`//[x` reads as a host, and not even a valid one). */
function pathOf(target: string | undefined): string | undefined {
  return URL.parse(target ?? "/", "http://localhost")?.pathname;
}

function plain(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { "content-type": "text/plain" });
  response.end(text);
}
