import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startLogCapture } from "../../support/capture-logs.js";
import { eventBridgeEvent, schedulerPayload } from "../../support/events.js";
import { context, DEAD_LETTER_QUEUE, DISPATCH_QUEUE, DispatchHarness } from "./dispatch-harness.js";

const job = { owner: "acme", repo: "api", workflow_id: "nightly.yml", ref: "main" };

describe("processDirect", () => {
  let h: DispatchHarness;

  beforeEach(async () => {
    h = await DispatchHarness.start();
    h.environment({ AWS_MAX_ATTEMPTS: "1" });
  });
  afterEach(() => h.close());

  async function invokeExpectingFailure(
    event: unknown,
  ): Promise<{ error: unknown; lines: string[] }> {
    const capture = startLogCapture();
    try {
      await h.handler()(event, context);
    } catch (error) {
      return { error, lines: capture.lines };
    } finally {
      capture.stop();
    }
    throw new Error("expected the invocation to fail");
  }

  it.each([
    ["NonExistentQueue", { type: "AWS.SimpleQueueService.NonExistentQueue", status: 400 }],
    ["InternalError", { type: "InternalError", status: 500 }],
  ])(
    "throws when the dispatch queue refuses the retry (%s), so Lambda's own retry takes over",
    async (_n, fault) => {
      h.gitHub.script({ status: 503 });
      h.sqs.failNext("SendMessage", fault);

      const { error, lines } = await invokeExpectingFailure(schedulerPayload(job));

      expect(error).toBeInstanceOf(Error);
      expect(lines.join("\n")).toMatch(/could not hand the retry to the dispatch queue/);
      expect(h.messages(DISPATCH_QUEUE)).toEqual([]);
    },
  );

  it("throws when DISPATCH_QUEUE_URL is not set and a retry is needed", async () => {
    h.environment({ DISPATCH_QUEUE_URL: undefined });
    h.gitHub.script({ status: 503 });

    const { error } = await invokeExpectingFailure(schedulerPayload(job));

    expect(String(error)).toMatch(/DISPATCH_QUEUE_URL: not set/);
  });

  it("throws when the dead-letter queue refuses a permanent failure", async () => {
    h.gitHub.script({ status: 404 });
    h.sqs.failNext("SendMessage", { type: "InternalError", status: 500 });

    const { lines } = await invokeExpectingFailure(schedulerPayload(job));

    expect(lines.join("\n")).toMatch(/could not write the dead-letter queue/);
    expect(h.messages(DEAD_LETTER_QUEUE)).toEqual([]);
  });

  it("queues the retry of an EventBridge job with the event id as its idempotency key, as a producer's", async () => {
    h.gitHub.script({ status: 500 });
    const event = eventBridgeEvent(job, { id: "ev-42" });

    const { result } = await h.invoke(event);

    expect(result).toMatchObject({ outcome: "retry_scheduled", delay_seconds: 5, attempt: 1 });
    const [queued] = h.messages(DISPATCH_QUEUE);
    expect(JSON.parse(queued?.body ?? "")).toEqual({ ...job, idempotency_key: "producer#ev-42" });
  });

  it("caps a retry GitHub asks to delay beyond 15 minutes at SQS's 900 s", async () => {
    h.gitHub.script({ status: 429, headers: { "retry-after": "3600" } });

    const { result } = await h.invoke(schedulerPayload(job));

    expect(result).toMatchObject({ outcome: "retry_scheduled", delay_seconds: 900 });
    expect(h.messages(DISPATCH_QUEUE)[0]?.delaySeconds).toBe(900);
  });

  it("parks instead of queueing when MAX_ATTEMPTS is 1", async () => {
    h.environment({ AWS_MAX_ATTEMPTS: "1", MAX_ATTEMPTS: "1" });
    h.gitHub.script({ status: 500 });

    const { result } = await h.invoke(schedulerPayload(job));

    expect(result).toMatchObject({
      outcome: "parked",
      reason: expect.stringMatching(/^gave up after 1 attempts/),
    });
    expect(h.messages(DISPATCH_QUEUE)).toEqual([]);
  });

  it("dispatches a queued retry on the SQS path, counting its attempt", async () => {
    h.gitHub.script({ status: 500 }, { status: 500 });
    await h.invoke(schedulerPayload(job));
    const [queued] = h.sqs.messages(DISPATCH_QUEUE);

    const event = await h.receiveBatch([queued?.body ?? ""], { attempt: "2" });
    const { lines } = await h.invoke(event);

    expect(lines.join("\n")).toMatch(/"attempt":2/);
    expect(lines.join("\n")).toMatch(
      /"idempotency_key":"arn:aws:scheduler:[^"]+#2026-11-24T09:00:00Z"/,
    );
  });
});
