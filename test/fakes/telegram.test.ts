// Proves the fake Telegram Bot API against the real grammY bot, auto-retry and the throttler.
// It never talks to the real Telegram: every bot here points its apiRoot at a local fake.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { autoRetry } from "@grammyjs/auto-retry";
import { apiThrottler } from "@grammyjs/transformer-throttler";
import { Api, Bot, GrammyError, InlineKeyboard, InputFile } from "grammy";
import { FakeTelegram, type FakeTelegramOptions } from "./telegram/index.ts";

interface Running {
  fake: FakeTelegram;
  bot: Bot;
  /** Errors thrown inside the bot's middleware; a test that expects none asserts it is empty. */
  middlewareErrors: unknown[];
}

/**
 * Starts a fake and a real long-polling grammY bot (auto-retry + throttler, as clawshake runs it),
 * runs the test body, then stops the bot before the fake, whatever happened.
 */
async function withBot(
  setup: (bot: Bot, fake: FakeTelegram) => void,
  body: (running: Running) => Promise<void>,
  options: FakeTelegramOptions = {},
): Promise<void> {
  const fake = new FakeTelegram(options);
  await fake.start();
  const bot = new Bot(fake.token, { client: { apiRoot: fake.apiRoot } });
  bot.api.config.use(apiThrottler());
  bot.api.config.use(autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 5 }));
  const middlewareErrors: unknown[] = [];
  bot.catch((error) => {
    middlewareErrors.push(error.error);
  });
  setup(bot, fake);
  let polling: Promise<void> | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      polling = bot.start({ onStart: () => resolve() });
      polling.catch(reject);
    });
    await body({ fake, bot, middlewareErrors });
  } finally {
    await bot.stop();
    await polling?.catch(() => undefined);
    await fake.stop();
  }
}

function isGrammyError(code: number, description: string | RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof GrammyError, `expected a GrammyError, got ${String(error)}`);
    assert.equal(error.error_code, code);
    if (typeof description === "string") assert.equal(error.description, description);
    else assert.match(error.description, description);
    return true;
  };
}

