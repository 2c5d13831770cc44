import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { GatewayIntentBits } from "discord.js";
import { discordOptions, intentsFor } from "../../../src/adapters/discord/options.ts";
import { loadConfig } from "../../../src/config.ts";

const base = { DISCORD_TOKEN: "abc.def.ghi" };

describe("the Discord settings", () => {
  it("come from the environment", () => {
    const options = discordOptions(
      loadConfig({
        ...base,
        DISCORD_API_URL: "http://127.0.0.1:8080/api",
        DISCORD_CHANNEL_IDS: "111111, 222222",
        DISCORD_APPROVER_IDS: "333333",
        DISCORD_APPROVER_ROLE_ID: "444444",
        DISCORD_GATEWAY_OPERATOR_IDS: "555555",
        DISCORD_LEAK_GUARD: "true",
        CLAWSHAKE_LANG: "zh-CN",
      }),
    );
    assert.deepEqual(options, {
      token: "abc.def.ghi",
      apiUrl: "http://127.0.0.1:8080/api",
      channelIds: ["111111", "222222"],
      approverIds: ["333333"],
      approverRoleId: "444444",
      gatewayOperatorIds: ["555555"],
      leakGuard: true,
      defaultLang: "zh-CN",
    });
  });

  it("ask only for the intents they need; privileged ones only for a role or the leak guard", () => {
    const plain = intentsFor(discordOptions(loadConfig(base)));
    assert.deepEqual(plain, [GatewayIntentBits.Guilds, GatewayIntentBits.DirectMessages]);
    const withRole = intentsFor(
      discordOptions(loadConfig({ ...base, DISCORD_GATEWAY_OPERATOR_ROLE_ID: "444444" })),
    );
    assert.ok(withRole.includes(GatewayIntentBits.GuildMembers));
    assert.ok(!withRole.includes(GatewayIntentBits.MessageContent));
    const guarded = intentsFor(discordOptions(loadConfig({ ...base, DISCORD_LEAK_GUARD: "yes" })));
    assert.ok(guarded.includes(GatewayIntentBits.MessageContent));
    assert.ok(guarded.includes(GatewayIntentBits.GuildMessages));
    assert.ok(!guarded.includes(GatewayIntentBits.GuildMembers));
  });

  it("refuse to start without a token", () => {
    assert.throws(() => discordOptions(loadConfig({})), /DISCORD_TOKEN is not set/);
  });
});
