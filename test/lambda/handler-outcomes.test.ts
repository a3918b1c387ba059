import type { SQSBatchResponse } from "aws-lambda";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DirectResult } from "../../lambda/process/process-direct.js";
import { jsonLogEntries } from "../support/capture-logs.js";
import { schedulerPayload } from "../support/events.js";
import { job, type Row, rows } from "./outcome-table-rows.js";
import { DEAD_LETTER_QUEUE, DISPATCH_QUEUE, DispatchHarness } from "./process/dispatch-harness.js";

function dispatchRequests(h: DispatchHarness) {
  return h.gitHub.requests.filter((r) => r.path.endsWith("/dispatches"));
}

function expectDelay(actual: number | undefined, expected: number | [number, number]): void {
  const [low, high] = typeof expected === "number" ? [expected, expected] : expected;
  expect(actual).toBeGreaterThanOrEqual(low);
  expect(actual).toBeLessThanOrEqual(high);
}

function expectParkedRecord(h: DispatchHarness, body: string, reason: RegExp, source: string) {
  const parked = h.messages(DEAD_LETTER_QUEUE);
  expect(parked).toHaveLength(1);
  expect(parked[0]?.body).toBe(body);
  expect(parked[0]?.attributes).toMatchObject({
    failure_class: "permanent",
    source,
    attempts: "1",
  });
  expect(parked[0]?.attributes.reason).toMatch(reason);
  expect(parked[0]?.attributes.failed_at).toMatch(/^\d{4}-\d\d-\d\dT/);
}

describe("handler: every row of the outcome table", () => {
  let h: DispatchHarness;

  beforeEach(async () => {
    h = await DispatchHarness.start();
  });
  afterEach(() => h.close());

  async function arrange(row: Row): Promise<void> {
    h.environment((await row.env?.()) ?? {});
    await row.arrange?.(h);
  }

  function expectCalls(row: Row, secretReadsBefore: number): void {
    expect(dispatchRequests(h)).toHaveLength(row.dispatchCalls ?? 1);
    expect(h.secrets.callCount() - secretReadsBefore).toBe(row.secretReads ?? 1);
  }

  describe("on the SQS path", () => {
    it.each(rows)("handles $name", async (row) => {
      await arrange(row);
      const body = JSON.stringify(row.job ?? job);
      const event = await h.receiveBatch([body]);
      const messageId = event.Records[0]?.messageId;
      const reads = h.secrets.callCount();

      const { result, lines } = await h.invoke(event);

      const response = result as SQSBatchResponse;
      const expected = row.expected;
      if (expected.kind === "retry") {
        expect(response.batchItemFailures).toEqual([{ itemIdentifier: messageId }]);
        expect(h.sqs.visibilityChanges).toHaveLength(1);
        expectDelay(h.sqs.visibilityChanges[0]?.visibilityTimeout, expected.delay);
        expect(h.messages(DEAD_LETTER_QUEUE)).toEqual([]);
        const retry = jsonLogEntries(lines).find(
          (l) => l.outcome === "retry" && "failure_class" in l,
        );
        expect(retry).toMatchObject({ failure_class: expected.cls, ambiguous: expected.ambiguous });
      } else {
        expect(response.batchItemFailures).toEqual([]);
        expect(h.sqs.visibilityChanges).toEqual([]);
      }
      if (expected.kind === "parked") expectParkedRecord(h, body, expected.reason, "sqs");
      if (expected.kind === "dispatched") {
        expect(h.messages(DEAD_LETTER_QUEUE)).toEqual([]);
        const line = jsonLogEntries(lines).find((l) => l.outcome === "dispatched");
        expect(line).toMatchObject({
          repository: "acme/api",
          workflow: "nightly.yml",
          ref: "main",
          source: "sqs",
          idempotency_key: messageId,
        });
        if (expected.runDetails) expect(line?.run_url).toMatch(/\/actions\/runs\/\d+$/);
      }
      expectCalls(row, reads);
    });
  });

  describe("on the direct path (Scheduler invoke)", () => {
    it.each(rows)("handles $name", async (row) => {
      await arrange(row);
      const event = schedulerPayload(row.job ?? job);
      const reads = h.secrets.callCount();

      const { result } = await h.invoke(event);

      const direct = result as DirectResult;
      const expected = row.expected;
      expect(direct.outcome).toBe(
        { dispatched: "dispatched", retry: "retry_scheduled", parked: "parked" }[expected.kind],
      );
      if (expected.kind === "dispatched" && direct.outcome === "dispatched") {
        if (expected.runDetails) {
          expect(direct.workflow_run_id).toEqual(expect.any(Number));
          expect(direct.html_url).toBe(
            `https://github.com/acme/api/actions/runs/${direct.workflow_run_id}`,
          );
        } else {
          expect(direct).toMatchObject({ status: 204, workflow_run_id: undefined });
        }
        expect(direct.idempotency_key).toBe(
          "arn:aws:scheduler:eu-central-1:111122223333:schedule/default/nightly#2026-11-24T09:00:00Z",
        );
      }
      if (expected.kind === "retry") {
        const [queued] = h.messages(DISPATCH_QUEUE);
        expect(h.messages(DISPATCH_QUEUE)).toHaveLength(1);
        expectDelay(queued?.delaySeconds, expected.delay);
        expect(queued?.attributes).toEqual({ attempt: "2" });
        expect(JSON.parse(queued?.body ?? "")).toMatchObject({
          ...job,
          scheduler: expect.any(Object),
        });
        expect(direct).toMatchObject({ failure_class: expected.cls, attempt: 1 });
      } else {
        expect(h.messages(DISPATCH_QUEUE)).toEqual([]);
      }
      if (expected.kind === "parked") {
        expectParkedRecord(h, JSON.stringify(event), expected.reason, "scheduler");
        expect(direct).toMatchObject({
          failure_class: "permanent",
          reason: expect.stringMatching(expected.reason),
        });
      } else {
        expect(h.messages(DEAD_LETTER_QUEUE)).toEqual([]);
      }
      expectCalls(row, reads);
    });
  });
});
