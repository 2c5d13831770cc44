import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { pino } from "pino";
import { MemoryStore } from "../../../src/adapters/store/memory.ts";
import {
  TelegramChat,
  telegramOptions,
  webhookSecret,
} from "../../../src/adapters/telegram/telegram.ts";
import { loadConfig } from "../../../src/config.ts";
import { type App, startApp } from "../../../src/main.ts";
import { FakeTelegram } from "../../fakes/telegram/index.ts";
import { freePort } from "../../support/redis-server.ts";
import { ScriptedGateway } from "../../support/scripted-gateway.ts";

describe("Telegram by webhook", () => {
  const fake = new FakeTelegram();
  let chat: TelegramChat;
  let app: App;
  let url = "";

  before(async () => {
    await fake.start();
    const port = await freePort();
    const config = loadConfig({
      CLAWSHAKE_HTTP_PORT: String(port),
      CLAWSHAKE_STORE: "memory",
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: fake.apiRoot,
      TELEGRAM_WEBHOOK_URL: "https://bot.example.com/telegram/hook",
    });
    const log = pino({ level: "silent" });
    const store = new MemoryStore();
    chat = new TelegramChat(telegramOptions(config), { log, store });
    // Mounted as `clawshake run` mounts it: on the operations port, at the webhook URL's path.
    const routes = { "/telegram/hook": chat.webhookHandler() };
    app = await startApp(config, {
      chats: [chat],
      gateway: new ScriptedGateway(),
      log,
      store,
      routes,
    });
    await chat.start(app.handshake);
    url = `http://127.0.0.1:${port}/telegram/hook`;
  });

  after(async () => {
    await chat.stop();
    await app.stop();
    await fake.stop();
  });

  function post(update: object, secret: string): Promise<Response> {
    return fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": secret },
      body: JSON.stringify(update),
    });
  }

  function helpFrom(userId: number, updateId: number) {
    return {
      update_id: updateId,
      message: {
        message_id: updateId,
        date: Math.floor(Date.now() / 1000),
        from: { id: userId, is_bot: false, first_name: "Wendy" },
        chat: { id: userId, type: "private", first_name: "Wendy" },
        text: "/help",
        entities: [{ type: "bot_command", offset: 0, length: 5 }],
      },
    };
  }

  it("registers the webhook with a secret token and only the updates it reads", () => {
    assert.equal(fake.webhooks.length, 1);
    const hook = fake.webhooks[0] as Record<string, unknown>;
    assert.equal(hook.url, "https://bot.example.com/telegram/hook");
    assert.equal(hook.secret_token, webhookSecret(fake.token));
    assert.deepEqual(hook.allowed_updates, ["message", "callback_query"]);
  });

  it("handles an update posted with the secret token", async () => {
    const wendy = fake.addUser({ first_name: "Wendy", startedBot: true });
    const response = await post(helpFrom(wendy.id, 1), webhookSecret(fake.token));
    assert.equal(response.status, 200);
    await chat.settled();
    await fake.waitFor(() =>
      fake.privateMessagesTo(wendy.id).some((m) => m.text.includes("/diagnose")),
    );
  });

  it("refuses an update without the right secret token, and does nothing", async () => {
    const mallory = fake.addUser({ first_name: "Mallory", startedBot: true });
    const response = await post(helpFrom(mallory.id, 2), "guessed");
    assert.equal(response.status, 401);
    await chat.settled();
    assert.equal(fake.privateMessagesTo(mallory.id).length, 0);
  });
});
