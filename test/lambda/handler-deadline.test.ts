import type { Context, SQSBatchResponse } from "aws-lambda";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { schedulerPayload } from "../support/events.js";
import { DISPATCH_QUEUE, DispatchHarness, TOKEN } from "./process/dispatch-harness.js";
import { SlowAwsEndpoint } from "./process/slow-aws-endpoint.js";

/** A Lambda context whose invocation has `remainingMs` left when it starts. */
const remaining = (remainingMs: number): Context =>
  ({ awsRequestId: "req-deadline", getRemainingTimeInMillis: () => remainingMs }) as Context;

const job = (repo: string) => ({ owner: "acme", repo, workflow_id: "nightly.yml", ref: "main" });
const body = (repo: string) => JSON.stringify(job(repo));
/** Every dispatch GitHub received, answered or not. */
const received = (h: DispatchHarness) =>
  h.gitHub.requests.filter((r) => r.method === "POST").map((r) => r.path.split("/")[3]);
const failedIds = (result: unknown) =>
  (result as SQSBatchResponse).batchItemFailures.map((f) => f.itemIdentifier);

describe("handler deadline", () => {
  let h: DispatchHarness;

  beforeEach(async () => {
    h = await DispatchHarness.start({ latencyMs: 700 });
    h.environment({ BATCH_CONCURRENCY: "1", AWS_MAX_ATTEMPTS: "1" });
  });
  afterEach(() => h.close());

  it("reports the messages it has no time to start as failed, without dispatching them", async () => {
    // 2 s left: a 0.5 s margin puts the deadline at 1.5 s; after the first 0.7 s dispatch, less
    // than the 1 s a dispatch needs is left.
    const event = await h.receiveBatch([body("first"), body("second"), body("third")]);
    const [, second, third] = event.Records;

    const { result, lines } = await h.invoke(event, h.handler(), remaining(2_000));

    expect(received(h)).toEqual(["first"]);
    expect(failedIds(result)).toEqual([second?.messageId, third?.messageId]);
    expect(h.sqs.visibilityChanges).toEqual([]);
    const notStarted = lines.filter((l) => l.includes("deadline near: message not started"));
    expect(notStarted).toHaveLength(2);
    expect(notStarted.join("\n")).toContain(`"message_id":"${second?.messageId}"`);
  });

  it("dispatches the whole batch when the invocation has time", async () => {
    const event = await h.receiveBatch([body("first"), body("second"), body("third")]);

    h.environment({ BATCH_CONCURRENCY: "10" });
    const { result } = await h.invoke(event, h.handler(), remaining(60_000));

    expect(result).toEqual({ batchItemFailures: [] });
    expect(h.gitHub.dispatches()).toHaveLength(3);
  });

  it("cuts a hanging dispatch off at the deadline and retries it, answering before Lambda's timeout", async () => {
    // 3 s left: the deadline is at 2.25 s, well before GITHUB_REQUEST_TIMEOUT_MS (10 s).
    h.gitHub.script({ status: 204, fault: "hang" });
    const event = await h.receiveBatch([body("stuck")]);

    const started = performance.now();
    const { result, lines } = await h.invoke(event, h.handler(), remaining(3_000));
    const elapsed = performance.now() - started;

    expect(elapsed).toBeGreaterThan(2_000);
    expect(elapsed).toBeLessThan(3_000);
    expect(received(h)).toEqual(["stuck"]);
    expect(failedIds(result)).toEqual([event.Records[0]?.messageId]);
    expect(h.sqs.visibilityChanges).toHaveLength(1);
    expect(lines.join("\n")).toMatch(/"ambiguous":true/);
  });

  it("hands a direct invoke to the queue, undelayed and with its key pinned, when too little time is left", async () => {
    const { result } = await h.invoke(schedulerPayload(job("api")), h.handler(), remaining(1_200));

    expect(received(h)).toEqual([]);
    expect(result).toMatchObject({
      outcome: "queued",
      jobs: 1,
      reason: expect.stringMatching(/left before the invocation's deadline/),
    });
    const [queued] = h.messages(DISPATCH_QUEUE);
    expect(queued?.delaySeconds).toBe(0);
    expect(queued?.attributes).toEqual({ attempt: "1" });
    expect(JSON.parse(queued?.body ?? "")).toMatchObject({
      ...job("api"),
      idempotency_key: expect.stringMatching(/^arn:aws:scheduler:.+#2026-11-24T09:00:00Z$/),
    });
  });

  it("does not send a dispatch when reading the token used up the time, and retries it shortly", async () => {
    // 2 s left: deadline at 1.5 s; the secret arrives after 0.8 s, leaving less than the 1 s needed.
    const slowSecrets = await SlowAwsEndpoint.start({
      delayMs: 800,
      body: () => ({ Name: "github/acme-bot", SecretString: TOKEN, VersionId: "v1" }),
    });
    try {
      h.environment({ AWS_ENDPOINT_URL_SECRETS_MANAGER: slowSecrets.url });

      const { result } = await h.invoke(
        schedulerPayload(job("api")),
        h.handler(),
        remaining(2_000),
      );

      expect(slowSecrets.targets).toEqual(["secretsmanager.GetSecretValue"]);
      expect(received(h)).toEqual([]);
      expect(result).toMatchObject({
        outcome: "retry_scheduled",
        failure_class: "transient",
        reason: expect.stringMatching(/^too little time left in this invocation to dispatch/),
        delay_seconds: 1,
      });
      expect(h.messages(DISPATCH_QUEUE)).toHaveLength(1);
    } finally {
      await slowSecrets.close();
    }
  });

  it("stops waiting for a token that has not arrived by the deadline, and retries without dispatching", async () => {
    // 2 s left: deadline at 1.5 s; Secrets Manager never answers (the SDK would wait its own 5 s).
    const hungSecrets = await SlowAwsEndpoint.start();
    try {
      h.environment({ AWS_ENDPOINT_URL_SECRETS_MANAGER: hungSecrets.url });

      const started = performance.now();
      const { result } = await h.invoke(
        schedulerPayload(job("api")),
        h.handler(),
        remaining(2_000),
      );
      const elapsed = performance.now() - started;

      expect(elapsed).toBeGreaterThan(1_400);
      expect(elapsed).toBeLessThan(3_000); // the SDK alone would wait its 5 s timeout
      expect(hungSecrets.targets).toEqual(["secretsmanager.GetSecretValue"]);
      expect(received(h)).toEqual([]);
      expect(result).toMatchObject({
        outcome: "retry_scheduled",
        failure_class: "transient",
        reason: expect.stringMatching(/did not arrive before this invocation's deadline/),
        delay_seconds: 1,
      });
      expect(h.messages(DISPATCH_QUEUE)).toHaveLength(1);
    } finally {
      await hungSecrets.close();
    }
  });
});
