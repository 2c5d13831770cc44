// What people see of least privilege: the approval's choice of commands, the grant on the card and in the node
// operator's message, the capability approval's warnings, and the message when a node exceeded its grant.
// Pure rendering (the views in src/core/views/ compose these); it decides nothing, and shows command ids only, never
// a secret.

import { quotePosix } from "./commands.ts";
import {
  beyond,
  firstChoice,
  type Grant,
  type GrantChoice,
  isSafeGrant,
  PROGRAM_RUNNING,
  programRunning,
  withoutProgramRunning,
} from "./grant.ts";
import { type MessageKey, t } from "./i18n/index.ts";
import { votes } from "./quorum.ts";
import { capabilitySubject } from "./subject.ts";
import type { CapabilityApproval, Lang, Session } from "./types.ts";
import type { Block, Button, MessageView } from "./view.ts";

/** A grant in words: everything, all but running programs, or the list itself. */
export function grantText(grant: Grant | undefined, lang: Lang): string {
  if (grant?.commands === undefined) return t(lang, "grant.all");
  if (isSafeGrant(grant)) return t(lang, "grant.safe");
  return t(lang, "grant.only", { commands: grant.commands.join(", ") });
}

function choiceText(choice: GrantChoice, s: Session, lang: Lang): string {
  if (choice === "all") return t(lang, "grant.all");
  if (choice === "safe") return t(lang, "grant.safe");
  return t(lang, "grant.only", { commands: (s.askedCommands ?? []).join(", ") });
}

/** The choices an approver has on this request, the default (`CLAWSHAKE_DEFAULT_COMMANDS`, or what was asked) first. */
export function grantChoices(s: Session): GrantChoice[] {
  const offered: GrantChoice[] = s.askedCommands ? ["asked", "safe", "all"] : ["safe", "all"];
  const first = firstChoice(s);
  return [first, ...offered.filter((c) => c !== first)];
}

/** The request approval's command blocks: what was asked, the choice explained, and each approver's choice so far. */
export function requestGrantBlocks(s: Session, lang: Lang): Block[] {
  const blocks: Block[] = [];
  if (s.askedCommands)
    blocks.push({
      kind: "field",
      label: t(lang, "grant.asked"),
      value: s.askedCommands.join(", "),
    });
  blocks.push({
    kind: "text",
    text: t(lang, s.askedCommands ? "grant.choose" : "grant.chooseNoAsked", {
      programs: PROGRAM_RUNNING.join(", "),
      nodeOperator: s.nodeOperator.name,
    }),
  });
  for (const d of votes(s, "request"))
    if (d.approved && d.by !== "elsewhere")
      blocks.push({
        kind: "text",
        text: t(lang, "grant.voted", {
          name: d.by.name,
          grant: choiceText(d.grant ?? "all", s, lang),
        }),
      });
  return blocks;
}

const BUTTON: Record<GrantChoice, MessageKey> = {
  all: "grant.button.all",
  safe: "grant.button.safe",
  asked: "grant.button.asked",
};

/** One approve button per choice (its target names the choice), the default first and green, then reject. */
export function requestButtons(s: Session, lang: Lang): Button[] {
  return [
    ...grantChoices(s).map(
      (choice, i): Button => ({
        kind: "action",
        action: "approveRequest",
        label: t(lang, BUTTON[choice]),
        style: i === 0 ? "success" : "secondary",
        target: choice,
      }),
    ),
    { kind: "action", action: "rejectRequest", label: t(lang, "button.reject"), style: "danger" },
  ];
}

/** The card's lines: the grant once there is one, what the gateway granted, and a node taken away again. */
export function cardGrantBlocks(s: Session, lang: Lang): Block[] {
  const blocks: Block[] = [];
  if (s.grant || (s.mode === "setupLink" && s.stage !== "awaitingApproval"))
    blocks.push({ kind: "field", label: t(lang, "grant.field"), value: grantText(s.grant, lang) });
  if (s.checkingGrant) blocks.push({ kind: "text", text: t(lang, "grant.checking") });
  blocks.push(...narrowedBlocks(s, lang));
  if (s.granted)
    blocks.push({
      kind: "field",
      label: t(lang, "grant.granted"),
      value: s.granted.length ? s.granted.join(", ") : "—",
    });
  blocks.push(...revokedBlocks(s, lang, false));
  return blocks;
}

