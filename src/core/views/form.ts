// The gateway operator's part of the shared-token handshake: the credentials form (host, port, fingerprint, token),
// the message that asks them to confirm what was read, and what the gateway check found. The form never offers the
// token back, and the card's account of a failed check names the problem, never a value that was typed.
// It decides nothing.

import { t } from "../i18n/index.ts";
import type { DmKind, Lang, Session } from "../types.ts";
import { checkFingerprint } from "../validate.ts";
import type { Block, FormView, MessageView } from "../view.ts";
import { shortFingerprint, wording } from "./shared.ts";

/** The messages to the gateway operator about the credentials they gave. */
export type GatewayOperatorDm = Extract<
  DmKind,
  "confirmCredentials" | "preflightFailed" | "preflightPassed"
>;

/** The gateway operator's message as the session stands: buttons only while the credentials are theirs to give. */
export function gatewayOperatorBody(kind: GatewayOperatorDm, s: Session, lang: Lang): MessageView {
  const { tr, who } = wording(s, lang);
  switch (kind) {
    case "confirmCredentials": {
      const d = s.draft ?? {};
      const pending = s.stage === "awaitingCredentials" && s.secrets.token !== undefined;
      return {
        title: tr("dm.confirmCredentials.title", who),
        tone: pending ? "action" : "neutral",
        blocks: [
          { kind: "text", text: tr("dm.confirmCredentials.body", who) },
          { kind: "field", label: tr("field.host"), value: d.host ?? "?" },
          { kind: "field", label: tr("field.port"), value: d.port ?? "?" },
          { kind: "field", label: tr("field.fingerprint"), value: d.fingerprint ?? "?" },
          { kind: "field", label: tr("field.token"), value: tr("dm.confirmCredentials.tokenRead") },
        ],
        buttons: pending
          ? [
              {
                kind: "action",
                action: "confirmCredentials",
                label: tr("button.confirmCredentials"),
                style: "success",
              },
              {
                kind: "action",
                action: "enterCredentials",
                label: tr("button.editCredentials"),
                style: "secondary",
              },
            ]
          : [],
      };
    }
    case "preflightFailed": {
      const p = s.preflight;
      const blocks: Block[] = [
        {
          kind: "text",
          text: tr("dm.preflightFailed.body", {
            host: s.endpoint?.host ?? "",
            port: s.endpoint?.port ?? "",
          }),
        },
      ];
      if (p && !p.ok) {
        blocks.push({
          kind: "text",
          text: tr(`preflight.${p.problem}`, { detail: p.detail ?? "" }),
        });
        if (p.problem === "fingerprintMismatch" && s.endpoint && p.seenFingerprint) {
          blocks.push({
            kind: "field",
            label: tr("preflight.entered"),
            value: shortFingerprint(s.endpoint.fingerprint),
          });
          blocks.push({
            kind: "field",
            label: tr("preflight.seen"),
            value: shortFingerprint(p.seenFingerprint),
          });
        }
      }
      return {
        title: tr("dm.preflightFailed.title", who),
        tone: "danger",
        blocks,
        buttons:
          s.stage === "awaitingCredentials"
            ? [
                {
                  kind: "action",
                  action: "enterCredentials",
                  label: tr("button.enterCredentials"),
                  style: "primary",
                },
              ]
            : [],
      };
    }
    case "preflightPassed": {
      const closed = s.undelivered.includes("credentials");
      return {
        title: tr(closed ? "dm.preflightPassed.titleClosed" : "dm.preflightPassed.title", who),
        tone: "success",
        blocks: [
          {
            kind: "text",
            text: tr(closed ? "dm.preflightPassed.closed" : "dm.preflightPassed.body", {
              ...who,
              host: s.endpoint?.host ?? "",
              port: s.endpoint?.port ?? "",
            }),
          },
        ],
        buttons: [],
      };
    }
  }
}

/**
 * The gateway operator's form: host, port, fingerprint, token. Pre-filled with what they typed before, never the
 * token, and never a fingerprint the gateway just refused (offering it back invites sending the same mistake again).
 */
export function credentialsForm(s: Session, lang: Lang): FormView {
  const d = { ...s.draft };
  if (refusedFingerprint(s, d.fingerprint)) delete d.fingerprint;
  const field = (
    name: "host" | "port" | "fingerprint" | "token",
    required: boolean,
    value?: string,
  ) => ({
    name,
    label: t(lang, `field.${name}`),
    placeholder: t(lang, `placeholder.${name}`),
    secret: name === "token",
    required,
    ...(value ? { value } : {}),
  });
  return {
    title: t(lang, "form.title", { name: s.displayName }),
    intro: t(lang, "form.intro", { nodeOperator: s.nodeOperator.name }),
    fields: [
      field("host", true, d.host),
      field("port", false, d.port),
      field("fingerprint", true, d.fingerprint),
      field("token", true),
    ],
  };
}

function refusedFingerprint(s: Session, typed: string | undefined): boolean {
  const p = s.preflight;
  if (typed === undefined || !p || p.ok || p.problem !== "fingerprintMismatch") return false;
  const checked = checkFingerprint(typed);
  return checked.ok && checked.value === s.endpoint?.fingerprint;
}

/** What went wrong at the gateway check, for the card: the problem, never a value that was typed. */
export function preflightParams(s: Session, lang: Lang): Record<string, string> {
  const p = s.preflight;
  const problem = p && !p.ok ? t(lang, `preflight.${p.problem}`, { detail: p.detail ?? "" }) : "";
  return { gatewayOperator: s.gatewayOperator?.name ?? "", problem };
}
