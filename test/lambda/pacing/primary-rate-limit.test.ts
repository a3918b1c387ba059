import { describe, expect, it } from "vitest";
import {
  primarySlowdown,
  readPrimaryRateLimit,
} from "../../../lambda/pacing/primary-rate-limit.js";

const now = 1_800_000_000_000;
const resetAt = now + 600_000;

describe("readPrimaryRateLimit", () => {
  it("reads limit, remaining and reset (epoch seconds) of the core resource", () => {
    const headers = {
      "x-ratelimit-limit": "5000",
      "x-ratelimit-remaining": "42",
      "x-ratelimit-reset": String(resetAt / 1000),
      "x-ratelimit-resource": "core",
    };

    expect(readPrimaryRateLimit(headers)).toEqual({ limit: 5000, remaining: 42, resetAt });
  });

  it.each([
    ["no headers", undefined],
    ["a missing limit", { "x-ratelimit-remaining": "1", "x-ratelimit-reset": "1" }],
    [
      "another resource",
      {
        "x-ratelimit-limit": "30",
        "x-ratelimit-remaining": "0",
        "x-ratelimit-reset": "1",
        "x-ratelimit-resource": "search",
      },
    ],
  ])("ignores %s", (_what, headers) => {
    expect(readPrimaryRateLimit(headers)).toBeUndefined();
  });
});

describe("primarySlowdown", () => {
  it.each([
    ["plenty left", 4000, undefined],
    [
      "exactly the low watermark: spread until the reset",
      500,
      { kind: "spread", spacingMs: 1200, untilMs: resetAt },
    ],
    ["a few left: spread them", 10, { kind: "spread", spacingMs: 60_000, untilMs: resetAt }],
    ["nothing left: block until the reset", 0, { kind: "block", untilMs: resetAt }],
  ])("with %s", (_what, remaining, expected) => {
    expect(primarySlowdown({ limit: 5000, remaining, resetAt }, now)).toEqual(expected);
  });

  it("does nothing once the reset has passed", () => {
    expect(primarySlowdown({ limit: 5000, remaining: 0, resetAt: now - 1 }, now)).toBeUndefined();
  });
});
