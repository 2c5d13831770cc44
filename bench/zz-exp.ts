import { setImmediate } from "node:timers/promises";
import { pino } from "pino";
import { createLogger } from "../src/adapters/log/logger.ts";
import { loadConfig } from "../src/config.ts";
import { startApp } from "../src/main.ts";
import { NoopChat, NoopGateway } from "./support/noop.ts";
import { tempDir } from "./support/cleanup.ts";
const mb = () => { globalThis.gc!(); const m = process.memoryUsage(); return `rss ${Math.round(m.rss/1048576)} heapTotal ${Math.round(m.heapTotal/1048576)} heapUsed ${Math.round(m.heapUsed/1048576)} ext ${Math.round(m.external/1048576)}`; };
const dir = tempDir("zz-");
const config = loadConfig({ CLAWSHAKE_DATA_DIR: dir, CLAWSHAKE_SEALING_KEY: "44".repeat(32), CLAWSHAKE_TICK_SECONDS: "100000" });
const app = await startApp(config, { chats: [new NoopChat()], gateway: new NoopGateway(), log: createLogger("info", pino.destination({ dest: `${dir}/log`, sync: false })) });
console.log("start", mb());
for (let i = 0; i < 10000; i++) { await app.handshake.open({ channel: { platform: "console", id: "team" }, displayName: `node-${i}`, requester: { platform: "console", id: `u${i}`, name: `u${i}`, lang: "en", isApprover: false, isGatewayOperator: false, via: "channel" } }); if (process.argv[2] === "yield") await setImmediate(); }
console.log("opened", mb());
await app.handshake.tick(); console.log("after 1 tick", mb());
for (let i = 0; i < 5; i++) await app.handshake.tick(); console.log("after 6 ticks", mb());
await app.stop();
