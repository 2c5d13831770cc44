// `/connect-node <display name>`: checks the name and the reason, applies the per-person rate limit, refuses a name
// already live on that platform, chooses the mode (setup link or shared token), then creates the session and runs its
// first effects. A refusal is answered to the requester only; nothing is stored for it. Never logs a Secret.

import { auditRecords } from "../core/audit.ts";
import { checkCommands } from "../core/grant.ts";
import { t } from "../core/i18n/index.ts";
import { open as openSession } from "../core/machine.ts";
import type { GatewayInfo, Responder } from "../core/ports.ts";
import type {
  Actor,
  ChannelRef,
  GatewayProblem,
  Mode,
  Origin,
  Session,
  UserRef,
} from "../core/types.ts";
import { problemOf, userKey } from "../core/types.ts";
import { checkDisplayName, checkReason } from "../core/validate.ts";
import { chatFor, errorSummary, type FlowContext, gatewayInfo, withinLimit } from "./context.ts";
import { answer } from "./private-messages.ts";
import { runOutbox } from "./session-loop.ts";

export interface OpenInput {
  channel: ChannelRef;
  displayName: string;
  /** Why the requester wants the node, as they typed it (unchecked; `open` checks it). */
  reason?: string;
  /** The node commands the requester asks for, as typed (unchecked; `open` checks it). */
  commands?: string;
  requester: Actor;
  nodeOperator?: UserRef;
  /** Where and by whom, as the platform names them now; shown in every approval DM. */
  origin?: Origin;
}

/** `/connect-node <display name>`: validates the name and opens a session in the right mode. */
export async function open(
  ctx: FlowContext,
  input: OpenInput,
  responder?: Responder,
): Promise<Session | undefined> {
  const { log, settings, store } = ctx.deps;
  const lang = input.requester.lang;
  /** A refusal, for the requester only; nothing is stored. */
  const refuse = async (text: string): Promise<undefined> => {
    await answer(ctx, input.requester, responder, text);
    return undefined;
  };
  const name = checkDisplayName(input.displayName);
  if (!name.ok) {
    // A hint names the command as the requester's platform spells it (Telegram: /connect_node).
    const { connectNode } = chatFor(ctx, input.requester.platform).commands;
    return refuse(t(lang, name.problem.key, { connectNode, ...name.problem.params }));
  }
  const reason = checkReason(input.reason);
  if (!reason.ok || (reason.value === undefined && settings.requireReason)) {
    const { connectNode } = chatFor(ctx, input.requester.platform).commands;
    const problem = reason.ok
      ? {
          // Discord asks for it in an option of the command; the others take it after the name.
          key:
            input.requester.platform === "discord"
              ? ("validate.reason.requiredOption" as const)
              : ("validate.reason.required" as const),
        }
      : reason.problem;
    return refuse(
      t(lang, problem.key, { connectNode, ...("params" in problem ? problem.params : {}) }),
    );
  }
  const commands = checkCommands(input.commands);
  if (!commands.ok) return refuse(t(lang, commands.problem.key, commands.problem.params));
  if (
    !withinLimit(ctx, ctx.opens, userKey(input.requester), settings.connectLimitPerHour, 3_600_000)
  )
    return refuse(t(lang, "notice.rateLimited", { limit: settings.connectLimitPerHour }));
  const clash = (await store.activeNamed(name.value)).find(
    (s) => s.channel.platform === input.channel.platform,
  );
  if (clash) return refuse(t(lang, "notice.duplicateName", { name: name.value }));
  const { mode, fallbackReason } = await chooseMode(ctx);
  const decision = openSession(
    {
      id: ctx.deps.newId(),
      mode,
      ...(fallbackReason ? { fallbackReason } : {}),
      channel: input.channel,
      ...(input.origin ? { origin: input.origin } : {}),
      displayName: name.value,
      requester: input.requester,
      ...(input.nodeOperator ? { nodeOperator: input.nodeOperator } : {}),
      ttlMs: settings.ttlMs,
      allowSelfApproval: settings.allowSelfApproval,
      ...(reason.value ? { reason: reason.value } : {}),
      ...(settings.approvalsRequired ? { approvalsRequired: settings.approvalsRequired } : {}),
      ...(commands.value ? { askedCommands: commands.value } : {}),
      ...(settings.defaultGrant ? { defaultGrant: settings.defaultGrant } : {}),
      ...(settings.remindAfterMs ? { remindAfterMs: settings.remindAfterMs } : {}),
    },
    ctx.deps.clock.now(),
  );
  await store.create(
    decision.session,
    decision.effects,
    auditRecords(undefined, decision.session, undefined),
  );
  log.info(
    {
      session: decision.session.id,
      actor: userKey(input.requester),
      mode,
      stage: decision.session.stage,
    },
    "session opened",
  );
  ctx.waiting += 1;
  await runOutbox(ctx, decision.session.id);
  return decision.session;
}

/** In "auto" mode, setup links where the gateway can mint them; otherwise the shared token, with the typed reason. */
async function chooseMode(
  ctx: FlowContext,
): Promise<{ mode: Mode; fallbackReason?: GatewayProblem }> {
  const { settings, log } = ctx.deps;
  if (settings.mode !== "auto") return { mode: settings.mode };
  const info = await gatewayInfo(ctx).catch(
    (error: unknown): GatewayInfo => ({
      path: "none",
      canMint: false,
      mintUnavailable: problemOf(error),
      mintUnavailableReason: errorSummary(error),
    }),
  );
  if (info.canMint) return { mode: "setupLink" };
  // The gateway's own words go to the log; the card says the typed reason.
  log.info({ reason: info.mintUnavailableReason }, "setup links are off: using the shared token");
  return { mode: "sharedToken", fallbackReason: info.mintUnavailable ?? "other" };
}
