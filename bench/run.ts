import { readFile, writeFile } from "node:fs/promises";
import { cpus } from "node:os";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Figure } from "./core/figure.js";

/** The benchmark groups, in the order they run and appear. */
export const BenchGroup = {
  Core: "core",
  Synth: "synth",
  FanOut: "fan-out",
} as const;

/** One of {@link BenchGroup}. */
export type BenchGroup = (typeof BenchGroup)[keyof typeof BenchGroup];

const GROUPS: readonly BenchGroup[] = Object.values(BenchGroup);

/** What one group produced: its figures, or why it did not run. */
export type GroupResult =
  | { readonly group: BenchGroup; readonly figures: readonly Figure[] }
  | { readonly group: BenchGroup; readonly skipped: string };

/** Where and when the figures were measured. */
export interface MachineInfo {
  readonly date: string;
  readonly node: string;
  readonly cpus: number;
  readonly cpuModel: string;
}

/** Parses `--only core|synth|fan-out`; throws naming the bad argument and what is allowed. */
export function parseArgs(argv: readonly string[]): { only?: BenchGroup } {
  if (argv.length === 0) return {};
  const [flag, value, ...rest] = argv;
  const group = GROUPS.find((g) => g === value);
  if (flag !== "--only" || group === undefined || rest.length > 0) {
    throw new Error(
      `arguments: "${argv.join(" ")}" not understood; use no arguments or --only ${GROUPS.join("|")}`,
    );
  }
  return { only: group };
}

/** The figure divided by its baseline; undefined without a (non-zero) baseline. */
export function ratioOf(figure: Figure): number | undefined {
  if (figure.baseline === undefined || figure.baseline === 0) return undefined;
  return figure.value / figure.baseline;
}

/** Whether the figure meets its target; undefined when it has none (or no ratio to judge). */
export function meetsTarget(figure: Figure): boolean | undefined {
  if (figure.target === undefined) return undefined;
  const judged = figure.target.of === "ratio" ? ratioOf(figure) : figure.value;
  return judged === undefined ? undefined : judged <= figure.target.max;
}

/** Rounds to four significant digits, so results.json changes only where a figure does. */
export function roundFigure(n: number): number {
  return Number.isFinite(n) && n !== 0 ? Number(n.toPrecision(4)) : n;
}

/** A number for the table: integers with thousands separators from 1000, else four significant digits. */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Math.abs(n) >= 1000) return Math.round(n).toLocaleString("en-US");
  return String(roundFigure(n));
}

/**
 * Figures of a group module that returns plain named numbers (synth, fan-out). Their keys already
 * name the unit (`synth_1000_ms`), so it is not guessed from them.
 */
export function figuresFromRecord(record: Readonly<Record<string, number>>): Figure[] {
  return Object.entries(record).map(([key, value]) => ({
    key,
    label: key.replaceAll("_", " "),
    value,
    unit: "",
  }));
}

function targetText(figure: Figure): string {
  if (figure.target === undefined) return "";
  return `${figure.target.of === "ratio" ? "ratio" : "value"} <= ${figure.target.max}`;
}

function metText(met: boolean | undefined): string {
  return met === undefined ? "" : met ? "met" : "MISSED";
}

function tableRow(group: string, figure: Figure): string[] {
  const ratio = ratioOf(figure);
  const baseline =
    figure.baseline === undefined
      ? ""
      : `${formatNumber(figure.baseline)} (${figure.baselineLabel ?? "baseline"})`;
  return [
    group,
    figure.label,
    `${formatNumber(figure.value)} ${figure.unit}`.trim(),
    baseline,
    ratio === undefined ? "" : formatNumber(ratio),
    targetText(figure),
    metText(meetsTarget(figure)),
  ];
}