describe("FakeTelegram with the real grammY bot", () => {
  it("gives the bot its username and routes /connect_node, with or without @bot, to the command", async () => {
    const matches: string[] = [];
    await withBot(
      (bot) => bot.command("connect_node", (ctx) => void matches.push(ctx.match)),
      async ({ fake, bot, middlewareErrors }) => {
        assert.equal(bot.botInfo.username, "clawshake_bot");
        const alice = fake.addUser({ first_name: "Alice", username: "alice" });
        const group = fake.addGroup({ title: "Ops", members: [alice.id] });
        await fake
          .userSends({ from: alice, chat: group, text: "/connect_node My Node" })
          .processed();
        await fake
          .userSends({ from: alice, chat: group, text: "/connect_node@clawshake_bot My Node" })
          .processed();
        assert.deepEqual(matches, ["My Node", "My Node"]);
        assert.deepEqual(middlewareErrors, []);
        assert.ok(fake.requests.some((r) => r.method === "getMe" && r.status === 200));
        assert.ok(fake.requests.some((r) => r.method === "deleteWebhook" && r.status === 200));
      },
    );
  });

  it("hides from a privacy-mode bot the group chatter and commands meant for another bot", async () => {
    const seen: string[] = [];
    await withBot(
      (bot) => bot.on("message:text", (ctx) => void seen.push(ctx.message.text)),
      async ({ fake }) => {
        const alice = fake.addUser({ first_name: "Alice" });
        const group = fake.addGroup({ title: "Ops", members: [alice.id] });
        assert.equal(
          fake.userSends({ from: alice, chat: group, text: "hello all" }).visibleToBot,
          false,
        );
        const other = fake.userSends({
          from: alice,
          chat: group,
          text: "/connect_node@other_bot x",
        });
        assert.equal(other.visibleToBot, false);
        await fake.userSends({ from: alice, chat: group, text: "hey @clawshake_bot" }).processed();
        assert.deepEqual(seen, ["hey @clawshake_bot"]);
      },
    );
  });

  it("records an inline keyboard, delivers a click as callback_query, records the answer and the edit", async () => {
    const clicks: Array<{ data: string | undefined; text: unknown; chatInstance: string }> = [];
    await withBot(
      (bot) => {
        bot.command("menu", (ctx) =>
          ctx.reply("Approve <b>My Node</b>?", {
            parse_mode: "HTML",
            reply_markup: new InlineKeyboard()
              .text("Approve", "approve:1")
              .url("Docs", "https://example.org/docs"),
          }),
        );
        bot.callbackQuery("approve:1", async (ctx) => {
          const message = ctx.callbackQuery.message;
          clicks.push({
            data: ctx.callbackQuery.data,
            text: message && "text" in message ? message.text : undefined,
            chatInstance: ctx.callbackQuery.chat_instance,
          });
          await ctx.answerCallbackQuery({ text: "Approved" });
          await ctx.editMessageText("Approved by <i>Alice</i>", { parse_mode: "HTML" });
        });
      },
      async ({ fake, middlewareErrors }) => {
        const alice = fake.addUser({ first_name: "Alice", startedBot: true });
        await fake.userSends({ from: alice, text: "/menu" }).processed();
        const [menu] = fake.privateMessagesTo(alice.id);
        assert.ok(menu);
        assert.equal(menu.text, "Approve My Node?");
        assert.equal(menu.parse_mode, "HTML");
        assert.deepEqual(menu.reply_markup, {
          inline_keyboard: [
            [
              { text: "Approve", callback_data: "approve:1" },
              { text: "Docs", url: "https://example.org/docs" },
            ],
          ],
        });

        const click = fake.clickButton({ from: alice, message: menu, data: "approve:1" });
        assert.deepEqual(await click.answered(), {
          callback_query_id: click.callbackQueryId,
          text: "Approved",
        });
        await click.processed();
        assert.equal(clicks.length, 1);
        assert.equal(clicks[0]?.data, "approve:1");
        assert.equal(clicks[0]?.text, "Approve My Node?");
        assert.equal(typeof clicks[0]?.chatInstance, "string");
        assert.equal(menu.text, "Approved by Alice");
        assert.deepEqual(
          menu.edits.map((e) => [e.method, e.rawText]),
          [["editMessageText", "Approved by <i>Alice</i>"]],
        );
        assert.equal(
          menu.reply_markup,
          undefined,
          "an edit without reply_markup drops the keyboard",
        );
        assert.throws(() => fake.clickButton({ from: alice, message: menu, data: "approve:1" }));
        assert.deepEqual(middlewareErrors, []);
      },
    );
  });

  it("refuses a DM to someone who never started the bot, then accepts it after /start abc", async () => {
    const startPayloads: string[] = [];
    await withBot(
      (bot) => bot.command("start", (ctx) => void startPayloads.push(ctx.match)),
      async ({ fake, bot }) => {
        const bob = fake.addUser({ first_name: "Bob" });
        await assert.rejects(
          bot.api.sendMessage(bob.id, "hello"),
          isGrammyError(403, "Forbidden: bot can't initiate conversation with a user"),
        );
        await fake.userStartsBot(bob, "abc").processed();
        assert.deepEqual(startPayloads, ["abc"]);
        await bot.api.sendMessage(bob.id, "hello");
        assert.deepEqual(
          fake.privateMessagesTo(bob.id).map((m) => m.text),
          ["hello"],
        );
      },
    );
  });

  it("lets auto-retry wait out a 429 so the message lands exactly once", async () => {
    await withBot(
      () => {},
      async ({ fake, bot }) => {
        const carol = fake.addUser({ first_name: "Carol", startedBot: true });
        fake.failNext({ method: "sendMessage", status: 429, retryAfter: 1 });
        await bot.api.sendMessage(carol.id, "after the rate limit");
        assert.deepEqual(
          fake.requests.filter((r) => r.method === "sendMessage").map((r) => r.status),
          [429, 200],
        );
        assert.deepEqual(
          fake.privateMessagesTo(carol.id).map((m) => m.text),
          ["after the rate limit"],
        );
      },
    );
  });

  it("refuses callback_data over 64 bytes of UTF-8 with BUTTON_DATA_INVALID", async () => {
    await withBot(
      () => {},
      async ({ fake, bot }) => {
        const dave = fake.addUser({ first_name: "Dave", startedBot: true });
        const keyboard = (data: string) => ({
          reply_markup: new InlineKeyboard().text("Go", data),
        });
        await assert.rejects(
          bot.api.sendMessage(dave.id, "x", keyboard("a".repeat(65))),
          isGrammyError(400, "Bad Request: BUTTON_DATA_INVALID"),
        );
        await assert.rejects(
          bot.api.sendMessage(dave.id, "x", keyboard("é".repeat(33))),
          isGrammyError(400, "Bad Request: BUTTON_DATA_INVALID"),
        );
        await bot.api.sendMessage(dave.id, "x", keyboard("é".repeat(32)));
        assert.equal(fake.privateMessagesTo(dave.id).length, 1);
      },
    );
  });

  it("refuses empty text, text over 4096 characters, unclosed HTML and an edit that changes nothing", async () => {
    await withBot(
      () => {},
      async ({ fake, bot }) => {
        const erin = fake.addUser({ first_name: "Erin", startedBot: true });
        await assert.rejects(
          bot.api.sendMessage(erin.id, " "),
          isGrammyError(400, "Bad Request: message text is empty"),
        );
        await assert.rejects(
          bot.api.sendMessage(erin.id, "x".repeat(4097)),
          isGrammyError(400, "Bad Request: message is too long"),
        );
        await assert.rejects(
          bot.api.sendMessage(erin.id, "<b>bold", { parse_mode: "HTML" }),
          isGrammyError(400, /^Bad Request: can't parse entities: /),
        );
        await assert.rejects(
          bot.api.sendMessage(erin.id, "Done.", { parse_mode: "MarkdownV2" }),
          isGrammyError(400, /^Bad Request: can't parse entities: Character '\.' is reserved/),
        );
        const html =
          '<b>b</b> <i>i</i> <code>c</code> <pre>p</pre> <a href="https://x.org">a</a> &lt;';
        const sent = await bot.api.sendMessage(erin.id, html, { parse_mode: "HTML" });
        assert.equal(sent.text, "b i c p a <");
        assert.deepEqual(
          sent.entities?.map((e) => e.type),
          ["bold", "italic", "code", "pre", "text_link"],
        );
        await assert.rejects(
          bot.api.editMessageText(erin.id, sent.message_id, html, { parse_mode: "HTML" }),
          isGrammyError(400, /^Bad Request: message is not modified: /),
        );
        await bot.api.sendMessage(erin.id, "x".repeat(4096));
      },
    );
  });

  it("records the bot deleting a person's message, and refuses it in a group where the bot is no admin", async () => {
    await withBot(
      (bot) => bot.command("token", (ctx) => ctx.deleteMessage()),
      async ({ fake, bot, middlewareErrors }) => {
        const frank = fake.addUser({ first_name: "Frank" });
        const pasted = fake.userSends({ from: frank, text: "/token s3cr3t-gateway-token" });
        await pasted.processed();
        assert.deepEqual(fake.deletedMessages, [
          {
            chatId: frank.id,
            message_id: pasted.payload.message_id,
            byBotAuthor: false,
            text: "/token s3cr3t-gateway-token",
          },
        ]);
        assert.deepEqual(middlewareErrors, []);

        const group = fake.addGroup({ title: "Ops", members: [frank.id] });
        const inGroup = fake.userSends({ from: frank, chat: group, text: "/token again" });
        await inGroup.processed();
        assert.equal(middlewareErrors.length, 1);
        assert.match(String(middlewareErrors[0]), /message can't be deleted/);
        await assert.rejects(
          bot.api.deleteMessage(frank.id, Number(pasted.payload.message_id)),
          isGrammyError(400, "Bad Request: message to delete not found"),
        );
      },
    );
  });

  it("reports creator, admins, members and strangers through getChatMember, and records setMyCommands scopes", async () => {
    await withBot(
      () => {},
      async ({ fake, bot }) => {
        const owner = fake.addUser({ first_name: "Olga" });
        const admin = fake.addUser({ first_name: "Ari" });
        const member = fake.addUser({ first_name: "Mo" });
        const stranger = fake.addUser({ first_name: "Stan" });
        const group = fake.addGroup({
          title: "Ops",
          creator: owner.id,
          admins: [admin.id],
          members: [member.id],
        });
        const status = async (id: number) => (await bot.api.getChatMember(group.id, id)).status;
        assert.equal(await status(owner.id), "creator");
        assert.equal(await status(admin.id), "administrator");
        assert.equal(await status(member.id), "member");
        assert.equal(await status(stranger.id), "left");
        fake.setAdmins(group.id, [member.id]);
        assert.equal(await status(member.id), "administrator");
        assert.equal(await status(admin.id), "member");
        const admins = await bot.api.getChatAdministrators(group.id);
        assert.deepEqual(
          admins.map((a) => [a.user.id, a.status]),
          [
            [owner.id, "creator"],
            [member.id, "administrator"],
          ],
        );

        await bot.api.setMyCommands([{ command: "connect_node", description: "Connect a node" }], {
          scope: { type: "all_group_chats" },
        });
        await bot.api.setMyCommands([{ command: "start", description: "Start" }], {
          scope: { type: "all_private_chats" },
          language_code: "de",
        });
        await assert.rejects(
          bot.api.setMyCommands([{ command: "Connect-Node", description: "x" }]),
          isGrammyError(400, "Bad Request: BOT_COMMAND_INVALID"),
        );
        assert.deepEqual(
          fake.commands.map((c) => [
            c.commands.map((x) => x.command),
            c.scope.type,
            c.language_code,
          ]),
          [
            [["connect_node"], "all_group_chats", ""],
            [["start"], "all_private_chats", "de"],
          ],
        );
      },
    );
  });

  it("serves an uploaded document through getFile and the file URL, byte for byte", async () => {
    const downloads: string[] = [];
    await withBot(
      (bot, fake) =>
        bot.on("message:document", async (ctx) => {
          const file = await ctx.getFile();
          const response = await fetch(`${fake.apiRoot}/file/bot${fake.token}/${file.file_path}`);
          downloads.push(await response.text());
        }),
      async ({ fake, middlewareErrors }) => {
        const gina = fake.addUser({ first_name: "Gina" });
        const content = "gateway:\n  url: wss://gw.example.org\n";
        await fake.userSendsDocument({ from: gina, fileName: "setup.yaml", content }).processed();
        assert.deepEqual(downloads, [content]);
        assert.deepEqual(middlewareErrors, []);
      },
    );
  });

  it("records a document the bot uploads, and keeps every request body in allText()", async () => {
    await withBot(
      () => {},
      async ({ fake, bot }) => {
        const hugo = fake.addUser({ first_name: "Hugo", startedBot: true });
        await bot.api.sendMessage(hugo.id, "your setup link is ready");
        const upload = new InputFile(Buffer.from("node-config-contents"), "node config.json");
        await bot.api.sendDocument(hugo.id, upload, { caption: "Your config" });
        const [, document] = fake.privateMessagesTo(hugo.id);
        assert.equal(document?.document?.file_name, "node config.json");
        assert.equal(document?.document?.content.toString(), "node-config-contents");
        assert.equal(document?.text, "Your config");
        assert.ok(fake.allText().includes("your setup link is ready"));
        assert.ok(fake.allText().includes("node-config-contents"));
        assert.ok(!fake.allText().includes("never-sent-value"));
      },
    );
  });

  it("answers a wrong token with 401 and an unknown method with 404, which it records", async () => {
    await withBot(
      () => {},
      async ({ fake, bot }) => {
        const stranger = new Api("123:wrong", { apiRoot: fake.apiRoot });
        await assert.rejects(stranger.getMe(), isGrammyError(401, "Unauthorized"));
        const raw = bot.api.raw as unknown as Record<string, (p: object) => Promise<unknown>>;
        await assert.rejects(
          raw.sendTelepathy?.({ chat_id: 1 }) ?? Promise.resolve(),
          isGrammyError(404, "Not Found: method not found"),
        );
        assert.deepEqual(
          fake.unhandled.map((u) => u.method),
          ["sendTelepathy"],
        );
      },
    );
  });

  it("holds a long poll until an update arrives, forgets confirmed updates and honours allowed_updates", async () => {
    const fake = new FakeTelegram();
    await fake.start();
    try {
      const api = new Api(fake.token, { apiRoot: fake.apiRoot });
      const ivy = fake.addUser({ first_name: "Ivy" });
      const polling = api.getUpdates({ timeout: 30 });
      await fake.waitFor(() => fake.waitingLongPolls === 1);
      const sent = fake.userSends({ from: ivy, text: "hi" });
      const [update] = await polling;
      assert.equal(update?.update_id, sent.update_id);
      assert.equal(update?.message?.text, "hi");
      assert.deepEqual(await api.getUpdates({ offset: sent.update_id + 1 }), []);
      await sent.processed();

      assert.deepEqual(await api.getUpdates({ allowed_updates: ["callback_query"] }), []);
      const unwanted = fake.userSends({ from: ivy, text: "only callbacks wanted" });
      assert.equal(unwanted.visibleToBot, false);
      assert.deepEqual(await api.getUpdates({ allowed_updates: [] }), []);
      fake.userSends({ from: ivy, text: "messages again" });
      const [again] = await api.getUpdates({});
      assert.equal(again?.message?.text, "messages again");
    } finally {
      await fake.stop();
    }
  });

  it("ends a waiting long poll with 409 when a second one starts, and with no updates on stop()", async () => {
    const fake = new FakeTelegram();
    await fake.start();
    try {
      const api = new Api(fake.token, { apiRoot: fake.apiRoot });
      const first = api.getUpdates({ timeout: 30 });
      await fake.waitFor(() => fake.waitingLongPolls === 1);
      const second = api.getUpdates({ timeout: 30 });
      await assert.rejects(
        first,
        isGrammyError(409, /^Conflict: terminated by other getUpdates request/),
      );
      await fake.waitFor(() => fake.waitingLongPolls === 1);
      await fake.stop();
      assert.deepEqual(await second, []);
    } finally {
      await fake.stop();
    }
  });
});
