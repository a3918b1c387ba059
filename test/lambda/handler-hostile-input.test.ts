import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DirectResult } from "../../lambda/process/process-direct.js";
import { DEFAULT_STATE_TABLE, DynamoDbStandIn } from "../support/dynamodb-stand-in.js";
import { schedulerPayload } from "../support/events.js";
import { RawAnswerServer } from "./github/raw-answer-server.js";
import { DEAD_LETTER_QUEUE, DispatchHarness } from "./process/dispatch-harness.js";

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
});
