import { generateKeyPairSync } from "node:crypto";
import type { Context, SQSBatchResponse } from "aws-lambda";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { METRICS_NAMESPACE, SERVICE_NAME } from "../../lambda/observability/telemetry.js";
import { DEFAULT_STATE_TABLE, DynamoDbStandIn } from "../support/dynamodb-stand-in.js";
import { schedulerPayload } from "../support/events.js";
import { isDispatchPath } from "../support/github-endpoints.js";
import { DISPATCH_QUEUE, DispatchHarness, SECRET_ID } from "./process/dispatch-harness.js";
import { SlowAwsEndpoint } from "./process/slow-aws-endpoint.js";

/**
 * 3 s left: a 0.75 s margin puts the deadline at 2.25 s. A hung call held past it the old way takes
 * the SDK's 3 × 4 s (12 s) for Secrets Manager, or GITHUB_REQUEST_TIMEOUT_MS (10 s) for a mint.
 */
const REMAINING_MS = 3_000;
/** Upper bound on an invocation that stops at its deadline: 2.25 s plus room for a loaded machine. */
const RETURNED_BY_MS = 6_000;

const remaining = (): Context =>
  ({ awsRequestId: "req-deployed", getRemainingTimeInMillis: () => REMAINING_MS }) as Context;

const { privateKey, publicKey } = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs1", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
});
const APP = { appId: 31337, installationId: 4242, publicKeyPem: publicKey };
const MINT_PATH = `/app/installations/${APP.installationId}/access_tokens`;

const job = (repo: string) => ({ owner: "acme", repo, workflow_id: "nightly.yml", ref: "main" });
const SCHEDULER_KEY = /^arn:aws:scheduler:.+#2026-11-24T09:00:00Z$/;

/**
 * The function's environment as infra/dispatch-function.ts sets it with the stack's defaults (the
 * list test/infra/workflow-dispatch-stack.test.ts pins), the stand-ins in place of its resources;
 * the harness adds GITHUB_TOKEN_SECRET, GITHUB_API_URL, ALLOWED_REPOSITORIES and the queue URLs.
 * NODE_OPTIONS has no meaning in-process and is left out.
 */
function deployedEnvironment(dynamodb: DynamoDbStandIn): Record<string, string | undefined> {
  return {
    MAX_WORKFLOW_INPUTS: "25",
    GITHUB_REQUEST_TIMEOUT_MS: "10000",
    SECRET_CACHE_TTL_MS: "300000",
    BATCH_CONCURRENCY: "10",
    MAX_ATTEMPTS: "8",
    PACING_LIMITS: JSON.stringify({ [SECRET_ID]: { requestsPerMinute: 60, maxConcurrency: 10 } }),
    STATE_TABLE_NAME: DEFAULT_STATE_TABLE,
    AWS_ENDPOINT_URL_DYNAMODB: dynamodb.url,
    IDEMPOTENCY_WINDOW_SECONDS: "86400",
    POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
    POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
    // The stack does not set PACING: pacing is on by default.
    PACING: undefined,
    // The SDK's own defaults (3 attempts of 5 s) shortened to 3 of 4 s: the test waits less, and the
    // old behaviour's 12 s stays well above RETURNED_BY_MS.
    AWS_MAX_ATTEMPTS: "3",
    AWS_REQUEST_TIMEOUT_MS: "4000",
  };
}

/** What hangs, and how a test makes it hang. */
interface Hang {
  readonly name: string;
  /** Variables on top of the deployed environment, e.g. an endpoint pointed at `hung`. */
  readonly environment?: (hung: SlowAwsEndpoint) => Record<string, string>;
  /** Stand-in setup. */
  readonly arrange?: (h: DispatchHarness) => void;
  /** Checks that the hung call was made, so the job really waited on it. */
  readonly expectCalled: (h: DispatchHarness, hung: SlowAwsEndpoint) => void;
}

function useAppSecret(h: DispatchHarness): void {
  h.secretValues.push(privateKey);
  h.secrets.setSecret(
    SECRET_ID,
    JSON.stringify({ appId: APP.appId, privateKey, installationId: APP.installationId }),
  );
}

const hangs: Hang[] = [
  {
    name: "Secrets Manager never answers",
    environment: (hung) => ({ AWS_ENDPOINT_URL_SECRETS_MANAGER: hung.url }),
    expectCalled: (_h, hung) => expect(hung.targets).toContain("secretsmanager.GetSecretValue"),
  },
  {
    name: "the App token mint never answers",
    arrange: (h) => {
      useAppSecret(h);
      // Every mint of the invocation hangs, however many the guard and the dispatch each start.
      h.gitHub.scriptMint(
        ...Array.from({ length: 4 }, () => ({ status: 201, fault: "hang" as const })),
      );
    },
    expectCalled: (h) =>
      expect(h.gitHub.requests.map((r) => `${r.method} ${r.path}`)).toContain(`POST ${MINT_PATH}`),
  },
];