/** The results as an aligned plain-text table, one row per figure and one per skipped group. */
export function formatTable(results: readonly GroupResult[]): string {
  const header = ["group", "figure", "value", "baseline", "ratio", "target", ""];
  const rows = results.flatMap((result) =>
    "skipped" in result
      ? [[result.group, `skipped: ${result.skipped}`, "", "", "", "", ""]]
      : result.figures.map((figure) => tableRow(result.group, figure)),
  );
  const widths = header.map((_, i) =>
    Math.max(...[header, ...rows].map((r) => (r[i] ?? "").length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, i) =>
        i === 2 || i === 4 ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0),
      )
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

function figureJson(figure: Figure): Record<string, unknown> {
  const ratio = ratioOf(figure);
  return {
    label: figure.label,
    value: roundFigure(figure.value),
    unit: figure.unit,
    ...(figure.baseline === undefined
      ? {}
      : {
          baseline: roundFigure(figure.baseline),
          baseline_label: figure.baselineLabel ?? "baseline",
        }),
    ...(ratio === undefined ? {} : { ratio: roundFigure(ratio) }),
    ...(figure.target === undefined
      ? {}
      : { target: targetText(figure), met: meetsTarget(figure) ?? null }),
  };
}

/**
 * `bench/results.json`: groups in a fixed order, figures in the order measured, fixed field order,
 * four significant digits. Groups that did not run this time keep their previous entry.
 */
export function resultsJson(
  results: readonly GroupResult[],
  machine: MachineInfo,
  previous: Readonly<Record<string, unknown>> = {},
): string {
  const groups: Record<string, unknown> = {};
  for (const group of GROUPS) {
    const result = results.find((r) => r.group === group);
    if (result !== undefined && !("skipped" in result)) {
      groups[group] = {
        measured: {
          date: machine.date,
          node: machine.node,
          cpus: machine.cpus,
          cpu_model: machine.cpuModel,
        },
        figures: Object.fromEntries(result.figures.map((f) => [f.key, figureJson(f)])),
      };
    } else if (previous[group] !== undefined) {
      groups[group] = previous[group];
    } else if (result !== undefined) {
      groups[group] = { skipped: result.skipped };
    }
  }
  return `${JSON.stringify(groups, null, 2)}\n`;
}

type GroupModule = () => Promise<Record<string, number>>;

/** Imports an optional group module; undefined when its file does not exist yet. */
async function optionalGroup(file: string, exportName: string): Promise<GroupModule | undefined> {
  const url = new URL(file, import.meta.url);
  let loaded: Record<string, unknown>;
  try {
    loaded = (await import(url.href)) as Record<string, unknown>;
  } catch (error) {
    const e = error as { code?: string; url?: string; message?: string };
    const missing =
      e.code === "ERR_MODULE_NOT_FOUND" &&
      (e.url === url.href || (e.message ?? "").includes(fileURLToPath(url)));
    if (missing) return undefined;
    throw error;
  }
  const run = loaded[exportName];
  return typeof run === "function" ? (run as GroupModule) : undefined;
}

async function runGroup(group: BenchGroup): Promise<GroupResult> {
  const started = performance.now();
  process.stderr.write(`${group}: running...\n`);
  let figures: Figure[];
  if (group === BenchGroup.Core) {
    const { benchCore } = await import("./core/bench-core.js");
    figures = await benchCore((step) => process.stderr.write(`  ${step}\n`));
  } else {
    const run =
      group === BenchGroup.Synth
        ? await optionalGroup("./synth.js", "benchSynth")
        : await optionalGroup("./fan-out.js", "benchFanOut");
    if (run === undefined) {
      process.stderr.write(`${group}: skipped: not built yet\n`);
      return { group, skipped: "not built yet" };
    }
    figures = figuresFromRecord(await run());
  }
  process.stderr.write(
    `${group}: done in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
  );
  return { group, figures };
}

async function readPrevious(file: URL): Promise<Record<string, unknown>> {
  try {
    return JSON.parse(await readFile(file, "utf8")) as Record<string, unknown>;
  } catch {
    return {};
  }
}

/** `npm run bench [-- --only core|synth|fan-out]`: runs the groups, prints the table, writes the JSON. */
export async function main(argv: readonly string[]): Promise<void> {
  const { only } = parseArgs(argv);
  // Node 20 here, 22+ on Lambda: the AWS SDK's notice about Node 20 would only add noise.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  const results: GroupResult[] = [];
  for (const group of GROUPS) {
    if (only === undefined || only === group) results.push(await runGroup(group));
  }
  const machine: MachineInfo = {
    date: new Date().toISOString().slice(0, 10),
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model.trim() ?? "unknown",
  };
  process.stdout.write(
    `\n${machine.date}, Node ${machine.node}, ${machine.cpus} CPUs (${machine.cpuModel})\n\n${formatTable(results)}\n`,
  );
  const file = new URL("./results.json", import.meta.url);
  await writeFile(file, resultsJson(results, machine, await readPrevious(file)));
  process.stdout.write(`\nwritten: ${fileURLToPath(file)}\n`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(
      `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  });
}
