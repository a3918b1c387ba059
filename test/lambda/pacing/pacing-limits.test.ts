import { describe, expect, it } from "vitest";
import { readPacingLimits } from "../../../lambda/pacing/pacing-limits.js";

describe("readPacingLimits", () => {
  it("defaults to GitHub's 80 a minute, 500 an hour and 100 concurrent, with 2 s and 30 s margins", () => {
    expect(readPacingLimits({}).limitsFor("github/bot")).toEqual({
      perMinute: 80,
      perHour: 500,
      maxConcurrency: 100,
      requestTimeoutMs: 10_000,
      marginMs: 2000,
      hourMarginMs: 30_000,
    });
  });

  it("takes per-secret limits from PACING_LIMITS in the config's pacing shape, by name or ARN", () => {
    const table = readPacingLimits({
      PACING_REQUESTS_PER_HOUR: "400",
      PACING_LIMITS: JSON.stringify({
        "github/ghes-bot": { requestsPerMinute: 30, maxConcurrency: 5 },
      }),
    });

    expect(
      table.limitsFor(
        "arn:aws:secretsmanager:eu-central-1:111122223333:secret:github/ghes-bot-AbCdEf",
      ),
    ).toMatchObject({ perMinute: 30, perHour: 400, maxConcurrency: 5 });
    expect(table.limitsFor("github/other").perMinute).toBe(80);
  });

  it.each([
    [
      { PACING_REQUESTS_PER_MINUTE: "fast" },
      /PACING_REQUESTS_PER_MINUTE: "fast" is not a whole number of at least 1/,
    ],
    [
      { PACING_REQUESTS_PER_HOUR: "0" },
      /PACING_REQUESTS_PER_HOUR: "0" is not a whole number of at least 1/,
    ],
    [{ PACING_LIMITS: "{" }, /PACING_LIMITS: not JSON; use e.g./],
    [
      { PACING_LIMITS: '{"s": {"requestsPerMinute": -1}}' },
      /PACING_LIMITS\["s"\].requestsPerMinute: -1 is not a positive whole number/,
    ],
    [
      { PACING_LIMITS: '{"s": {"per_minute": 5}}' },
      /unknown field "per_minute"; allowed are requestsPerMinute, requestsPerHour, maxConcurrency/,
    ],
  ])("throws naming the variable for %j", (env, message) => {
    expect(() => readPacingLimits(env)).toThrow(message);
  });
});