/** Every dispatch request GitHub received, answered or not. */
const dispatchRequests = (h: DispatchHarness) =>
  h.gitHub.requests.filter((r) => isDispatchPath(r.path.split("?")[0] ?? ""));
const failedIds = (result: unknown) =>
  (result as SQSBatchResponse).batchItemFailures.map((f) => f.itemIdentifier);
/** Ids of the state table's items: `workflow-dispatch#…` idempotency records, `pacing#…` ledgers. */
const stateItemIds = (dynamodb: DynamoDbStandIn) => dynamodb.items().map((i) => String(i.id));

describe("handler deadline in the deployed configuration (state table, pacing on)", () => {
  let h: DispatchHarness;
  let dynamodb: DynamoDbStandIn;
  let hung: SlowAwsEndpoint;

  beforeEach(async () => {
    h = await DispatchHarness.start({ app: APP });
    dynamodb = await DynamoDbStandIn.start();
    hung = await SlowAwsEndpoint.start();
    h.environment(deployedEnvironment(dynamodb));
  });
  afterEach(async () => {
    await hung.close();
    await dynamodb.close();
    await h.close();
  });

  function arrange(hang: Hang): void {
    h.environment({ ...deployedEnvironment(dynamodb), ...hang.environment?.(hung) });
    hang.arrange?.(h);
  }

  describe("on a Scheduler direct invoke", () => {
    it.each(hangs)(
      "stops waiting at the deadline when $name, and queues the job undispatched",
      async (hang) => {
        arrange(hang);

        const started = performance.now();
        const { result } = await h.invoke(schedulerPayload(job("api")), h.handler(), remaining());
        const elapsed = performance.now() - started;

        expect(elapsed).toBeLessThan(RETURNED_BY_MS);
        hang.expectCalled(h, hung);
        expect(dispatchRequests(h)).toEqual([]);
        expect(result).toMatchObject({
          outcome: "retry_scheduled",
          failure_class: "transient",
          reason: expect.stringMatching(/did not arrive before this invocation's deadline/),
          delay_seconds: 1,
          attempt: 1,
        });
        const queued = h.messages(DISPATCH_QUEUE);
        expect(queued).toHaveLength(1);
        expect(queued[0]?.attributes).toEqual({ attempt: "2" });
        expect(JSON.parse(queued[0]?.body ?? "{}").idempotency_key).toMatch(SCHEDULER_KEY);
        // The key is free for the retry, and no pacing start was spent on a job never sent.
        expect(stateItemIds(dynamodb)).toEqual([]);
      },
    );

    it.each([
      ["a token secret", () => undefined],
      ["a GitHub App secret", useAppSecret],
    ])("dispatches with %s when everything answers, through the state table", async (_, secret) => {
      secret(h);

      const { result } = await h.invoke(schedulerPayload(job("api")), h.handler(), remaining());
      h.secretValues.push(...h.gitHub.mintedTokens());

      expect(result).toMatchObject({
        outcome: "dispatched",
        idempotency_key: expect.stringMatching(SCHEDULER_KEY),
      });
      expect(h.gitHub.dispatches()).toHaveLength(1);
      expect(stateItemIds(dynamodb).sort()).toEqual([
        expect.stringMatching(/^pacing#/),
        expect.stringMatching(/^workflow-dispatch#/),
      ]);
      expect(
        dynamodb.items().find((i) => String(i.id).startsWith("workflow-dispatch#")),
      ).toMatchObject({
        status: "COMPLETED",
      });
    });
  });

  describe("on an SQS batch", () => {
    it.each(hangs)(
      "stops waiting at the deadline when $name, and reports the batch failed undispatched",
      async (hang) => {
        arrange(hang);
        const event = await h.receiveBatch([
          JSON.stringify(job("api")),
          JSON.stringify(job("web")),
        ]);

        const started = performance.now();
        const { result } = await h.invoke(event, h.handler(), remaining());
        const elapsed = performance.now() - started;

        expect(elapsed).toBeLessThan(RETURNED_BY_MS);
        hang.expectCalled(h, hung);
        expect(dispatchRequests(h)).toEqual([]);
        expect(failedIds(result).sort()).toEqual(event.Records.map((r) => r.messageId).sort());
        expect(h.sqs.visibilityChanges.map((c) => c.visibilityTimeout)).toEqual([1, 1]);
        expect(stateItemIds(dynamodb)).toEqual([]);
      },
    );

    it.each([
      ["a token secret", () => undefined],
      ["a GitHub App secret", useAppSecret],
    ])("dispatches with %s when everything answers, through the state table", async (_, secret) => {
      secret(h);
      const event = await h.receiveBatch([JSON.stringify(job("api"))]);

      const { result } = await h.invoke(event, h.handler(), remaining());
      h.secretValues.push(...h.gitHub.mintedTokens());

      expect(result).toEqual({ batchItemFailures: [] });
      expect(h.gitHub.dispatches()).toHaveLength(1);
      expect(stateItemIds(dynamodb).sort()).toEqual([
        expect.stringMatching(/^pacing#/),
        expect.stringMatching(/^workflow-dispatch#/),
      ]);
    });
  });
});
