// The node operator's private messages: the setup link or the shared token's credentials with the commands to run,
// the re-run step, the re-run with fewer commands, and "connected". These are the only views that carry a secret,
// and only while it is live: once the session moved on, the message says why the secret is gone. It decides nothing.

import { rerunScript, setupLinkScript, sharedTokenScript } from "../commands.ts";
import { linkGrantBlocks, pendingNarrowing } from "../grant-views.ts";
import { type MessageKey, t } from "../i18n/index.ts";
import type { DmKind, Lang, Session } from "../types.ts";
import { isTerminal } from "../types.ts";
import type { Block, MessageView } from "../view.ts";
import { formatDuration, type ViewContext, wording } from "./shared.ts";

/** The messages to the person who runs the node. */
export type NodeOperatorDm = Extract<
  DmKind,
  "setupLink" | "credentials" | "rerun" | "connected" | "narrowed"
>;

/** The node operator's message as the session stands: the secret in it only while it is live. */
export function nodeOperatorBody(
  kind: NodeOperatorDm,
  s: Session,
  lang: Lang,
  ctx: ViewContext,
): MessageView {
  const { tr, who } = wording(s, lang);
  const open = !isTerminal(s.stage);
  switch (kind) {
    case "setupLink": {
      const code = s.secrets.setupCode;
      if (!code || s.stage !== "linkSent")
        return {
          title: tr("dm.setupLink.title", who),
          tone: "neutral",
          blocks: [{ kind: "text", text: tr(redactedReason(s)) }],
          buttons: [],
        };
      const minutes = s.setupLink
        ? Math.max(0, Math.round((s.setupLink.expiresAt - ctx.now) / 60_000))
        : 10;
      return {
        title: tr("dm.setupLink.title", who),
        tone: "action",
        blocks: [
          { kind: "text", text: tr("dm.setupLink.body", { ...who, minutes }) },
          ...linkGrantBlocks(s, lang),
          {
            kind: "code",
            shell: "posix",
            text: setupLinkScript(
              {
                setupCode: code,
                displayName: s.displayName,
                service: false,
                ...scriptExtras(s, ctx),
              },
              "posix",
              lang,
            ).text,
          },
          { kind: "text", text: tr("dm.setupLink.service") },
          {
            kind: "code",
            shell: "posix",
            text: setupLinkScript(
              {
                setupCode: code,
                displayName: s.displayName,
                service: true,
                ...scriptExtras(s, ctx),
              },
              "posix",
              lang,
            ).text,
          },
          { kind: "text", text: tr("dm.setupLink.powershell") },
          {
            kind: "code",
            shell: "powershell",
            text: setupLinkScript(
              {
                setupCode: code,
                displayName: s.displayName,
                service: false,
                ...scriptExtras(s, ctx),
              },
              "powershell",
              lang,
            ).text,
          },
        ],
        buttons: [],
      };
    }
    case "credentials": {
      const token = s.secrets.token;
      const e = s.endpoint;
      if (!token || !e || !open)
        return {
          title: tr("dm.credentials.title", who),
          tone: "neutral",
          blocks: [{ kind: "text", text: tr(redactedReason(s)) }],
          buttons: [],
        };
      const input = {
        host: e.host,
        port: e.port,
        fingerprint: e.fingerprint,
        displayName: s.displayName,
        token,
        ...scriptExtras(s, ctx),
      };
      return {
        title: tr("dm.credentials.title", who),
        tone: "action",
        blocks: [
          {
            kind: "text",
            text: tr("dm.credentials.body", {
              ...who,
              gatewayOperator: s.gatewayOperator?.name ?? "",
            }),
          },
          { kind: "field", label: tr("field.host"), value: e.host },
          { kind: "field", label: tr("field.port"), value: String(e.port) },
          { kind: "field", label: tr("field.fingerprint"), value: e.fingerprint },
          { kind: "text", text: tr("dm.credentials.run") },
          {
            kind: "code",
            shell: "posix",
            text: sharedTokenScript(input, "run", "posix", lang).text,
          },
          { kind: "text", text: tr("dm.credentials.powershell") },
          {
            kind: "code",
            shell: "powershell",
            text: sharedTokenScript(input, "run", "powershell", lang).text,
          },
          { kind: "text", text: tr("dm.credentials.install") },
        ],
        buttons: [],
      };
    }
    case "rerun":
      return { title: tr("dm.rerun.title", who), ...rerunBody(s, lang, ctx), buttons: [] };
    case "connected":
      return {
        title: tr("dm.connected.title", who),
        tone: "success",
        blocks: [
          {
            kind: "text",
            text: tr("dm.connected.body", {
              ...who,
              elapsed: formatDuration((s.connectedAt ?? ctx.now) - s.createdAt),
            }),
          },
        ],
        buttons: [],
      };
    case "narrowed":
      return { title: tr("dm.narrowed.title", who), ...narrowedBody(s, lang, ctx), buttons: [] };
  }
}

