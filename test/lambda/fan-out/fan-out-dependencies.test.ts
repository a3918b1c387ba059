import { describe, expect, it } from "vitest";
import { fanOutDependencies } from "../../../lambda/fan-out/fan-out-dependencies.js";

describe("fanOutDependencies", () => {
  it("builds the fan-out seam and the single-job guard", () => {
    const deps = fanOutDependencies({ STATE_TABLE_NAME: "state" });

    expect(typeof deps.fanOut).toBe("function");
    expect(typeof deps.guard).toBe("function");
  });

  it.each([
    [
      { IDEMPOTENCY_WINDOW_SECONDS: "10" },
      /IDEMPOTENCY_WINDOW_SECONDS: "10" is not a whole number of at least 60/,
    ],
    [{ PACING: "sometimes" }, /PACING: "sometimes" is neither on nor off/],
    [{ FAN_OUT_SPREAD: "2" }, /FAN_OUT_SPREAD: "2" is neither on nor off/],
    [{ PACING_ALIGN_MS: "-1" }, /PACING_ALIGN_MS: "-1" is not a whole number from 0 to 10000/],
    [{ PACING_LIMITS: "[]" }, /PACING_LIMITS: must be a JSON object/],
  ])("throws naming the variable for %j", (env, message) => {
    expect(() => fanOutDependencies({ STATE_TABLE_NAME: "state", ...env })).toThrow(message);
  });
});
