// Sessions for tests of stores and flows, made by the real machine so they have every field a real one has.

import { open } from "../../src/core/machine.ts";
import { Secret } from "../../src/core/secret.ts";
import type { Session } from "../../src/core/types.ts";
import { bob } from "./actors.ts";

export const TOKEN_VALUE = "tok_9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f";

export function sampleSession(id: string, now = 1_700_000_000_000): Session {
  const session = open(
    {
      id,
      mode: "sharedToken",
      channel: { platform: "console", id: "team" },
      displayName: `node-${id}`,
      requester: bob,
      ttlMs: 1_800_000,
      allowSelfApproval: false,
    },
    now,
  ).session;
  return { ...session, secrets: { token: new Secret(TOKEN_VALUE) } };
}
