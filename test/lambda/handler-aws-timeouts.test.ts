import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startLogCapture } from "../support/capture-logs.js";
import { schedulerPayload } from "../support/events.js";
import { context, DISPATCH_QUEUE, DispatchHarness } from "./process/dispatch-harness.js";
import { SlowAwsEndpoint } from "./process/slow-aws-endpoint.js";

const job = { owner: "acme", repo: "api", workflow_id: "nightly.yml", ref: "main" };
const QUEUE_PATH = "/111122223333/workflow-dispatch";

describe("handler with an AWS service that never answers", () => {
  let h: DispatchHarness;
  let hung: SlowAwsEndpoint;

  beforeEach(async () => {
    h = await DispatchHarness.start();
    hung = await SlowAwsEndpoint.start();
  });
  afterEach(async () => {
    await hung.close();
    await h.close();
  });

  /** Runs the handler on a Scheduler job, timing it; `error` is what it threw, if it threw. */
  async function invokeTimed(): Promise<{ result?: unknown; error?: unknown; elapsed: number }> {
    const started = performance.now();
    const capture = startLogCapture();
    try {
      const result = await h.handler()(schedulerPayload(job), context);
      return { result, elapsed: performance.now() - started };
    } catch (error) {
      return { error, elapsed: performance.now() - started };
    } finally {
      capture.stop();
    }
  }

  it("fails the token read as transient after AWS_MAX_ATTEMPTS × AWS_REQUEST_TIMEOUT_MS, not hanging", async () => {
    h.environment({ AWS_ENDPOINT_URL_SECRETS_MANAGER: hung.url, AWS_REQUEST_TIMEOUT_MS: "200" });

    const { result, elapsed } = await invokeTimed();

    expect(hung.targets).toEqual(Array(3).fill("secretsmanager.GetSecretValue"));
    expect(elapsed).toBeLessThan(2_000);
    expect(result).toMatchObject({
      outcome: "retry_scheduled",
      failure_class: "transient",
      reason: expect.stringMatching(
        /^Secrets Manager could not read secret "github\/acme-bot" right now \(TimeoutError\)/,
      ),
    });
    expect(h.gitHub.requests).toEqual([]);
    expect(h.messages(DISPATCH_QUEUE)).toHaveLength(1);
  });

  it("tries as often as AWS_MAX_ATTEMPTS says", async () => {
    h.environment({
      AWS_ENDPOINT_URL_SECRETS_MANAGER: hung.url,
      AWS_REQUEST_TIMEOUT_MS: "200",
      AWS_MAX_ATTEMPTS: "2",
    });

    const { result } = await invokeTimed();

    expect(hung.targets).toHaveLength(2);
    expect(result).toMatchObject({ outcome: "retry_scheduled" });
  });

  it("fails the invocation when the dispatch queue never answers, so Lambda's own retry takes over", async () => {
    h.gitHub.script({ status: 503 });
    h.environment({
      AWS_ENDPOINT_URL_SQS: hung.url,
      DISPATCH_QUEUE_URL: `${hung.url}${QUEUE_PATH}`,
      AWS_REQUEST_TIMEOUT_MS: "200",
    });

    const { error, elapsed } = await invokeTimed();

    expect(error).toMatchObject({ name: "TimeoutError" });
    expect(hung.targets).toEqual(Array(3).fill("AmazonSQS.SendMessage"));
    expect(elapsed).toBeLessThan(2_000);
  });

  it("retries the job later when the state table never answers, dispatching nothing", async () => {
    h.environment({
      STATE_TABLE_NAME: "workflow-dispatch-state",
      AWS_ENDPOINT_URL_DYNAMODB: hung.url,
      AWS_REQUEST_TIMEOUT_MS: "200",
    });

    const { result, elapsed } = await invokeTimed();

    expect(result).toMatchObject({
      outcome: "retry_scheduled",
      reason: expect.stringMatching(/^the state table .* could not be reached/),
    });
    expect(hung.targets).toHaveLength(3);
    expect(hung.targets.every((t) => t.startsWith("DynamoDB_20120810."))).toBe(true);
    expect(elapsed).toBeLessThan(2_000);
    expect(h.gitHub.requests.filter((r) => r.method === "POST")).toEqual([]);
  });
});
