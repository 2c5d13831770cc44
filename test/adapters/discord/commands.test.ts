import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { COMMAND, commandDefinitions, OPTION } from "../../../src/adapters/discord/commands.ts";

/** Discord's rule for command and option names (and their localizations). */
const NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

interface Described {
  name: string;
  description: string;
  name_localizations?: Record<string, string> | null;
  description_localizations?: Record<string, string> | null;
  options?: Described[];
}

function* everything(items: Described[]): Generator<Described> {
  for (const item of items) {
    yield item;
    yield* everything(item.options ?? []);
  }
}

describe("the slash command definitions", () => {
  const commands = commandDefinitions() as Described[];

  it("are /connect-node, /diagnose, /nodes and /disconnect-node, with the option names the adapter reads", () => {
    assert.deepEqual(
      commands.map((c) => c.name),
      [COMMAND.connectNode, COMMAND.diagnose, COMMAND.nodes, COMMAND.disconnectNode],
    );
    assert.deepEqual(
      commands.map((c) => c.options?.map((o) => o.name)),
      [
        [OPTION.name, OPTION.nodeOperator, OPTION.reason, OPTION.commands],
        [OPTION.log],
        undefined,
        [OPTION.name],
      ],
    );
  });

  it("keep to Discord's rules for names and descriptions, in English and Simplified Chinese", () => {
    for (const item of everything(commands)) {
      assert.match(item.name, NAME);
      assert.equal(item.name, item.name.toLowerCase(), "names are lower case");
      assert.ok(item.description.length >= 1 && item.description.length <= 100, item.description);
      const zhName = item.name_localizations?.["zh-CN"];
      if (zhName) assert.match(zhName, NAME);
      const zh = item.description_localizations?.["zh-CN"] ?? "";
      assert.ok(zh.length >= 1 && zh.length <= 100, `${item.name} has a zh-CN description`);
      assert.notEqual(zh, item.description);
    }
  });

  it("keep the command names themselves, which the bot's messages quote in both languages", () => {
    for (const command of commands) assert.equal(command.name_localizations, undefined);
  });
});