/** `privately`: the node id (to remove it by hand) goes into the private messages about it, never onto the card. */
function revokedBlocks(s: Session, lang: Lang, privately: boolean): Block[] {
  const r = s.revoked;
  if (!r) return [];
  const why =
    s.failure?.reason === "grantExceeded"
      ? t(lang, "grant.exceeded", { commands: r.excess.join(", ") })
      : t(lang, "grant.unverified");
  const outcome =
    r.removed === "pending"
      ? t(lang, "grant.removing")
      : r.removed
        ? t(lang, "grant.removed")
        : !privately
          ? t(lang, "grant.notRemovedCard")
          : r.nodeId
            ? t(lang, "grant.notRemoved", { nodeId: quotePosix(r.nodeId) })
            : // No id: its name may be another node's too, so no command that would remove by name.
              t(lang, "grant.notRemovedUnknown");
  return [
    { kind: "text", text: why },
    { kind: "text", text: outcome },
  ];
}

/** The node operator's link message: what the link is for, when the approvers limited it. */
export function linkGrantBlocks(s: Session, lang: Lang): Block[] {
  if (!s.grant?.commands) return [];
  return [{ kind: "text", text: t(lang, "grant.link", { grant: grantText(s.grant, lang) }) }];
}

/**
 * The capability approval's warnings: which of the commands run programs, and which go beyond what the command sent
 * to the node operator carried (a node started without its `--commands`). The approval itself stays exact.
 */
export function capabilityGrantBlocks(s: Session, c: CapabilityApproval, lang: Lang): Block[] {
  const blocks: Block[] = [];
  const programs = programRunning(c.commands);
  if (programs.length)
    blocks.push({
      kind: "text",
      text: t(lang, "grant.programs", { commands: programs.join(", ") }),
    });
  // Once an approver asked for fewer, the message says that instead (narrowedBlocks).
  const extra = isNarrowed(s, c) ? [] : beyond(s.grant, c.commands);
  if (extra.length)
    blocks.push({
      kind: "text",
      text: t(lang, "grant.beyond", {
        grant: grantText(s.grant, lang),
        commands: extra.join(", "),
        nodeOperator: s.nodeOperator.name,
      }),
    });
  return blocks;
}

/** Whether an approver already asked for fewer commands than this (pending) capability request holds. */
export function isNarrowed(s: Session, c: CapabilityApproval): boolean {
  return s.narrowed?.shown === capabilitySubject(c);
}

/** "Ask for fewer" next to a capability request's approval, where some of its commands run programs. */
export function narrowButton(c: CapabilityApproval, lang: Lang): Button[] {
  if (!withoutProgramRunning(c.commands)) return [];
  return [
    {
      kind: "action",
      action: "narrowCapability",
      label: t(lang, "grant.button.narrow"),
      style: "secondary",
      target: capabilitySubject(c),
    },
  ];
}

/** The approver's ask for fewer commands while it still holds: the request it was made on still waits. */
export function pendingNarrowing(s: Session): Session["narrowed"] {
  const c = s.capabilityApproval;
  return s.stage === "capabilityPending" && c && isNarrowed(s, c) ? s.narrowed : undefined;
}

/** What the capability message and the card say once an approver asked for fewer commands. */
export function narrowedBlocks(s: Session, lang: Lang): Block[] {
  const n = pendingNarrowing(s);
  if (!n) return [];
  return [
    {
      kind: "text",
      text: t(lang, "grant.narrowedText", {
        by: n.by.name,
        nodeOperator: s.nodeOperator.name,
        commands: n.commands.join(", "),
      }),
    },
  ];
}

/** To the approvers, the node operator and the requester: the node was taken off the gateway (or could not be). */
export function grantExceededView(
  s: Session,
  lang: Lang,
  connectNode: string,
): Omit<MessageView, "sessionId"> {
  return {
    title: t(lang, "dm.grantExceeded.title", { name: s.displayName }),
    tone: "danger",
    blocks: [
      ...revokedBlocks(s, lang, true),
      {
        kind: "text",
        text: t(lang, "dm.grantExceeded.approved", { grant: grantText(s.grant, lang) }),
      },
      { kind: "text", text: t(lang, "dm.grantExceeded.again", { connectNode }) },
    ],
    buttons: [],
  };
}
