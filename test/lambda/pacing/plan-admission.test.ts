import { describe, expect, it } from "vitest";
import { DEFAULT_PACING_LIMITS } from "../../../lambda/pacing/pacing-limits.js";
import {
  bookPlaces,
  EMPTY_PACING_STATE,
  earliestStart,
  type PacingState,
  planAdmission,
  spacingMs,
} from "../../../lambda/pacing/plan-admission.js";

const T0 = 1_800_000_000_000;
const limits = DEFAULT_PACING_LIMITS;
const ALIGN = 2000;
const newcomer = { inLine: false };
const inLine = { inLine: true };

/** Most of `times` inside any window of `windowMs`, open at its start. */
function busiestWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while ((sorted[start] ?? 0) <= (sorted[end] ?? 0) - windowMs) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

describe("spacingMs", () => {
  it("shares a minute plus margin among perMinute starts", () => {
    expect(spacingMs(limits)).toBe(775);
  });

  it("keeps requests lasting the whole timeout within maxConcurrency", () => {
    expect(spacingMs({ ...limits, perMinute: 10_000, maxConcurrency: 4 })).toBe(2500);
  });
});

describe("earliestStart", () => {
  it.each<[string, Partial<PacingState>, number]>([
    ["now for an unused token", {}, T0],
    ["one spacing after the last start", { sent: [T0 - 100] }, T0 + 675],
    ["not before a block", { blockedUntil: T0 + 30_000 }, T0 + 30_000],
    [
      "the primary spacing while it applies",
      { sent: [T0 - 1000], primarySpacingMs: 5000, primarySpacingUntil: T0 + 60_000 },
      T0 + 4000,
    ],
  ])("is %s", (_what, state, expected) => {
    expect(earliestStart({ ...EMPTY_PACING_STATE, ...state }, T0, limits)).toBe(expected);
  });

  it("waits an hour (plus the hour margin) after the start 500 starts ago", () => {
    const sent = Array.from({ length: 500 }, (_, i) => T0 - 3_000_000 + i * 775);

    expect(earliestStart({ ...EMPTY_PACING_STATE, sent }, T0, limits)).toBe(T0 + 630_000);
  });
});

describe("planAdmission", () => {
  it("starts jobs while the limits allow within the alignment and puts the next at the end of a new line", () => {
    const { decisions, state } = planAdmission(
      EMPTY_PACING_STATE,
      T0,
      limits,
      [newcomer, newcomer, newcomer, newcomer],
      ALIGN,
    );

    expect(decisions).toEqual([
      { kind: "go", at: T0 },
      { kind: "go", at: T0 + 775 },
      { kind: "go", at: T0 + 1550 },
      { kind: "wait", until: T0 + 2325 },
    ]);
    expect(state.tail).toBe(T0 + 2325);
    expect(state.sent).toEqual([T0, T0 + 775, T0 + 1550]);
  });

  it("sends a newcomer to the end of the line even when it could start, so it never overtakes", () => {
    const state = { ...EMPTY_PACING_STATE, sent: [T0 - 10_000], tail: T0 + 60_000 };

    const { decisions } = planAdmission(state, T0, limits, [newcomer], ALIGN);

    expect(decisions).toEqual([{ kind: "wait", until: T0 + 60_775 }]);
  });

  it("starts a job in line that comes back late, as soon as the limits allow", () => {
    const state = { ...EMPTY_PACING_STATE, sent: [T0 - 30_000], tail: T0 + 60_000 };

    const { decisions } = planAdmission(state, T0, limits, [inLine], ALIGN);

    expect(decisions).toEqual([{ kind: "go", at: T0 }]);
  });

  it("keeps a job in line near the front when one ahead of it took the start", () => {
    const state = { ...EMPTY_PACING_STATE, sent: [T0 + 1900], tail: T0 + 60_000 };

    const { decisions, state: after } = planAdmission(state, T0, limits, [inLine, inLine], ALIGN);

    expect(decisions).toEqual([
      { kind: "wait", until: T0 + 2675 },
      { kind: "wait", until: T0 + 3450 },
    ]);
    expect(after.tail).toBe(T0 + 60_000);
    expect(after.front).toBe(T0 + 3450);
  });

  it("keeps any minute at 80 and any hour at 500 when every start reaches GitHub up to the margin late", () => {
    let state: PacingState = EMPTY_PACING_STATE;
    const reached: number[] = [];
    for (let t = T0; reached.length < 1100; t += 400) {
      const { decisions, state: next } = planAdmission(state, t, limits, [inLine, newcomer], ALIGN);
      state = next;
      decisions.forEach((d, i) => {
        if (d.kind === "go")
          reached.push(d.at + ((reached.length + i) % 3 === 0 ? limits.marginMs : 0));
      });
    }

    expect(busiestWindow(reached, 60_000)).toBeLessThanOrEqual(80);
    expect(busiestWindow(reached, 3_600_000)).toBeLessThanOrEqual(500);
  });

  it("forgets starts older than an hour", () => {
    const state = { ...EMPTY_PACING_STATE, sent: [T0 - 4_000_000, T0 - 10_000] };

    expect(planAdmission(state, T0, limits, [], ALIGN).state.sent).toEqual([T0 - 10_000]);
  });
});

describe("bookPlaces", () => {
  it("books places a spacing apart from now when there is no line, and moves the line's end", () => {
    const { times, state } = bookPlaces(EMPTY_PACING_STATE, T0, limits, 3);

    expect(times).toEqual([T0, T0 + 775, T0 + 1550]);
    expect(state.tail).toBe(T0 + 1550);
  });

  it("books after an existing line", () => {
    const { times } = bookPlaces({ ...EMPTY_PACING_STATE, tail: T0 + 10_000 }, T0, limits, 2);

    expect(times).toEqual([T0 + 10_775, T0 + 11_550]);
  });

  it("books the 501st place an hour (plus the hour margin) after the first", () => {
    const { times } = bookPlaces(EMPTY_PACING_STATE, T0, limits, 1000);

    expect(times[500]).toBe(T0 + 3_630_000);
    expect(busiestWindow(times, 3_600_000)).toBeLessThanOrEqual(500);
  });
});
