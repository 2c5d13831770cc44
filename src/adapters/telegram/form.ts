// The gateway operator's form as a private conversation: one question per field, each answer checked as it comes.
// Pure: it keeps what was typed and says what to ask next; it never logs, stores or echoes the token.

import { t } from "../../core/i18n/index.ts";
import type { Lang } from "../../core/types.ts";
import {
  type Checked,
  checkFingerprint,
  checkHost,
  checkPort,
  checkToken,
} from "../../core/validate.ts";
import type { FormField, FormView } from "../../core/view.ts";
import { keepData } from "./ids.ts";
import { escapeHtml, type InlineKeyboard } from "./render.ts";

/**
 * What keeps a pre-filled value (or takes the default of an optional field): the question's "Keep" button sends it
 * for the person; typed by hand it still works.
 */
export const KEEP = "-";

export interface FormState {
  sessionId: string;
  lang: Lang;
  title: string;
  fields: FormField[];
  /** The field being asked. */
  index: number;
  values: Partial<Record<FormField["name"], string>>;
}

export type FormStep =
  | { kind: "ask"; state: FormState }
  | { kind: "invalid"; state: FormState; message: string }
  | {
      kind: "done";
      values: { host: string; port: string; fingerprint: string; token: string };
    };

const CHECKS: Record<FormField["name"], (raw: string) => Checked<unknown>> = {
  host: checkHost,
  port: checkPort,
  fingerprint: checkFingerprint,
  token: checkToken,
};

export function startForm(sessionId: string, form: FormView, lang: Lang): FormState {
  return { sessionId, lang, title: form.title, fields: form.fields, index: 0, values: {} };
}

/** The field being asked, if any is left. */
export function currentField(state: FormState): FormField | undefined {
  return state.fields[state.index];
}

/** Takes one answer for the current field: the next question, the same one again with the fix, or all values. */
export function answerField(state: FormState, input: string): FormStep {
  const field = currentField(state);
  if (!field) return done(state);
  const text = input.trim();
  let value = text;
  if (text === KEEP) {
    if (field.value !== undefined) value = field.value;
    else if (!field.required) value = "";
    else return { kind: "invalid", state, message: t(state.lang, "telegram.form.required") };
  }
  if (value !== "" || field.required) {
    const checked = CHECKS[field.name](value);
    if (!checked.ok)
      return {
        kind: "invalid",
        state,
        message: `${t(state.lang, checked.problem.key, checked.problem.params ?? {})}\n${t(state.lang, "telegram.form.again")}`,
      };
  }
  const next: FormState = {
    ...state,
    index: state.index + 1,
    values: { ...state.values, [field.name]: value },
  };
  return next.index >= next.fields.length ? done(next) : { kind: "ask", state: next };
}

function done(state: FormState): FormStep {
  const v = state.values;
  return {
    kind: "done",
    values: {
      host: v.host ?? "",
      port: v.port ?? "",
      fingerprint: v.fingerprint ?? "",
      token: v.token ?? "",
    },
  };
}

/** The form's opening message: its title and intro, and how answering works. */
export function introHtml(form: FormView, lang: Lang): string {
  return [
    `👉 <b>${escapeHtml(form.title)}</b>`,
    escapeHtml(form.intro),
    escapeHtml(t(lang, "telegram.form.howto")),
  ].join("\n\n");
}

/** The question for the current field: its label, a hint, and what "-" does here. */
export function questionHtml(state: FormState): string {
  const field = currentField(state);
  if (!field) return "";
  const tr = (key: Parameters<typeof t>[1], params?: Record<string, string | number>) =>
    escapeHtml(t(state.lang, key, params));
  const lines = [
    `<b>${state.index + 1}/${state.fields.length} · ${escapeHtml(field.label)}</b>`,
    `${tr("telegram.form.hint")} <code>${escapeHtml(field.placeholder)}</code>`,
  ];
  if (field.value !== undefined)
    lines.push(
      `${tr("telegram.form.current")} <code>${escapeHtml(field.value)}</code>. ${tr("telegram.form.keep")}`,
    );
  else if (!field.required) lines.push(tr("telegram.form.optional"));
  if (field.secret) lines.push(tr("telegram.form.secret"));
  return lines.join("\n");
}

/** The question's button that keeps the value shown (or takes the default); none when there is nothing to keep. */
export function questionKeyboard(state: FormState): InlineKeyboard | undefined {
  const field = currentField(state);
  if (!field || (field.value === undefined && field.required)) return undefined;
  const label = t(
    state.lang,
    field.value !== undefined ? "telegram.form.keepButton" : "telegram.form.defaultButton",
  );
  return {
    inline_keyboard: [[{ text: label, callback_data: keepData(state.sessionId, field.name) }]],
  };
}
