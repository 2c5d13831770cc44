// The fake Discord gateway (WebSocket): hello, identify, resume, heartbeats, and events pushed to the bot.
// It must never lose an event: events for a dropped connection stay in the session and are replayed on resume.

import { randomBytes } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import zlib from "node:zlib";
import { type RawData, WebSocket, WebSocketServer } from "ws";
import { Intent } from "./http.ts";
import type { FakeState } from "./state.ts";

/** What the gateway saw, in order, for tests about reconnects and intents. */
export type GatewayLogEntry =
  | { kind: "connect"; url: string }
  | { kind: "identify"; sessionId: string; intents: number }
  | { kind: "resume"; sessionId: string; seq: number; accepted: boolean }
  | { kind: "heartbeat"; seq: number | null }
  | { kind: "op"; op: number; d: unknown }
  | { kind: "close"; code: number; sessionId: string | null };

/** Rewrites an event for one session, given the intents it identified with. */
export type Redact = (data: unknown, intents: number) => unknown;

interface Connection {
  ws: WebSocket;
  session: Session | null;
  send(payload: object): void;
  dispose(): void;
}
interface Session {
  id: string;
  intents: number;
  seq: number;
  events: Array<{ s: number; t: string; d: unknown }>;
  connection: Connection | null;
}

const trace = ["fake-discord-gateway"];

export class FakeGateway {
  readonly log: GatewayLogEntry[] = [];
  readonly #state: FakeState;
  readonly #heartbeatIntervalMs: number;
  readonly #token: string | undefined;
  readonly #sessions = new Map<string, Session>();
  readonly #connections = new Set<Connection>();
  readonly #wss = new WebSocketServer({ noServer: true });
  #port = 0;

  constructor(
    state: FakeState,
    options: { heartbeatIntervalMs: number; token: string | undefined },
  ) {
    this.#state = state;
    this.#heartbeatIntervalMs = options.heartbeatIntervalMs;
    this.#token = options.token;
  }

  set port(port: number) {
    this.#port = port;
  }
  /** What GET /gateway/bot hands out; the client appends `?v=10&encoding=json`. */
  get url(): string {
    return `ws://127.0.0.1:${this.#port}/gateway`;
  }
  /** Sessions that receive events: connected, or dropped and still resumable. */
  get sessionCount(): number {
    return this.#sessions.size;
  }
  get connectedCount(): number {
    return [...this.#connections].filter((c) => c.session !== null).length;
  }

  /** The node:http "upgrade" listener. */
  readonly handleUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    if (!req.url?.startsWith("/gateway")) {
      socket.destroy();
      return;
    }
    this.#wss.handleUpgrade(req, socket, head, (ws) => this.#accept(ws, req));
  };

  /** Sends an event to every session whose intents include one of `requiredIntents` (0: everyone). */
  dispatch(event: string, data: unknown, requiredIntents: number, redact?: Redact): void {
    for (const session of this.#sessions.values()) {
      if (requiredIntents !== 0 && (session.intents & requiredIntents) === 0) continue;
      this.#send(session, event, redact ? redact(data, session.intents) : data);
    }
  }

  /** Drops every connection abruptly (close 1006), as a network outage would. */
  disconnectAll(options: { invalidateSessions: boolean }): void {
    for (const connection of this.#connections) connection.ws.terminate();
    if (options.invalidateSessions) this.#sessions.clear();
  }

  close(): void {
    for (const connection of this.#connections) connection.ws.terminate();
    this.#sessions.clear();
    this.#wss.close();
  }

  #accept(ws: WebSocket, req: IncomingMessage): void {
    const url = new URL(req.url ?? "/", "ws://fake.invalid");
    this.log.push({ kind: "connect", url: `${url.pathname}${url.search}` });
    const connection: Connection = {
      ws,
      session: null,
      ...makeSender(ws, url.searchParams.get("compress") === "zlib-stream"),
    };
    this.#connections.add(connection);
    ws.on("message", (raw) => this.#receive(connection, raw));
    ws.on("close", (code) => this.#closed(connection, code));
    ws.on("error", () => ws.terminate());
    connection.send({
      op: 10,
      d: { heartbeat_interval: this.#heartbeatIntervalMs },
      s: null,
      t: null,
    });
  }

  #receive(connection: Connection, raw: RawData): void {
    const bytes = Array.isArray(raw)
      ? Buffer.concat(raw)
      : Buffer.isBuffer(raw)
        ? raw
        : Buffer.from(raw);
    const text = bytes.toString("utf8");
    this.#state.texts.push(`GATEWAY ${text}`);
    let payload: { op: number; d: Record<string, unknown> | number | null };
    try {
      payload = JSON.parse(text);
    } catch {
      connection.ws.close(4002, "Error while decoding payload.");
      return;
    }
    const d = (payload.d ?? {}) as Record<string, unknown>;
    switch (payload.op) {
      case 1:
        this.log.push({ kind: "heartbeat", seq: typeof payload.d === "number" ? payload.d : null });
        connection.send({ op: 11, d: null, s: null, t: null });
        return;
      case 2:
        this.#identify(connection, d);
        return;
      case 6:
        this.#resume(connection, d);
        return;
      case 8:
        this.log.push({ kind: "op", op: 8, d });
        this.#requestMembers(connection, d);
        return;
      case 3:
      case 4:
        this.log.push({ kind: "op", op: payload.op, d });
        return;
      default:
        connection.ws.close(4001, "Unknown opcode.");
    }
  }

  #identify(connection: Connection, d: Record<string, unknown>): void {
    if (connection.session) {
      connection.ws.close(4005, "Already authenticated.");
      return;
    }
    if (this.#token !== undefined && d.token !== this.#token) {
      connection.ws.close(4004, "Authentication failed.");
      return;
    }
    const session: Session = {
      id: randomBytes(16).toString("hex"),
      intents: typeof d.intents === "number" ? d.intents : 0,
      seq: 0,
      events: [],
      connection,
    };
    this.#sessions.set(session.id, session);
    connection.session = session;
    this.log.push({ kind: "identify", sessionId: session.id, intents: session.intents });
    const state = this.#state;
    const guilds = [...state.guilds.values()];
    this.#send(session, "READY", {
      v: 10,
      user: { ...state.userJson(state.bot), verified: true, mfa_enabled: false, flags: 0 },
      guilds: guilds.map((guild) => ({ id: guild.id, unavailable: true })),
      session_id: session.id,
      resume_gateway_url: `ws://127.0.0.1:${this.#port}/gateway/resume`,
      shard: Array.isArray(d.shard) ? d.shard : [0, 1],
      application: { id: state.applicationId, flags: 0 },
      private_channels: [],
      relationships: [],
      presences: [],
      guild_join_requests: [],
      geo_ordered_rtc_regions: [],
      user_settings: {},
      _trace: trace,
    });
    // READY lists guilds as unavailable; discord.js waits for each GUILD_CREATE before it emits clientReady.
    if (session.intents & Intent.Guilds) {
      for (const guild of guilds) this.#send(session, "GUILD_CREATE", state.guildCreateJson(guild));
    }
  }

