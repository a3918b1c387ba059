import { describe, expect, it } from "vitest";
import type { DispatchJob } from "../../../lambda/job/dispatch-job.js";
import { idempotencyKey } from "../../../lambda/job/dispatch-job.js";

const job: DispatchJob = { owner: "acme", repo: "api", workflow_id: "nightly.yml", ref: "main" };
const scheduler = {
  schedule_arn: "arn:aws:scheduler:eu-central-1:111122223333:schedule/default/nightly",
  scheduled_time: "2026-11-24T09:00:00Z",
  execution_id: "exec-1",
};
const delivery = { sqsMessageId: "msg-1", eventBridgeEventId: "ev-1", lambdaRequestId: "req-1" };

describe("idempotencyKey", () => {
  it.each([
    ["the job's own key wins", { ...job, idempotency_key: "k", scheduler }, delivery, "k"],
    [
      "schedule ARN and scheduled time, not the per-attempt execution id",
      { ...job, scheduler },
      delivery,
      `${scheduler.schedule_arn}#2026-11-24T09:00:00Z`,
    ],
    ["then the SQS message id", job, delivery, "msg-1"],
    [
      "then the EventBridge event id",
      job,
      { eventBridgeEventId: "ev-1", lambdaRequestId: "r" },
      "ev-1",
    ],
    ["then the Lambda request id", job, { lambdaRequestId: "req-1" }, "req-1"],
    ["nothing when nothing identifies the firing", job, {}, undefined],
  ])("uses %s", (_name, j, d, expected) => {
    expect(idempotencyKey(j, d)).toBe(expected);
  });

  it("is the same for two executions of one scheduled firing", () => {
    const retry = { ...scheduler, execution_id: "exec-2" };
    expect(idempotencyKey({ ...job, scheduler: retry }, {})).toBe(
      idempotencyKey({ ...job, scheduler }, {}),
    );
  });
});
