// The bot downloads attached node logs only from Discord's CDN over https: an attachment's URL comes from Discord,
// and anything else (another host, plain http, a local address) is refused before a connection is made.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, it } from "node:test";
import { fetchAttachment } from "../../../src/adapters/discord/discord.ts";

describe("reading an attached log", () => {
  it("refuses every URL that is not Discord's CDN over https, without connecting", async () => {
    let connections = 0;
    const server = createServer((_req, res) => res.end("log")).on("connection", () => {
      connections += 1;
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    try {
      for (const url of [
        `http://127.0.0.1:${port}/attachments/1/2/node.log`,
        `https://127.0.0.1:${port}/attachments/1/2/node.log`,
        "http://cdn.discordapp.com/attachments/1/2/node.log",
        "https://cdn.discordapp.com.evil.example/attachments/1/2/node.log",
        "https://169.254.169.254/latest/meta-data/",
        "file:///etc/passwd",
      ])
        await assert.rejects(fetchAttachment(url), /not a Discord attachment URL/, url);
      assert.equal(connections, 0);
    } finally {
      server.close();
    }
  });
});
