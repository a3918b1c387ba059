import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DirectResult } from "../../lambda/process/process-direct.js";
import {
  eventBridgeEvent,
  loadSharedEvent,
  snsNotification,
  sqsEvent,
  sqsRecord,
} from "../support/events.js";
import { DEAD_LETTER_QUEUE, DispatchHarness } from "./process/dispatch-harness.js";

function dispatched(h: DispatchHarness) {
  return h.gitHub.dispatches().map((r) => ({ path: r.path, body: r.body }));
}

describe("handler: the shared sample events", () => {
  let h: DispatchHarness;

  beforeEach(async () => {
    h = await DispatchHarness.start();
  });
  afterEach(() => h.close());

  it("dispatches scheduler-invoke.json with its inputs and returns the run", async () => {
    const { result } = await h.invoke(loadSharedEvent("scheduler-invoke"));

    expect(dispatched(h)).toEqual([
      {
        path: "/repos/acme/api/actions/workflows/nightly.yml/dispatches",
        body: {
          ref: "main",
          inputs: {
            environment: "staging",
            scheduled_time: "2026-11-24T09:00:00Z",
            execution_id: "d8f3e2a1-5b7c-4e0f-9a2b-1c3d4e5f6a7b",
          },
          return_run_details: true,
        },
      },
    ]);
    const run = (result as DirectResult & { outcome: "dispatched" }).workflow_run_id;
    expect(result).toMatchObject({
      outcome: "dispatched",
      status: 200,
      workflow_run_id: expect.any(Number),
    });
    // No scheduler block and no key in this sample: the Lambda request id identifies the firing.
    expect(result).toMatchObject({
      idempotency_key: "req-0001",
      html_url: `https://github.com/acme/api/actions/runs/${run}`,
    });
  });

  it("dispatches eventbridge-event.json from its detail, keyed by the event id in the producers' namespace", async () => {
    const result = (await h.invoke(loadSharedEvent("eventbridge-event"))).result;

    expect(dispatched(h)).toEqual([
      {
        path: "/repos/acme/web/actions/workflows/161335/dispatches",
        body: { ref: "v2.4.0", inputs: { dry_run: false }, return_run_details: true },
      },
    ]);
    expect(result).toMatchObject({
      outcome: "dispatched",
      idempotency_key: "producer#6a7e8feb-b491-4cf7-a9f1-bf3703467718",
    });
  });

  it("dispatches all three records of sqs-batch.json: a job, an EventBridge event and an SNS notification", async () => {
    const result = (await h.invoke(loadSharedEvent<SQSEvent>("sqs-batch"))).result;

    expect(result).toEqual({ batchItemFailures: [] });
    expect(dispatched(h)).toHaveLength(3);
    expect(dispatched(h)).toEqual(
      expect.arrayContaining([
        {
          path: "/repos/acme/api/actions/workflows/audit.yml/dispatches",
          body: { ref: "main", return_run_details: true },
        },
        {
          path: "/repos/acme/billing/actions/workflows/audit.yml/dispatches",
          body: { ref: "main", inputs: { level: "full" }, return_run_details: true },
        },
        {
          path: "/repos/acme/docs/actions/workflows/audit.yml/dispatches",
          body: { ref: "main", return_run_details: true },
        },
      ]),
    );
  });

  it("parks eventbridge-scheduled-event-without-job.json with a reason that says how to fix the rule", async () => {
    const event = loadSharedEvent("eventbridge-scheduled-event-without-job");

    const { result } = await h.invoke(event);

    const reason =
      /EventBridge event 'Scheduled Event' from aws\.events carries no job in detail; give the rule an input .*or use EventBridge Scheduler/;
    expect(result).toMatchObject({
      outcome: "parked",
      failure_class: "permanent",
      reason: expect.stringMatching(reason),
    });
    expect(h.gitHub.requests).toEqual([]);
    const [parked] = h.messages(DEAD_LETTER_QUEUE);
    expect(parked?.body).toBe(JSON.stringify(event));
    expect(parked?.attributes).toMatchObject({
      source: "eventbridge",
      error_name: "InvalidJobError",
    });
    expect(parked?.attributes.reason).toMatch(reason);
  });

  it.each([
    ["a string", "dispatch acme/api please", /got string/],
    ["an array", [{ owner: "acme" }], /got an array/],
    [
      "a Kinesis batch",
      { Records: [{ eventSource: "aws:kinesis" }] },
      /got a record from aws:kinesis/,
    ],
  ])("parks %s, saying which shapes it expected", async (_name, event, got) => {
    const result = (await h.invoke(event)).result as DirectResult;

    expect(result.outcome).toBe("parked");
    const [parked] = h.messages(DEAD_LETTER_QUEUE);
    expect(parked?.attributes.reason).toMatch(
      /expected a job object .*an EventBridge event .*or an SQS batch/,
    );
    expect(parked?.attributes.reason).toMatch(got);
  });

  it("unwraps EventBridge events and SNS notifications built by the factories on the SQS path", async () => {
    const job = { owner: "acme", repo: "api", workflow_id: "deploy.yml", ref: "main" };
    const event = sqsEvent(
      sqsRecord(eventBridgeEvent(job)),
      sqsRecord(snsNotification(job)),
      sqsRecord(snsNotification(eventBridgeEvent(job))),
    );

    const result = (await h.invoke(event)).result as SQSBatchResponse;

    expect(result.batchItemFailures).toEqual([]);
    expect(h.gitHub.dispatches().map((r) => r.path)).toEqual(
      Array(3).fill("/repos/acme/api/actions/workflows/deploy.yml/dispatches"),
    );
  });
});
