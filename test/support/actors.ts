// People for tests: a requester, a node operator, a gateway operator, approvers and a stranger, on the console platform.

import type { Actor } from "../../src/core/types.ts";

export function person(
  name: string,
  roles: { approver?: boolean; gatewayOperator?: boolean } = {},
  via: Actor["via"] = "channel",
): Actor {
  return {
    platform: "console",
    id: name,
    name,
    lang: "en",
    isApprover: roles.approver ?? false,
    isGatewayOperator: roles.gatewayOperator ?? false,
    via,
  };
}

export const bob = person("bob"); // asks for the node and runs it
export const carol = person("carol", { gatewayOperator: true }); // runs the gateway
export const alice = person("alice", { approver: true }, "dm"); // approves, in a private chat
export const dave = person("dave", { approver: true }, "dm"); // a second approver
export const eve = person("eve"); // a stranger

export function inChannel(actor: Actor): Actor {
  return { ...actor, via: "channel" };
}
