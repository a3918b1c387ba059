import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DirectResult } from "../../lambda/process/process-direct.js";
import { DEFAULT_STATE_TABLE, DynamoDbStandIn } from "../support/dynamodb-stand-in.js";
import { schedulerPayload, sqsEvent, sqsRecord } from "../support/events.js";
import { RawAnswerServer } from "./github/raw-answer-server.js";
import { DEAD_LETTER_QUEUE, DISPATCH_QUEUE, DispatchHarness } from "./process/dispatch-harness.js";

/** The access key the stand-in environment signs with: SQS reports it as the function's SenderId. */
const FUNCTION_SENDER = "AKIASTANDINEXAMPLE00";
const SCHEDULE_ARN = "arn:aws:scheduler:eu-central-1:111122223333:schedule/default/nightly";
const FIRING_KEY = `${SCHEDULE_ARN}#2026-11-24T09:00:00Z`;

const job = (extra: Record<string, unknown> = {}) => ({
  owner: "acme",
  repo: "api",
  workflow_id: "nightly.yml",
  ref: "main",
  ...extra,
});

describe("the handler, given hostile or unusual input", () => {
  let h: DispatchHarness;
  let dynamodb: DynamoDbStandIn;

  beforeEach(async () => {
    h = await DispatchHarness.start();
    dynamodb = await DynamoDbStandIn.start();
    h.environment({
      STATE_TABLE_NAME: DEFAULT_STATE_TABLE,
      AWS_ENDPOINT_URL_DYNAMODB: dynamodb.url,
    });
  });
  afterEach(async () => {
    await h.close();
    await dynamodb.close();
  });

  it.each([
    ["repo", { repo: ".." }],
    ["repo", { repo: "." }],
    ["owner", { owner: "acme-" }],
    ["inputs", { inputs: { blob: "x".repeat(70_000) } }],
  ])(
    "parks a job whose %s GitHub would refuse or misroute, sending nothing",
    async (field, bad) => {
      const { result } = await h.invoke(schedulerPayload(job(bad)));

      expect(result).toMatchObject({ outcome: "parked", failure_class: "permanent" });
      expect((result as { reason: string }).reason).toMatch(new RegExp(`^${field}: `));
      expect(h.gitHub.requests).toEqual([]);
      expect(h.messages(DEAD_LETTER_QUEUE)).toHaveLength(1);
    },
  );

  it("carries a run id beyond 2^53 as its decimal string, in the result and the idempotency record", async () => {
    const server = await RawAnswerServer.start(() => ({
      status: 200,
      headers: { "content-type": "application/json; charset=utf-8" },
      body: '{"workflow_run_id":90071992547409931,"run_url":"u","html_url":"h"}',
    }));
    try {
      h.environment({
        STATE_TABLE_NAME: DEFAULT_STATE_TABLE,
        AWS_ENDPOINT_URL_DYNAMODB: dynamodb.url,
        GITHUB_API_URL: server.url,
      });
      const handler = h.handler();

      const first = await h.invoke(schedulerPayload(job()), handler);
      const repeat = await h.invoke(schedulerPayload(job()), handler);

      const expected: Partial<DirectResult> = {
        outcome: "dispatched",
        workflow_run_id: "90071992547409931",
      };
      expect(JSON.parse(JSON.stringify(first.result))).toMatchObject(expected);
      expect(repeat.result).toMatchObject(expected);
      expect(server.requests).toHaveLength(1);
    } finally {
      await server.close();
    }
  });

  describe("a queue producer against a schedule's firing", () => {
    const deployed = () =>
      h.environment({
        STATE_TABLE_NAME: DEFAULT_STATE_TABLE,
        AWS_ENDPOINT_URL_DYNAMODB: dynamodb.url,
        FUNCTION_ROLE_ID: FUNCTION_SENDER,
      });
    const firing = () => schedulerPayload(job(), { scheduleArn: SCHEDULE_ARN });
    const dispatchedPaths = () =>
      h.gitHub.requests.filter((r) => r.status === 204 || r.status === 200).map((r) => r.path);

    it.each([
      ["the firing's idempotency key", job({ repo: "web", idempotency_key: FIRING_KEY })],
      [
        "a forged scheduler block",
        job({ scheduler: { schedule_arn: SCHEDULE_ARN, scheduled_time: "2026-11-24T09:00:00Z" } }),
      ],
    ])("cannot cancel the firing with %s", async (_, forged) => {
      deployed();
      const handler = h.handler();

      const queued = await h.invoke(await h.receiveBatch([JSON.stringify(forged)]), handler);
      const fired = await h.invoke(firing(), handler);

      expect(queued.result).toEqual({ batchItemFailures: [] });
      expect(fired.result).toMatchObject({ outcome: "dispatched", idempotency_key: FIRING_KEY });
      expect(dispatchedPaths()).toEqual([
        `/repos/acme/${forged.repo}/actions/workflows/nightly.yml/dispatches`,
        "/repos/acme/api/actions/workflows/nightly.yml/dispatches",
      ]);
    });

    it("keeps the key of the function's own retry, so Scheduler's repeat of the firing is suppressed", async () => {
      deployed();
      h.gitHub.script({ status: 502 });
      const handler = h.handler();

      const first = await h.invoke(firing(), handler);
      // The queued retry as Lambda would deliver it once its delay is over, SenderId included.
      const records = h.messages(DISPATCH_QUEUE).map((m) =>
        sqsRecord(m.body, {
          attributes: { SenderId: h.sqs.messages(DISPATCH_QUEUE)[0]?.senderId ?? "" },
          messageAttributes: Object.fromEntries(
            Object.entries(m.attributes).map(([k, v]) => [
              k,
              { stringValue: v, dataType: "Number", stringListValues: [], binaryListValues: [] },
            ]),
          ),
        }),
      );
      const retried = await h.invoke(sqsEvent(...records), handler);
      const repeat = await h.invoke(firing(), handler);

      expect(first.result).toMatchObject({ outcome: "retry_scheduled" });
      expect(records.map((r) => r.attributes.SenderId)).toEqual([FUNCTION_SENDER]);
      expect(retried.result).toEqual({ batchItemFailures: [] });
      expect(repeat.result).toMatchObject({ outcome: "dispatched", idempotency_key: FIRING_KEY });
      expect(h.gitHub.requests.map((r) => r.status)).toEqual([502, 200]);
    });
  });
});
