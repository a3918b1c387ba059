import { describe, expect, it } from "vitest";
import { decodeTimes, encodeTimes } from "../../../lambda/pacing/time-codec.js";

describe("encodeTimes / decodeTimes", () => {
  it("round-trips slots as base-36 deltas", () => {
    const slots = [1_800_000_000_000, 1_800_000_000_775, 1_800_000_001_550, 1_800_003_601_550];

    const text = encodeTimes(slots);

    expect(text).toBe(`${(1_800_000_000_000).toString(36)},lj,lj,${(3_600_000).toString(36)}`);
    expect(decodeTimes(text)).toEqual(slots);
  });

  it("keeps 500 slots a spacing apart in about 2 KB", () => {
    const slots = Array.from({ length: 500 }, (_, i) => 1_800_000_000_000 + i * 775);

    expect(encodeTimes(slots).length).toBeLessThan(2100);
  });

  it("reads an empty history", () => {
    expect(decodeTimes("")).toEqual([]);
    expect(encodeTimes([])).toBe("");
  });

  it("throws on a value that is not base 36", () => {
    expect(() => decodeTimes("abc,!")).toThrow('pacing ledger: "!" is not a base-36 time');
  });
});