  #resume(connection: Connection, d: Record<string, unknown>): void {
    const session = this.#sessions.get(String(d.session_id));
    const seq = typeof d.seq === "number" ? d.seq : 0;
    const tokenOk = this.#token === undefined || d.token === this.#token;
    const accepted = session !== undefined && connection.session === null && tokenOk;
    this.log.push({ kind: "resume", sessionId: String(d.session_id), seq, accepted });
    if (!session || !accepted) {
      connection.send({ op: 9, d: false, s: null, t: null });
      return;
    }
    if (session.connection && session.connection !== connection) {
      session.connection.session = null;
      session.connection.ws.terminate();
    }
    session.connection = connection;
    connection.session = session;
    for (const event of session.events) {
      if (event.s > seq) connection.send({ op: 0, ...event });
    }
    this.#send(session, "RESUMED", { _trace: trace });
  }

  #requestMembers(connection: Connection, d: Record<string, unknown>): void {
    const session = connection.session;
    if (!session) return;
    const guildId = String(d.guild_id);
    const wanted = Array.isArray(d.user_ids) ? d.user_ids.map(String) : null;
    const query = typeof d.query === "string" ? d.query.toLowerCase() : "";
    const members = [...this.#state.members.values()].filter(
      (m) =>
        m.guildId === guildId &&
        (wanted
          ? wanted.includes(m.userId)
          : this.#state.user(m.userId).username.toLowerCase().startsWith(query)),
    );
    const found = new Set(members.map((m) => m.userId));
    this.#send(session, "GUILD_MEMBERS_CHUNK", {
      guild_id: guildId,
      members: members.map((m) => this.#state.memberJson(m)),
      chunk_index: 0,
      chunk_count: 1,
      not_found: wanted ? wanted.filter((id) => !found.has(id)) : [],
      ...(d.nonce ? { nonce: d.nonce } : {}),
    });
  }

  #send(session: Session, t: string, d: unknown): void {
    session.seq += 1;
    const event = { s: session.seq, t, d };
    session.events.push(event);
    session.connection?.send({ op: 0, ...event });
  }

  #closed(connection: Connection, code: number): void {
    this.#connections.delete(connection);
    connection.dispose();
    const session = connection.session;
    this.log.push({ kind: "close", code, sessionId: session?.id ?? null });
    if (!session) return;
    if (session.connection === connection) session.connection = null;
    // Discord ends a session the client closed with 1000/1001; any other close can be resumed.
    if (code === 1000 || code === 1001) this.#sessions.delete(session.id);
  }
}

/**
 * Sends JSON text frames, or with `compress=zlib-stream` one shared deflate context flushed with Z_SYNC_FLUSH
 * per payload, as Discord does (discord.js only asks for it when the optional zlib-sync package is installed).
 */
function makeSender(ws: WebSocket, zlibStream: boolean): Pick<Connection, "send" | "dispose"> {
  if (!zlibStream) {
    return {
      send: (payload) => {
        if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(payload));
      },
      dispose: () => {},
    };
  }
  const deflate = zlib.createDeflate();
  let queue = Promise.resolve();
  const send = (payload: object) => {
    queue = queue.then(
      () =>
        new Promise<void>((resolve) => {
          deflate.write(JSON.stringify(payload));
          deflate.flush(zlib.constants.Z_SYNC_FLUSH, () => {
            const parts: Buffer[] = [];
            for (let chunk = deflate.read(); chunk !== null; chunk = deflate.read())
              parts.push(chunk);
            if (ws.readyState === WebSocket.OPEN) ws.send(Buffer.concat(parts));
            resolve();
          });
        }),
    );
  };
  return { send, dispose: () => deflate.destroy() };
}
