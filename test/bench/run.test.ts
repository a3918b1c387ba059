import { describe, expect, it } from "vitest";
import type { Figure } from "../../bench/core/figure.js";
import {
  figuresFromRecord,
  formatNumber,
  formatTable,
  type GroupResult,
  type MachineInfo,
  meetsTarget,
  parseArgs,
  ratioOf,
  resultsJson,
  roundFigure,
} from "../../bench/run.js";

const requests: Figure = {
  key: "requests_per_dispatch",
  label: "requests per dispatch",
  value: 1.001,
  unit: "requests",
  baseline: 2,
  baselineLabel: "bare handler",
  target: { of: "value", max: 1.001 },
};

const cold: Figure = {
  key: "cold_ms",
  label: "cold path",
  value: 300,
  unit: "ms",
  baseline: 200,
  baselineLabel: "bare handler",
  target: { of: "ratio", max: 1.2 },
};

const machine: MachineInfo = {
  date: "2026-11-25",
  node: "v20.20.2",
  cpus: 2,
  cpuModel: "Test CPU",
};

describe("parseArgs", () => {
  it.each([
    [[], {}],
    [["--only", "core"], { only: "core" }],
    [["--only", "synth"], { only: "synth" }],
    [["--only", "fan-out"], { only: "fan-out" }],
  ])("reads %j", (argv, expected) => {
    expect(parseArgs(argv)).toEqual(expected);
  });

  it.each([[["--only"]], [["--only", "cpu"]], [["core"]], [["--only", "core", "extra"]]])(
    "throws naming the allowed groups for %j",
    (argv) => {
      expect(() => parseArgs(argv)).toThrow(/--only core\|synth\|fan-out/);
    },
  );
});

describe("ratioOf", () => {
  it("divides the figure by its baseline", () => {
    expect(ratioOf(requests)).toBeCloseTo(0.5005, 6);
    expect(ratioOf(cold)).toBeCloseTo(1.5, 6);
  });

  it.each([
    ["no baseline", { ...cold, baseline: undefined }],
    ["a zero baseline", { ...cold, baseline: 0 }],
  ])("is undefined with %s", (_, figure) => {
    expect(ratioOf(figure)).toBeUndefined();
  });
});

describe("meetsTarget", () => {
  it.each([
    ["a value at its bound", requests, true],
    ["a value over its bound", { ...requests, value: 1.002 }, false],
    ["a ratio over its bound", cold, false],
    ["a ratio within its bound", { ...cold, value: 240 }, true],
    ["a figure without target", { ...cold, target: undefined }, undefined],
    ["a ratio target without baseline", { ...cold, baseline: undefined }, undefined],
  ])("judges %s", (_, figure, expected) => {
    expect(meetsTarget(figure)).toBe(expected);
  });
});

describe("formatNumber", () => {
  it.each([
    [1.0014999, "1.001"],
    [0.61234, "0.6123"],
    [113.904595, "113.9"],
    [1017701, "1,017,701"],
    [2, "2"],
    [0, "0"],
  ])("writes %d as %s", (n, text) => {
    expect(formatNumber(n)).toBe(text);
  });

  it("rounds JSON figures to four significant digits", () => {
    expect(roundFigure(253.32508)).toBe(253.3);
    expect(roundFigure(0.000123456)).toBe(0.0001235);
  });
});

describe("figuresFromRecord", () => {
  it("turns named numbers into figures labelled by their keys, in order", () => {
    expect(figuresFromRecord({ synth_ms: 1200, max_schedules_by_bytes: 680 })).toEqual([
      { key: "synth_ms", label: "synth ms", value: 1200, unit: "" },
      { key: "max_schedules_by_bytes", label: "max schedules by bytes", value: 680, unit: "" },
    ]);
  });
});

describe("formatTable", () => {
  const table = formatTable([
    { group: "core", figures: [requests, cold] },
    { group: "fan-out", skipped: "not built yet" },
  ]).split("\n");

  it("puts each figure beside its baseline, ratio, target and verdict", () => {
    expect(table[2]).toMatch(
      /^core\s+requests per dispatch\s+1\.001 requests\s+2 \(bare handler\)\s+0\.5005\s+value <= 1\.001\s+met$/,
    );
    expect(table[3]).toMatch(
      /cold path\s+300 ms\s+200 \(bare handler\)\s+1\.5\s+ratio <= 1\.2\s+MISSED$/,
    );
  });

  it("lists a skipped group with the reason", () => {
    expect(table[4]).toMatch(/^fan-out\s+skipped: not built yet$/);
  });

  it("right-aligns the values", () => {
    const valueEnd = (row: string | undefined, cell: string) =>
      (row ?? "").indexOf(cell) + cell.length;
    expect(valueEnd(table[2], "1.001 requests")).toBe(valueEnd(table[3], "300 ms"));
  });
});

describe("resultsJson", () => {
  it("writes groups in a fixed order with rounded figures, ratio, target and verdict", () => {
    const results: GroupResult[] = [
      {
        group: "fan-out",
        figures: [{ key: "spread_ms", label: "spread", value: 12.34567, unit: "ms" }],
      },
      { group: "core", figures: [requests, cold] },
    ];
    const json = JSON.parse(resultsJson(results, machine));
    expect(Object.keys(json)).toEqual(["core", "fan-out"]);
    expect(json.core.measured).toEqual({
      date: "2026-11-25",
      node: "v20.20.2",
      cpus: 2,
      cpu_model: "Test CPU",
    });
    expect(json.core.figures.requests_per_dispatch).toEqual({
      label: "requests per dispatch",
      value: 1.001,
      unit: "requests",
      baseline: 2,
      baseline_label: "bare handler",
      ratio: 0.5005,
      target: "value <= 1.001",
      met: true,
    });
    expect(Object.keys(json.core.figures)).toEqual(["requests_per_dispatch", "cold_ms"]);
    expect(json["fan-out"].figures.spread_ms).toEqual({
      label: "spread",
      value: 12.35,
      unit: "ms",
    });
  });

  it("keeps the previous entry of a group that did not run, and records a skip otherwise", () => {
    const previous = { synth: { figures: { synth_ms: { value: 1 } } } };
    const json = JSON.parse(
      resultsJson(
        [
          { group: "synth", skipped: "not built yet" },
          { group: "fan-out", skipped: "not built yet" },
        ],
        machine,
        previous,
      ),
    );
    expect(json).toEqual({ synth: previous.synth, "fan-out": { skipped: "not built yet" } });
  });

  it("is byte-identical for identical results", () => {
    const results: GroupResult[] = [{ group: "core", figures: [cold, requests] }];
    expect(resultsJson(results, machine)).toBe(resultsJson(results, machine));
    expect(resultsJson(results, machine).endsWith("}\n")).toBe(true);
  });
});
