import { describe, expect, it } from "vitest";
import { createHandler } from "../../lambda/handler.js";
import { ALWAYS_ADMIT, DispatchPacer } from "../../lambda/pacing/dispatch-pacer.js";
import { awsClientSettings, createDispatchContext } from "../../lambda/process/dispatch-context.js";
import { DispatchClaims, NO_CLAIMS } from "../../lambda/state/dispatch-claims.js";

const env = {
  AWS_REGION: "eu-central-1",
  GITHUB_TOKEN_SECRET: "github/acme-bot",
  ALLOWED_REPOSITORIES: "acme/*",
  DISPATCH_QUEUE_URL: "http://127.0.0.1:1/111122223333/workflow-dispatch",
};

describe("createDispatchContext", () => {
  it("uses the null objects without a state table: no claims, every job admitted", () => {
    const ctx = createDispatchContext(env);

    expect(ctx.claims).toBe(NO_CLAIMS);
    expect(ctx.pacer).toBe(ALWAYS_ADMIT);
    expect(ctx.fanOutPacer).toBe(ALWAYS_ADMIT);
  });

  it.each([
    [{}, DispatchPacer, DispatchPacer],
    [{ PACING: "off" }, ALWAYS_ADMIT, ALWAYS_ADMIT],
    [{ FAN_OUT_SPREAD: "off" }, DispatchPacer, ALWAYS_ADMIT],
  ])("claims through the state table and paces as %j says", (extra, pacer, fanOutPacer) => {
    const ctx = createDispatchContext({ ...env, STATE_TABLE_NAME: "state", ...extra });

    expect(ctx.claims).toBeInstanceOf(DispatchClaims);
    const matches = (value: unknown, expected: unknown) =>
      typeof expected === "function" ? value instanceof expected : value === expected;
    expect(matches(ctx.pacer, pacer)).toBe(true);
    expect(matches(ctx.fanOutPacer, fanOutPacer)).toBe(true);
  });

  it("builds every AWS client with the configured attempts and request time limit", () => {
    const ctx = createDispatchContext({
      ...env,
      AWS_MAX_ATTEMPTS: "2",
      AWS_REQUEST_TIMEOUT_MS: "800",
    });

    expect(awsClientSettings(ctx.config)).toEqual({
      region: "eu-central-1",
      maxAttempts: 2,
      requestHandler: { requestTimeout: 800, connectionTimeout: 800, throwOnRequestTimeout: true },
    });
  });
});

describe("createHandler", () => {
  it("fails the invocation, not the import, naming every bad variable", async () => {
    const handler = createHandler({ BATCH_CONCURRENCY: "many" });

    const attempt = handler({ owner: "acme" });

    await expect(attempt).rejects.toThrow(/GITHUB_TOKEN_SECRET/);
    await expect(attempt).rejects.toThrow(/BATCH_CONCURRENCY: "many"/);
  });
});
