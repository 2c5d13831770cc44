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
  const server = createServer(async (request, response) => {
    const route = routes[new URL(request.url ?? "/", "http://localhost").pathname];
    if (route) {
      // A route that fails answers 500 rather than leaving the request hanging (or the rejection unhandled).
      await route(request, response).catch(() => {
        if (!response.headersSent) response.writeHead(500);
        response.end();
      });
      return;
    }
    if (request.url === "/metrics") {
      response.setHeader("content-type", metrics.registry.contentType);
      response.end(await metrics.registry.metrics());
      return;
    }
    if (request.url === "/healthz") {
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
            results[name] = {
              ok: false,
              status: (error as Error).message.split("\n")[0] ?? "error",
            };
          }
        }),
      );
      const ok = Object.values(results).every((r) => r.ok);
      response.writeHead(ok ? 200 : 503, { "content-type": "application/json" });
      response.end(JSON.stringify({ ok, checks: results }));
      return;
    }
    response.writeHead(404, { "content-type": "text/plain" });
    response.end("clawshake: try /healthz or /metrics\n");
  });
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
