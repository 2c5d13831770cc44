// The bot's own operator connection to a real gateway started by the harness: its device is approved once by the
// gateway's admin, as the README says, and it is returned once connected. Shared by the tests and the benchmark.

import { setTimeout as sleep } from "node:timers/promises";
import { EventGateway, type EventGatewayOptions } from "../../src/adapters/openclaw/events.ts";
import { Secret } from "../../src/core/secret.ts";
import type { Gateway } from "../openclaw/harness.ts";

/** `tuning` shortens the connection's own retry and poll intervals for tests; the benchmark keeps production's. */
export async function operatorConnection(
  gw: Gateway,
  dataDir: string,
  tuning: Pick<EventGatewayOptions, "pausedRetryMs" | "statusPollMs"> = {},
): Promise<EventGateway> {
  const events = new EventGateway({
    url: gw.url,
    token: new Secret(gw.token),
    fingerprint: gw.fingerprint,
    dataDir,
    configPath: gw.configPath,
    ...tuning,
  });
  const first = await events.ready(30_000);
  if (first.status === "pairingRequired") {
    const approved = await gw.cli(["devices", "approve", first.requestId ?? "--latest"], {
      json: true,
    });
    if (approved.exitCode !== 0)
      throw new Error(`approving the bot's device failed: ${approved.stdout}${approved.stderr}`);
  }
  const deadline = Date.now() + 30_000;
  while (events.state().status !== "connected") {
    if (Date.now() > deadline)
      throw new Error(
        `the bot's operator connection did not come up: ${JSON.stringify(events.state())}`,
      );
    await sleep(100);
  }
  return events;
}
