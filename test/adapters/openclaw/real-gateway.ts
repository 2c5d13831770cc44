// Test helpers around the real OpenClaw harness: an event recorder and a TCP relay whose connections a test can cut.
// They only listen on 127.0.0.1 and only relay to the gateway a test started.

import { createServer, type Server, type Socket, connect as tcpConnect } from "node:net";
import type { GatewayEvent } from "../../../src/core/ports.ts";

/** Records gateway events and waits for the one a test expects. */
export class EventRecorder {
  readonly events: GatewayEvent[] = [];
  readonly #waiters = new Set<() => void>();

  readonly listener = (event: GatewayEvent): void => {
    this.events.push(event);
    for (const waiter of [...this.#waiters]) waiter();
  };

  /** The first event from position `from` on that matches; rejects with what was seen after `timeoutMs`. */
  waitFor<T extends GatewayEvent["type"]>(
    type: T,
    match: (event: Extract<GatewayEvent, { type: T }>) => boolean = () => true,
    timeoutMs = 60_000,
    from = 0,
  ): Promise<Extract<GatewayEvent, { type: T }>> {
    const find = () =>
      this.events
        .slice(from)
        .find(
          (event): event is Extract<GatewayEvent, { type: T }> =>
            event.type === type && match(event as never),
        );
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = find();
        if (!found) return;
        clearTimeout(timer);
        this.#waiters.delete(check);
        resolve(found);
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(check);
        reject(
          new Error(
            `no ${type} event within ${timeoutMs} ms; seen: ${JSON.stringify(this.events.slice(from))}`,
          ),
        );
      }, timeoutMs);
      this.#waiters.add(check);
      check();
    });
  }
}

/** 127.0.0.1:port → target, so a test can cut the bot's connection (`drop`) and keep it out for a while (`block`). */
export class Relay {
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  #blocked = false;
  port = 0;

  constructor(targetHost: string, targetPort: number) {
    this.#server = createServer((client) => {
      if (this.#blocked) {
        client.destroy();
        return;
      }
      const upstream = tcpConnect(targetPort, targetHost);
      for (const socket of [client, upstream]) {
        this.#sockets.add(socket);
        socket.on("close", () => this.#sockets.delete(socket));
        socket.on("error", () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.#server.listen(0, "127.0.0.1", () => resolve()));
    const address = this.#server.address();
    this.port = typeof address === "object" && address ? address.port : 0;
    return this.port;
  }

  /** Cuts every open connection; with `blocked`, refuses new ones until `unblock`. */
  drop(blocked = false): void {
    this.#blocked = blocked;
    for (const socket of this.#sockets) socket.destroy();
  }

  unblock(): void {
    this.#blocked = false;
  }

  async close(): Promise<void> {
    this.drop(true);
    await new Promise((resolve) => this.#server.close(resolve));
  }
}

/** Polls `check` until it returns a value, or rejects after `timeoutMs`. */
export async function eventually<T>(
  check: () => T | undefined,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
