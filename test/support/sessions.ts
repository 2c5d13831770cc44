// Sessions for tests of stores and flows, made by the real machine so they have every field a real one has.

import { open } from "../../src/core/machine.ts";
import { Secret } from "../../src/core/secret.ts";
import type { Session } from "../../src/core/types.ts";
import { bob } from "./actors.ts";

/**
 * A session as `/connect-node` opens it, with the defaults tests share: session "s1" for "build-1", asked by bob on the
 * console, 30 minutes to live, no self-approval. `extra` overrides any of them.
 */
export function opened(
  extra: Partial<Parameters<typeof open>[0]> = {},
  mode: Session["mode"] = "setupLink",
  now = 1_700_000_000_000,
): Session {
  return open(
    {
      id: "s1",
      mode,
      channel: { platform: "console", id: "team" },
      displayName: "build-1",
      requester: bob,
      ttlMs: 30 * 60_000,
      allowSelfApproval: false,
      ...extra,
    },
    now,
  ).session;
}

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
