import { describe, expect, it } from "vitest";
import {
  invocationDeadline,
  MAX_SAFETY_MARGIN_MS,
  MIN_DISPATCH_WINDOW_MS,
  mayStartDispatch,
  NO_DEADLINE,
  requestTimeoutMs,
  safetyMarginMs,
  timeLeftMs,
} from "../../../lambda/outcome/invocation-deadline.js";

describe("safetyMarginMs", () => {
  it.each([
    [900_000, MAX_SAFETY_MARGIN_MS],
    [60_000, 5_000],
    [20_000, 5_000],
    [12_000, 3_000],
    [3_000, 750],
    [1_001, 251],
    [0, 0],
    [-50, 0],
  ])("keeps back %i ms of %i ms remaining", (remaining, margin) => {
    expect(safetyMarginMs(remaining)).toBe(margin);
  });
});

describe("invocationDeadline", () => {
  it.each([
    ["a 60 s function", 1_000, 60_000, 56_000],
    ["a 15 minute function", 0, 900_000, 895_000],
    ["a 3 s function", 500, 3_000, 2_750],
    ["an invocation already out of time", 100, 0, 100],
  ])("puts the deadline of %s before Lambda's own", (_name, now, remaining, atMs) => {
    expect(invocationDeadline(now, remaining)).toEqual({ atMs });
  });

  it.each([
    ["no remaining time", undefined],
    ["a remaining time that is not a number", Number.NaN],
  ])("has no deadline for %s", (_name, remaining) => {
    expect(invocationDeadline(1_000, remaining)).toBe(NO_DEADLINE);
  });
});

describe("mayStartDispatch", () => {
  const deadline = { atMs: 10_000 };

  it.each([
    [0, true],
    [10_000 - MIN_DISPATCH_WINDOW_MS, true],
    [10_000 - MIN_DISPATCH_WINDOW_MS + 1, false],
    [10_000, false],
    [12_000, false],
  ])("at %i ms before a deadline at 10000 ms: %s", (now, expected) => {
    expect(mayStartDispatch(deadline, now)).toBe(expected);
  });

  it("always starts without a deadline", () => {
    expect(mayStartDispatch(NO_DEADLINE, Number.MAX_SAFE_INTEGER)).toBe(true);
  });
});

describe("timeLeftMs", () => {
  it.each([
    [{ atMs: 10_000 }, 4_000, 6_000],
    [{ atMs: 10_000 }, 11_000, 0],
    [NO_DEADLINE, 4_000, Number.POSITIVE_INFINITY],
  ])("from %j at %i ms is %i ms", (deadline, now, left) => {
    expect(timeLeftMs(deadline, now)).toBe(left);
  });
});

describe("requestTimeoutMs", () => {
  it.each([
    ["the configured timeout when the deadline is further", { atMs: 60_000 }, 1_000, 10_000],
    ["the time left when the deadline is nearer", { atMs: 6_000 }, 1_000, 5_000],
    ["whole milliseconds of the time left", { atMs: 6_000.9 }, 1_000, 5_000],
    ["at least 1 ms once the deadline has passed", { atMs: 6_000 }, 7_000, 1],
    ["the configured timeout without a deadline", NO_DEADLINE, 1_000, 10_000],
  ])("is %s", (_name, deadline, now, expected) => {
    expect(requestTimeoutMs(deadline, now, 10_000)).toBe(expected);
  });
});
