import type { SQSBatchResponse } from "aws-lambda";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { attemptOf } from "../../../lambda/process/process-sqs-batch.js";
import { sqsRecord } from "../../support/events.js";
import { DEAD_LETTER_QUEUE, DISPATCH_QUEUE, DispatchHarness } from "./dispatch-harness.js";

const job = (repo: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ owner: "acme", repo, workflow_id: "nightly.yml", ref: "main", ...extra });

describe("processSqsBatch", () => {
  let h: DispatchHarness;

  beforeEach(async () => {
    h = await DispatchHarness.start();
  });
  afterEach(() => h.close());

  it("reports exactly the messages to retry and parks the poison ones, dispatching the good ones once", async () => {
    h.gitHub.scriptFor("acme/flaky", { status: 503 });
    h.gitHub.scriptFor("acme/gone", { status: 404 });
    h.gitHub.scriptFor("acme/busy", { status: 429, headers: { "retry-after": "90" } });
    const bodies = [
      job("good-1"),
      "{not json",
      job("flaky"),
      job("gone"),
      job("busy"),
      job("good-2"),
      job("x", { ref: "" }),
    ];
    const event = await h.receiveBatch(bodies);
    const id = (body: string) => event.Records.find((r) => r.body === body)?.messageId;

    const { result } = await h.invoke(event);

    const failures = (result as SQSBatchResponse).batchItemFailures.map((f) => f.itemIdentifier);
    expect(failures.sort()).toEqual([id(job("flaky")), id(job("busy"))].sort());
    expect(
      h.gitHub
        .dispatches()
        .map((r) => r.path.split("/")[3])
        .sort(),
    ).toEqual(["good-1", "good-2"]);
    const parked = h.messages(DEAD_LETTER_QUEUE);
    expect(parked.map((m) => m.body).sort()).toEqual(
      [job("gone"), job("x", { ref: "" }), "{not json"].sort(),
    );
    expect(parked.find((m) => m.body === "{not json")?.attributes).toMatchObject({
      error_name: "InvalidJobError",
      failure_class: "permanent",
      reason: expect.stringMatching(/^body: is not JSON/),
    });
    expect(parked.find((m) => m.body === job("gone"))?.attributes).toMatchObject({
      error_name: "PermanentDispatchError",
      status: "404",
      repository: "acme/gone",
      workflow_id: "nightly.yml",
    });
    const delays = Object.fromEntries(
      h.sqs.visibilityChanges.map((c) => [
        event.Records.find((r) => r.receiptHandle === c.receiptHandle)?.body,
        c.visibilityTimeout,
      ]),
    );
    expect(delays).toEqual({ [job("flaky")]: 5, [job("busy")]: 90 });
  });

  it("reports a permanent failure as failed when the dead-letter queue cannot be written, so nothing is lost", async () => {
    h.environment({ AWS_MAX_ATTEMPTS: "1" });
    h.gitHub.script({ status: 404 });
    h.sqs.failNext("SendMessage", { type: "InternalError", status: 500 });
    const event = await h.receiveBatch([job("gone")]);

    const { result, lines } = await h.invoke(event);

    expect(result).toEqual({
      batchItemFailures: [{ itemIdentifier: event.Records[0]?.messageId }],
    });
    expect(h.messages(DEAD_LETTER_QUEUE)).toEqual([]);
    expect(lines.join("\n")).toMatch(/could not write the dead-letter queue/);
  });

  it("parks a job that keeps failing after MAX_ATTEMPTS, naming the attempts and the last reason", async () => {
    h.environment({ MAX_ATTEMPTS: "3" });
    h.gitHub.script({ status: 502 });
    const event = await h.receiveBatch([job("flaky")], { attempt: "3" });

    const { result } = await h.invoke(event);

    expect(result).toEqual({ batchItemFailures: [] });
    const [parked] = h.messages(DEAD_LETTER_QUEUE);
    expect(parked?.attributes).toMatchObject({
      reason: expect.stringMatching(
        /^gave up after 3 attempts: GitHub answered 502 for workflow nightly\.yml in acme\/flaky/,
      ),
      failure_class: "transient",
      attempts: "3",
    });
    expect(h.sqs.visibilityChanges).toEqual([]);
  });

  it("still reports a retry when the visibility change fails: the message returns after the queue's timeout", async () => {
    h.environment({ AWS_MAX_ATTEMPTS: "1" });
    h.gitHub.script({ status: 500 });
    h.sqs.failNext("ChangeMessageVisibility", { type: "InternalError", status: 500 });
    const event = await h.receiveBatch([job("flaky")]);

    const { result, lines } = await h.invoke(event);

    expect(result).toEqual({
      batchItemFailures: [{ itemIdentifier: event.Records[0]?.messageId }],
    });
    expect(lines.join("\n")).toMatch(/could not delay the message/);
  });

  it("dispatches at most BATCH_CONCURRENCY messages at once", async () => {
    await h.close();
    h = await DispatchHarness.start({ latencyMs: 100 });
    h.environment({ BATCH_CONCURRENCY: "2" });
    const event = await h.receiveBatch(["a", "b", "c", "d", "e", "f"].map((r) => job(r)));

    await h.invoke(event);
    const bounded = h.gitHub.dispatches();
    h.environment({ BATCH_CONCURRENCY: "10" });
    await h.invoke(await h.receiveBatch(["a", "b", "c", "d", "e", "f"].map((r) => job(r))));
    const parallel = h.gitHub.dispatches().slice(bounded.length);

    // GitHub holds each answer 100 ms: requests that arrive within that span of each other were in
    // flight together, whatever the machine's load does to wall time.
    expect(bounded).toHaveLength(6);
    expect(mostInFlight(bounded, 100)).toBeLessThanOrEqual(2);
    expect(parallel).toHaveLength(6);
    expect(mostInFlight(parallel, 100)).toBeGreaterThan(2);
  });

  it("expands fan-out jobs with the fan-out module the handler wires by default", async () => {
    const fanOut = JSON.stringify({
      targets: ["acme/a", "acme/b"],
      workflow_id: "x.yml",
      ref: "main",
    });

    const { result } = await h.invoke(await h.receiveBatch([fanOut]));

    expect(result).toEqual({ batchItemFailures: [] });
    expect(h.messages(DEAD_LETTER_QUEUE)).toEqual([]);
    const singles = h.messages(DISPATCH_QUEUE).filter((m) => !m.body.includes('"targets"'));
    expect(singles.map((m) => JSON.parse(m.body).repo)).toEqual(["a", "b"]);
  });
});

describe("attemptOf", () => {
  it.each([
    [{}, "1", 1],
    [{}, "4", 4],
    [{ attempt: { stringValue: "2", dataType: "Number" } }, "1", 2],
    [{ attempt: { stringValue: "2", dataType: "Number" } }, "3", 4],
    [{ attempt: { stringValue: "junk", dataType: "Number" } }, "1", 1],
  ])(
    "counts attribute %j with receive count %s as attempt %i",
    (messageAttributes, count, expected) => {
      const record = sqsRecord("{}", {
        messageAttributes,
        attributes: { ApproximateReceiveCount: count },
      });
      expect(attemptOf(record)).toBe(expected);
    },
  );
});

/** The most requests that arrived within `latencyMs` of one another (a few ms of slack for rounding). */
function mostInFlight(requests: readonly { receivedAt: number }[], latencyMs: number): number {
  return Math.max(
    ...requests.map(
      (r) =>
        requests.filter(
          (q) => q.receivedAt >= r.receivedAt && q.receivedAt < r.receivedAt + latencyMs - 5,
        ).length,
    ),
  );
}
