import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { telegramOptions } from "../../../src/adapters/telegram/options.ts";
import { ConfigError, loadConfig } from "../../../src/config.ts";

const TOKEN = "123456789:AAExampleExampleExampleExample";

describe("Telegram settings", () => {
  it("stops start-up when group admins approve but no group is listed, with one line saying what to set", () => {
    assert.throws(
      () => loadConfig({ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_APPROVERS_ARE_ADMINS: "true" }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.equal(error.problems.length, 1);
        assert.match(
          error.problems[0] ?? "",
          /^TELEGRAM_APPROVERS_ARE_ADMINS: needs TELEGRAM_CHAT_IDS.*anyone can create a group.*\(for example TELEGRAM_CHAT_IDS=-1001234567890\)$/,
        );
        return true;
      },
    );
  });

  it("takes group admins as approvers in the listed groups", () => {
    const options = telegramOptions(
      loadConfig({
        TELEGRAM_BOT_TOKEN: TOKEN,
        TELEGRAM_APPROVERS_ARE_ADMINS: "true",
        TELEGRAM_CHAT_IDS: "-1001234567890",
      }),
    );
    assert.equal(options.approversAreAdmins, true);
    assert.deepEqual(options.chatIds, ["-1001234567890"]);
  });
});
