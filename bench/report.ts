// Turns the figures into what people read: a plain-text table for the terminal and a Markdown block for the README.
// Only formats: it never changes a figure, and it never writes outside the README's bench markers.

import { readFileSync, writeFileSync } from "node:fs";
import { DESCRIPTIONS, METRICS, type Metric, TARGETS } from "./result.ts";

export const README_START = "<!-- bench:start -->";
export const README_END = "<!-- bench:end -->";

export type Figures = Record<Metric, number | null>;

function unit(metric: Metric): string {
  if (metric.includes("_ms")) return "ms";
  if (metric.includes("per_s")) return "/s";
  if (metric.includes("per_min")) return "/min";
  if (metric.includes("_mb")) return "MB";
  return "";
}

function value(metric: Metric, figure: number | null): string {
  return figure === null ? "not measured" : `${figure.toLocaleString("en-US")} ${unit(metric)}`;
}

function target(metric: Metric): string {
  const goal = TARGETS[metric];
  if (!goal) return "(reported)";
  return `${goal.kind === "max" ? "≤" : "≥"} ${goal.value.toLocaleString("en-US")} ${unit(metric)}`;
}

/** "yes", "no", "n/a" (not measured) or "" (no target: reported for comparison). */
export function met(metric: Metric, figure: number | null): string {
  const goal = TARGETS[metric];
  if (!goal) return "";
  if (figure === null) return "n/a";
  return (goal.kind === "max" ? figure <= goal.value : figure >= goal.value) ? "yes" : "no";
}

function rows(figures: Figures): string[][] {
  return METRICS.map((metric) => [
    metric,
    value(metric, figures[metric]),
    target(metric),
    met(metric, figures[metric]),
  ]);
}

/** The table for the terminal, columns padded. */
export function textTable(figures: Figures): string {
  const all = [["metric", "value", "target", "met?"], ...rows(figures)];
  const widths =
    all[0]?.map((_, column) => Math.max(...all.map((row) => (row[column] ?? "").length))) ?? [];
  return all
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column] ?? 0))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

/** The README block: the table, when and where it was measured, and the command that reproduces it. */
export function readmeBlock(
  figures: Figures,
  where: { machine: string; date: string; short: boolean; load: string },
): string {
  const table = [
    "| what | figure | value | target | met? |",
    "|---|---|---:|---|---|",
    ...rows(figures).map(
      (row) =>
        `| ${DESCRIPTIONS[row[0] as Metric]} | \`${row[0]}\` | ${row.slice(1).join(" | ")} |`,
    ),
  ];
  return [
    ...table,
    "",
    `Measured ${where.date} on ${where.machine}${where.short ? ", in short mode (few samples; CI)" : ""}; ${where.load}.`,
    `Reproduce with \`npm run bench\` (\`-- --json\` for one JSON object, \`-- --update-readme\` to rewrite this table);`,
    "the parts against the real OpenClaw gateway need root and iproute2, as its tests do.",
  ].join("\n");
}

/** Replaces what is between the README's bench markers, and nothing else. */
export function updateReadme(path: string, block: string): void {
  const text = readFileSync(path, "utf8");
  const start = text.indexOf(README_START);
  const end = text.indexOf(README_END);
  if (start < 0 || end < start)
    throw new Error(`${path} has no ${README_START} … ${README_END} block to update`);
  writeFileSync(
    path,
    `${text.slice(0, start + README_START.length)}\n${block}\n${text.slice(end)}`,
  );
}
