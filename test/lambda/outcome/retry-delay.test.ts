import { describe, expect, it } from "vitest";
import { delaySecondsUntil, retryDelaySeconds } from "../../../lambda/outcome/retry-delay.js";

const transient = { failureClass: "transient", retryAfterSeconds: undefined } as const;
const limited = { failureClass: "rate_limited", retryAfterSeconds: undefined } as const;
const options = { limitSeconds: 900, baseSeconds: 10 };

describe("retryDelaySeconds", () => {
  it.each([
    [1, 0.5, 5],
    [2, 0.5, 10],
    [3, 0.5, 20],
    [4, 0.999, 80],
    [20, 0.5, 450],
  ])("backs off exponentially with full jitter: attempt %i, random %d -> %i s", (attempt, r, s) => {
    expect(retryDelaySeconds(transient, attempt, { ...options, random: () => r })).toBe(s);
  });

  it("waits at least 1 second even when the jitter draws 0", () => {
    expect(retryDelaySeconds(transient, 1, { ...options, random: () => 0 })).toBe(1);
  });

  it("waits at least a minute after a rate limit that names no time", () => {
    expect(retryDelaySeconds(limited, 1, { ...options, random: () => 0.1 })).toBe(60);
  });

  it.each([
    [{ failureClass: "rate_limited", retryAfterSeconds: 30 } as const, 900, 30],
    [{ failureClass: "rate_limited", retryAfterSeconds: 3000 } as const, 900, 900],
    [{ failureClass: "rate_limited", retryAfterSeconds: 3000 } as const, 43_200, 3000],
    [{ failureClass: "rate_limited", retryAfterSeconds: 0 } as const, 900, 1],
  ])("honours the time GitHub names (%j), capped at %i s", (failure, limit, expected) => {
    expect(retryDelaySeconds(failure, 1, { limitSeconds: limit, random: () => 0.5 })).toBe(
      expected,
    );
  });

  it("never exceeds the carrier's limit", () => {
    expect(retryDelaySeconds(transient, 30, { limitSeconds: 100, random: () => 0.99 })).toBe(100);
  });
});

describe("delaySecondsUntil", () => {
  it.each([
    ["rounds down to whole seconds", 10_999, { min: 0, max: 900 }, 10],
    ["keeps at least min", 400, { min: 1, max: 900 }, 1],
    ["keeps at least min for a time already past", -5_000, { min: 0, max: 900 }, 0],
    ["keeps at most max", 2_000_000, { min: 1, max: 900 }, 900],
  ])("%s", (_, aheadMs, bounds, expected) => {
    expect(delaySecondsUntil(1_000_000 + aheadMs, 1_000_000, bounds)).toBe(expected);
  });
});
