// Single-use /start links that open a private chat with the bot for one person and one session (Telegram deep links).
// A link is bound to the user it was made for and spent on first use; it never carries a secret, only a nonce.

import { randomBytes } from "node:crypto";
import type { SessionStore } from "../../core/ports.ts";
import { isTerminal } from "../../core/types.ts";
import { NONCE_LENGTH, parseStartPayload, startPayload } from "./ids.ts";

/** Store keys: `tgstart:<nonce>` when a link is made (the ref's chatId is the user it is for), `tgused:<nonce>` when spent. */
const ISSUED = "tgstart:";
const SPENT = "tgused:";

export type Redeemed =
  | { ok: true; sessionId: string; nonce: string }
  | { ok: false; reason: "malformed" | "unknown" | "otherUser" | "spent" | "ended" };

/**
 * Links live in the session store beside the session's messages, so they survive a restart and
 * end with the session: a link whose session is over (or gone) is refused.
 */
export class StartLinks {
  readonly #store: SessionStore;
  readonly #now: () => number;

  constructor(store: SessionStore, now: () => number = Date.now) {
    this.#store = store;
    this.#now = now;
  }

  /** The payload of `userId`'s unspent link for this session, made now if there is none. */
  async payloadFor(sessionId: string, userId: string): Promise<string> {
    const spent = new Set(
      (await this.#store.messages(sessionId, SPENT)).map((m) => m.key.slice(SPENT.length)),
    );
    const mine = (await this.#store.messages(sessionId, ISSUED)).find(
      (m) => m.ref.chatId === userId && !spent.has(m.key.slice(ISSUED.length)),
    );
    if (mine) return startPayload(sessionId, mine.key.slice(ISSUED.length));
    const nonce = randomBytes(12).toString("base64url");
    if (nonce.length !== NONCE_LENGTH) throw new Error("unexpected nonce length");
    await this.#store.putMessage(sessionId, `${ISSUED}${nonce}`, {
      platform: "telegram",
      chatId: userId,
      messageId: "start-link",
    });
    return startPayload(sessionId, nonce);
  }

  /** Spends the link `payload` for `userId`, if it was made for them, is unspent and its session still runs. */
  async redeem(payload: string, userId: string): Promise<Redeemed> {
    const parsed = parseStartPayload(payload);
    if (!parsed) return { ok: false, reason: "malformed" };
    const { sessionId, nonce } = parsed;
    const [issued] = await this.#store.messages(sessionId, `${ISSUED}${nonce}`);
    if (!issued || issued.key !== `${ISSUED}${nonce}`) return { ok: false, reason: "unknown" };
    if (issued.ref.chatId !== userId) return { ok: false, reason: "otherUser" };
    if ((await this.#store.messages(sessionId, `${SPENT}${nonce}`)).length > 0)
      return { ok: false, reason: "spent" };
    const session = await this.#store.get(sessionId);
    if (!session || isTerminal(session.stage) || this.#now() >= session.expiresAt)
      return { ok: false, reason: "ended" };
    await this.#store.putMessage(sessionId, `${SPENT}${nonce}`, issued.ref);
    return { ok: true, sessionId, nonce };
  }
}