/**
 * The re-run step while the node is paused: the same `node run` command, without the token (still set in that
 * terminal). Once the node reached the gateway again, by itself or re-run, the message says it is no longer needed.
 */
function rerunBody(s: Session, lang: Lang, ctx: ViewContext): Pick<MessageView, "tone" | "blocks"> {
  const tr = (key: MessageKey) => t(lang, key, { name: s.displayName });
  if (s.stage !== "awaitingRerun")
    return {
      tone: "neutral",
      blocks: [
        {
          kind: "text",
          text: tr(
            isTerminal(s.stage) && s.stage !== "connected" ? "dm.rerun.ended" : "dm.rerun.done",
          ),
        },
      ],
    };
  return {
    tone: "action",
    blocks: [
      { kind: "text", text: tr("dm.rerun.body") },
      ...rerunBlocks(s, lang, ctx),
      { kind: "text", text: tr("dm.rerun.service") },
    ],
  };
}

/** The node operator's way to ask again with fewer commands: the re-run command with the narrowed `--commands`. */
function narrowedBody(
  s: Session,
  lang: Lang,
  ctx: ViewContext,
): Pick<MessageView, "tone" | "blocks"> {
  const n = pendingNarrowing(s);
  if (!n || !s.endpoint)
    return {
      tone: "neutral",
      blocks: [{ kind: "text", text: t(lang, "dm.rerun.done", { name: s.displayName }) }],
    };
  // Asking for fewer made them the grant, so the re-run command carries them.
  return {
    tone: "action",
    blocks: [
      {
        kind: "text",
        text: t(lang, "dm.narrowed.body", { by: n.by.name, commands: n.commands.join(", ") }),
      },
      ...rerunBlocks(s, lang, ctx),
    ],
  };
}

/** The same `node run` again, in both shells, for the terminal the token is still set in; none without an endpoint. */
function rerunBlocks(s: Session, lang: Lang, ctx: ViewContext): Block[] {
  const e = s.endpoint;
  if (!e) return [];
  const input = {
    host: e.host,
    port: e.port,
    fingerprint: e.fingerprint,
    displayName: s.displayName,
    ...scriptExtras(s, ctx),
  };
  return [
    { kind: "code", shell: "posix", text: rerunScript(input, "posix", lang).text },
    { kind: "text", text: t(lang, "dm.credentials.powershell") },
    { kind: "code", shell: "powershell", text: rerunScript(input, "powershell", lang).text },
  ];
}

/** What every script for this session carries besides its secret: the gateway's version, the command allowlist. */
function scriptExtras(
  s: Session,
  ctx: ViewContext,
): { gatewayVersion?: string; commands?: string[] } {
  return { ...versionOf(ctx), ...(s.grant?.commands ? { commands: s.grant.commands } : {}) };
}

/** What the scripts need to check the node's openclaw against the gateway's version, when it is known. */
function versionOf(ctx: ViewContext): { gatewayVersion?: string } {
  return ctx.gatewayVersion === undefined ? {} : { gatewayVersion: ctx.gatewayVersion };
}

/** Why the node operator's message no longer shows its secret. */
function redactedReason(s: Session): MessageKey {
  if (s.stage === "connected") return "dm.redacted.connected";
  if (s.stage === "redeemed") return "dm.redacted.redeemed";
  if (s.stage === "linkExpired") return "dm.redacted.linkExpired";
  if (isTerminal(s.stage)) return "dm.redacted.ended";
  return "dm.redacted.lost";
}
