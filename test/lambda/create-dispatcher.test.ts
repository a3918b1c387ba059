import { describe, expect, it } from "vitest";
import {
  awsClientSettings,
  createDispatcher,
  fanOutNotWired,
} from "../../lambda/create-dispatcher.js";
import { createHandler } from "../../lambda/handler.js";

const env = {
  AWS_REGION: "eu-central-1",
  GITHUB_TOKEN_SECRET: "github/acme-bot",
  ALLOWED_REPOSITORIES: "acme/*",
  DISPATCH_QUEUE_URL: "http://127.0.0.1:1/111122223333/workflow-dispatch",
};

describe("createDispatcher", () => {
  it("reads the environment contract, with the documented defaults", () => {
    const { config } = createDispatcher(env);
    expect(config).toMatchObject({
      githubApiUrl: "https://api.github.com",
      maxInputs: 25,
      requestTimeoutMs: 10_000,
      secretCacheTtlMs: 300_000,
      batchConcurrency: 10,
      maxAttempts: 8,
      deadLetterQueueUrl: undefined,
      awsRequestTimeoutMs: 5_000,
      awsMaxAttempts: 3,
    });
  });

  it("wires the default fan-out seam, which parks, unless a fan-out factory is given", async () => {
    expect(createDispatcher(env).fanOut).toBe(fanOutNotWired);
    let seen: unknown;
    const wired = createDispatcher(env, {
      fanOut: (dispatcher) => {
        seen = dispatcher.config;
        return fanOutNotWired;
      },
    });
    expect(seen).toBe(wired.config);
  });

  it("throws naming the variable when the environment is wrong", () => {
    expect(() => createDispatcher({ ...env, GITHUB_TOKEN_SECRET: undefined })).toThrow(
      /GITHUB_TOKEN_SECRET: not set/,
    );
    expect(() => createDispatcher({ ...env, MAX_ATTEMPTS: "0" })).toThrow(
      /MAX_ATTEMPTS: "0" is not a positive integer/,
    );
    expect(() => createDispatcher({ ...env, AWS_REQUEST_TIMEOUT_MS: "5s" })).toThrow(
      /AWS_REQUEST_TIMEOUT_MS: "5s" is not a positive integer; unset it to use 5000/,
    );
  });
});

describe("awsClientSettings", () => {
  it.each([
    [{}, { maxAttempts: 3, requestTimeout: 5_000, connectionTimeout: 3_000 }],
    [
      { AWS_REQUEST_TIMEOUT_MS: "200", AWS_MAX_ATTEMPTS: "2" },
      { maxAttempts: 2, requestTimeout: 200, connectionTimeout: 200 },
    ],
  ])("builds clients that throw on a request timeout, from %j", (extra, expected) => {
    const { config } = createDispatcher({ ...env, ...extra });
    expect(awsClientSettings(config)).toEqual({
      maxAttempts: expected.maxAttempts,
      requestHandler: {
        requestTimeout: expected.requestTimeout,
        connectionTimeout: expected.connectionTimeout,
        throwOnRequestTimeout: true,
      },
    });
  });
});

describe("createHandler", () => {
  it("fails the invocation, not the import, when the environment is wrong", async () => {
    const handler = createHandler({});
    await expect(handler({ owner: "acme" })).rejects.toThrow(/GITHUB_TOKEN_SECRET: not set/);
  });
});
