import type { SQSBatchResponse } from "aws-lambda";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DirectResult } from "../../../lambda/process/process-direct.js";
import { jsonLogEntries } from "../../support/capture-logs.js";
import { DEFAULT_STATE_TABLE, DynamoDbStandIn } from "../../support/dynamodb-stand-in.js";
import { schedulerPayload, sqsEvent, sqsRecord } from "../../support/events.js";
import { DISPATCH_QUEUE, DispatchHarness, SECRET_ID } from "../process/dispatch-harness.js";

const job = (repo: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ owner: "acme", repo, workflow_id: "nightly.yml", ref: "main", ...extra });

/** 30 dispatches a minute: starts 2067 ms apart, well over the 500 ms waited in-process here. */
const SPACING = Math.ceil(62_000 / 30);

describe("the single-job guard through the handler", () => {
  let h: DispatchHarness;
  let dynamodb: DynamoDbStandIn;
  const stateEnvironment = () => ({
    STATE_TABLE_NAME: DEFAULT_STATE_TABLE,
    AWS_ENDPOINT_URL_DYNAMODB: dynamodb.url,
    PACING_LIMITS: JSON.stringify({ [SECRET_ID]: { requestsPerMinute: 30 } }),
    PACING_ALIGN_MS: "500",
  });

  beforeEach(async () => {
    h = await DispatchHarness.start();
    dynamodb = await DynamoDbStandIn.start();
    h.environment(stateEnvironment());
  });
  afterEach(async () => {
    await h.close();
    await dynamodb.close();
  });

  const record = (body: string, messageId: string, attributes: Record<string, string> = {}) =>
    sqsRecord(body, {
      messageId,
      messageAttributes: Object.fromEntries(
        Object.entries(attributes).map(([k, v]) => [
          k,
          { stringValue: v, dataType: "Number", stringListValues: [], binaryListValues: [] },
        ]),
      ),
    });

  it("dispatches a redelivered job once and acknowledges the copy as a suppressed duplicate", async () => {
    const body = job("api", { idempotency_key: "deploy-42" });

    await h.invoke(sqsEvent(record(body, "m-1")));
    const { result, lines } = await h.invoke(sqsEvent(record(body, "m-2")));

    expect(result).toEqual({ batchItemFailures: [] });
    expect(h.gitHub.dispatches()).toHaveLength(1);
    expect(jsonLogEntries(lines).find((l) => l.outcome === "duplicate")).toMatchObject({
      message: "duplicate suppressed: this job was already dispatched",
      idempotency_key: "deploy-42",
      workflow_run_id: expect.any(Number),
    });
    expect(lines.join("\n")).toMatch(/"DuplicatesSuppressed":1/);
  });

  it("answers a repeated Scheduler firing with the first run's details", async () => {
    const payload = schedulerPayload(JSON.parse(job("api")), {
      scheduleArn: "arn:aws:scheduler:eu-central-1:111122223333:schedule/default/nightly",
      scheduledTime: "2026-11-24T02:00:00Z",
    });

    const first = (await h.invoke(payload)).result as DirectResult;
    const again = (await h.invoke(payload)).result as DirectResult;

    expect(again).toEqual(first);
    expect(h.gitHub.dispatches()).toHaveLength(1);
  });

  it("defers a Scheduler invoke whose turn is ahead to the queue and answers with when it will run", async () => {
    const fire = (minute: string) =>
      schedulerPayload(JSON.parse(job("api")), {
        scheduleArn: "arn:aws:scheduler:eu-central-1:111122223333:schedule/default/every-minute",
        scheduledTime: `2026-11-24T02:${minute}:00Z`,
      });

    await h.invoke(fire("00"));
    const { result } = await h.invoke(fire("01"));

    expect(result as DirectResult).toMatchObject({
      outcome: "queued",
      jobs: 1,
      not_before: expect.any(String),
      idempotency_key:
        "arn:aws:scheduler:eu-central-1:111122223333:schedule/default/every-minute#2026-11-24T02:01:00Z",
    });
    const [queued] = h.messages(DISPATCH_QUEUE);
    expect(JSON.parse(queued?.body ?? "{}").idempotency_key).toMatch(/#2026-11-24T02:01:00Z$/);
    expect(h.gitHub.dispatches()).toHaveLength(1);
  });

  it("lets one of two concurrent copies dispatch and defers the other until the first is done", async () => {
    h.gitHub.scriptFor("acme/api", { status: 204, delayMs: 300 });
    const body = job("api", { idempotency_key: "deploy-43" });

    const [a, b] = await Promise.all([
      h.invoke(sqsEvent(record(body, "m-1")), h.handler()),
      h.invoke(sqsEvent(record(body, "m-2")), h.handler()),
    ]);

    expect([a.result, b.result]).toEqual([{ batchItemFailures: [] }, { batchItemFailures: [] }]);
    expect(h.gitHub.dispatches()).toHaveLength(1);
    const deferred = h.messages(DISPATCH_QUEUE);
    expect(deferred).toHaveLength(1);
    expect(JSON.parse(deferred[0]?.body ?? "{}").idempotency_key).toBe("deploy-43");
    expect(deferred[0]?.delaySeconds).toBeGreaterThanOrEqual(29);
    expect(Number(deferred[0]?.attributes.not_before) - Date.now()).toBeGreaterThan(28_000);
  });

  it("paces jobs sharing a token: the first goes, the others are deferred to their turns without counting an attempt", async () => {
    const event = sqsEvent(
      ...["a", "b", "c"].map((r, i) => record(job(r), `m-${i}`, { attempt: "3" })),
    );

    const { result } = await h.invoke(event);

    expect(result).toEqual({ batchItemFailures: [] });
    expect(h.gitHub.dispatches()).toHaveLength(1);
    const deferred = h.messages(DISPATCH_QUEUE);
    expect(deferred).toHaveLength(2);
    const turns = deferred.map((m) => Number(m.attributes.not_before)).sort();
    expect((turns[1] ?? 0) - (turns[0] ?? 0)).toBe(SPACING);
    expect(deferred.map((m) => m.attributes.attempt)).toEqual(["3", "3"]);
    expect(deferred.every((m) => JSON.parse(m.body).idempotency_key.startsWith("m-"))).toBe(true);
  });

  it("dispatches a deferred job when it comes back for its turn, waiting the last moment in-process", async () => {
    await h.invoke(sqsEvent(...["a", "b"].map((r, i) => record(job(r), `m-${i}`))));
    const [deferred] = h.messages(DISPATCH_QUEUE);
    const turn = Number(deferred?.attributes.not_before);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, turn - 300 - Date.now())));

    const { lines } = await h.invoke(
      sqsEvent(
        record(deferred?.body ?? "", "m-1-again", {
          not_before: String(turn),
          paced_since: deferred?.attributes.paced_since ?? "",
        }),
      ),
    );

    const dispatched = h.gitHub.dispatches();
    expect(dispatched).toHaveLength(2);
    expect(dispatched[1]?.path.split("/")[3]).toBe(JSON.parse(deferred?.body ?? "{}").repo);
    expect(dispatched[1]?.receivedAt).toBeGreaterThanOrEqual(turn - 50);
    expect(lines.join("\n")).toMatch(/"PacingDelay":[1-9]/);
  });

  it("defers a job whose fan-out hint is still ahead without touching the state table", async () => {
    const { result } = await h.invoke(
      sqsEvent(
        record(job("a", { idempotency_key: "k#acme/a" }), "m-1", {
          not_before: String(Date.now() + 120_000),
        }),
      ),
    );

    expect(result).toEqual({ batchItemFailures: [] });
    expect(dynamodb.callCount()).toBe(0);
    expect(h.messages(DISPATCH_QUEUE)[0]?.delaySeconds).toBeGreaterThanOrEqual(119);
  });

  it("blocks the token after GitHub's retry-after, so the next job waits for it", async () => {
    h.gitHub.scriptFor("acme/a", { status: 429, headers: { "retry-after": "120" } });

    const first = await h.invoke(sqsEvent(record(job("a"), "m-1")));
    const next = await h.invoke(sqsEvent(record(job("b"), "m-2")));

    expect((first.result as SQSBatchResponse).batchItemFailures).toHaveLength(1);
    expect(next.result).toEqual({ batchItemFailures: [] });
    expect(h.gitHub.dispatches()).toEqual([]);
    const deferred = h.messages(DISPATCH_QUEUE).find((m) => m.body.includes('"b"'));
    expect(Number(deferred?.attributes.not_before) - Date.now()).toBeGreaterThan(110_000);
    expect(first.lines.join("\n")).toMatch(/"TokenBlocked":1/);
  });

  it("spreads dispatches out when GitHub's primary budget runs low, before the limit is hit", async () => {
    const resetAt = Math.floor(Date.now() / 1000) + 600;
    h.gitHub.scriptFor("acme/a", {
      status: 204,
      headers: {
        "x-ratelimit-limit": "5000",
        "x-ratelimit-remaining": "10",
        "x-ratelimit-reset": String(resetAt),
      },
    });

    await h.invoke(sqsEvent(record(job("a"), "m-1")));
    await h.invoke(sqsEvent(record(job("b"), "m-2")));

    const deferred = h.messages(DISPATCH_QUEUE);
    expect(h.gitHub.dispatches()).toHaveLength(1);
    expect(Number(deferred[0]?.attributes.not_before) - Date.now()).toBeGreaterThan(50_000);
  });

  it("retries a job later, undispatched, when the state table cannot be reached", async () => {
    dynamodb.failNext("*", "InternalServerError", 20);

    const { result, lines } = await h.invoke(sqsEvent(record(job("a"), "m-1")));

    expect((result as SQSBatchResponse).batchItemFailures).toHaveLength(1);
    expect(h.gitHub.dispatches()).toEqual([]);
    expect(lines.join("\n")).toMatch(/state table unavailable/);
  });

  it("dispatches without pacing when PACING is off, still suppressing duplicates", async () => {
    h.environment({ ...stateEnvironment(), PACING: "off" });
    const bodies = ["a", "b", "c"].map((r) => job(r));

    await h.invoke(sqsEvent(...bodies.map((b, i) => record(b, `m-${i}`))));
    await h.invoke(sqsEvent(record(bodies[0] ?? "", "m-0")));

    expect(h.gitHub.dispatches()).toHaveLength(3);
  });
});
