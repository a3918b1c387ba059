import { describe, expect, it } from "vitest";
import {
  DEFAULT_PACING_LIMITS,
  PacingLimitTable,
  secretPacingSchema,
} from "../../../lambda/pacing/pacing-limits.js";

describe("PacingLimitTable", () => {
  it("gives every secret GitHub's 80 a minute, 500 an hour and 100 concurrent, with 2 s and 30 s margins", () => {
    expect(PacingLimitTable.of(DEFAULT_PACING_LIMITS).limitsFor("github/bot")).toEqual({
      perMinute: 80,
      perHour: 500,
      maxConcurrency: 100,
      requestTimeoutMs: 10_000,
      marginMs: 2000,
      hourMarginMs: 30_000,
    });
  });

  it("applies a secret's pacing block over the defaults, found by name or ARN", () => {
    const table = PacingLimitTable.of(
      { ...DEFAULT_PACING_LIMITS, requestTimeoutMs: 4000 },
      { "github/ghes-bot": { requestsPerMinute: 30, maxConcurrency: 5 } },
    );

    expect(
      table.limitsFor(
        "arn:aws:secretsmanager:eu-central-1:111122223333:secret:github/ghes-bot-AbCdEf",
      ),
    ).toEqual({
      ...DEFAULT_PACING_LIMITS,
      perMinute: 30,
      maxConcurrency: 5,
      requestTimeoutMs: 4000,
    });
    expect(table.limitsFor("github/other").perMinute).toBe(80);
  });
});

describe("secretPacingSchema", () => {
  it.each([
    [{ requestsPerMinute: 0 }, "must be a whole number from 1 to 10000"],
    [{ requestsPerHour: 1.5 }, "must be a whole number from 1 to 100000"],
    [{ maxConcurrency: 101 }, "must be a whole number from 1 to 100 (GitHub allows 100 concurrent"],
    ["fast", 'must be an object such as {"requestsPerMinute": 30}'],
  ])("rejects %j: %s", (block, message) => {
    const result = secretPacingSchema.safeParse(block);

    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toContain(message);
  });
});
