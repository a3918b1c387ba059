import type { SQSBatchResponse } from "aws-lambda";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DirectResult } from "../../../lambda/process/process-direct.js";
import { jsonLogEntries } from "../../support/capture-logs.js";
import { DEFAULT_STATE_TABLE, DynamoDbStandIn } from "../../support/dynamodb-stand-in.js";
import { schedulerPayload, sqsEvent, sqsRecord } from "../../support/events.js";
import { GitHubRepositoryCatalog } from "../../support/github-repository-catalog.js";
import { DEAD_LETTER_QUEUE, DISPATCH_QUEUE, DispatchHarness } from "../process/dispatch-harness.js";

const fanOut = (targets: unknown, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    targets,
    workflow_id: "audit.yml",
    ref: "main",
    inputs: { level: "quick" },
    ...extra,
  });

describe("fan-out through the handler", () => {
  let h: DispatchHarness;
  let dynamodb: DynamoDbStandIn;
  let catalog: GitHubRepositoryCatalog;

  beforeEach(async () => {
    catalog = new GitHubRepositoryCatalog();
    h = await DispatchHarness.start({ routes: [catalog] });
    dynamodb = await DynamoDbStandIn.start();
    h.environment({
      STATE_TABLE_NAME: DEFAULT_STATE_TABLE,
      AWS_ENDPOINT_URL_DYNAMODB: dynamodb.url,
      ALLOWED_REPOSITORIES: "acme/*",
    });
  });
  afterEach(async () => {
    await h.close();
    await dynamodb.close();
  });

  const singles = () => h.messages(DISPATCH_QUEUE).filter((m) => !m.body.includes('"targets"'));

  it("queues one single job per explicit target, keyed by the message and the target, and parks refused targets", async () => {
    const event = await h.receiveBatch([
      fanOut([
        "acme/api",
        { repository: "acme/web", ref: "release", inputs: { level: "full" } },
        "evil/x",
      ]),
    ]);
    const messageId = event.Records[0]?.messageId;

    const { result, lines } = await h.invoke(event);

    expect(result).toEqual({ batchItemFailures: [] });
    expect(singles().map((m) => JSON.parse(m.body))).toEqual([
      expect.objectContaining({
        owner: "acme",
        repo: "api",
        ref: "main",
        inputs: { level: "quick" },
        idempotency_key: `${messageId}#acme/api`,
      }),
      expect.objectContaining({
        owner: "acme",
        repo: "web",
        ref: "release",
        inputs: { level: "full" },
        idempotency_key: `${messageId}#acme/web`,
      }),
    ]);
    expect(h.messages(DEAD_LETTER_QUEUE)).toEqual([
      expect.objectContaining({
        attributes: expect.objectContaining({
          error_name: "FanOutTargetRefused",
          repository: "evil/x",
          reason: expect.stringContaining('add "evil/x"'),
        }),
      }),
    ]);
    expect(h.gitHub.dispatches()).toEqual([]);
    const expanded = jsonLogEntries(lines).find((l) => l.message === "fan-out expanded");
    expect(expanded).toMatchObject({
      fan_out_size: 2,
      refused: [expect.objectContaining({ repository: "evil/x" })],
    });
    expect(lines.join("\n")).toMatch(/"FanOutSize":2/);
  });

  it("resolves a selection when the job fires: topic, no archived, no forks, only repositories with the workflow", async () => {
    catalog.add(
      { full_name: "acme/a", topics: ["nightly"], workflows: ["audit.yml"] },
      { full_name: "acme/b", topics: ["nightly"], workflows: [] },
      { full_name: "acme/c", topics: ["nightly"], workflows: ["audit.yml"], archived: true },
      { full_name: "acme/d", topics: ["nightly"], workflows: ["audit.yml"], fork: true },
      { full_name: "acme/e", topics: ["other"], workflows: ["audit.yml"] },
    );

    await h.invoke(
      await h.receiveBatch([
        fanOut({ org: "acme", topic: "nightly", require_workflow_file: true }),
      ]),
    );

    expect(singles().map((m) => JSON.parse(m.body).repo)).toEqual(["a"]);
  });

  it("parks a fan-out whose organization cannot be listed, naming it", async () => {
    await h.invoke(await h.receiveBatch([fanOut({ org: "nobody" })]));

    expect(h.messages(DEAD_LETTER_QUEUE)[0]?.attributes.reason).toMatch(
      /^organization "nobody" not found \(404\) while listing the repositories/,
    );
  });

  it("expands a firing once: a redelivered copy is suppressed", async () => {
    const body = fanOut(["acme/api", "acme/web"], { idempotency_key: "nightly-2026-11-24" });

    await h.invoke(sqsEvent(sqsRecord(body, { messageId: "first-copy" })));
    const { lines } = await h.invoke(sqsEvent(sqsRecord(body, { messageId: "second-copy" })));

    expect(singles()).toHaveLength(2);
    expect(lines.join("\n")).toMatch(/duplicate suppressed: this firing was already expanded/);
  });

  it("keys a scheduled fan-out by schedule ARN and scheduled time and answers a direct invoke with the count", async () => {
    const payload = schedulerPayload(JSON.parse(fanOut(["acme/api", "acme/web"])), {
      scheduleArn: "arn:aws:scheduler:eu-central-1:111122223333:schedule/default/nightly",
      scheduledTime: "2026-11-24T02:00:00Z",
    });

    const { result } = await h.invoke(payload);

    expect(result as DirectResult).toMatchObject({ outcome: "queued", jobs: 2 });
    expect(JSON.parse(singles()[0]?.body ?? "{}").idempotency_key).toBe(
      "arn:aws:scheduler:eu-central-1:111122223333:schedule/default/nightly#2026-11-24T02:00:00Z#acme/api",
    );
  });

  it("books each queued target a place in the token's line and delays it until about then", async () => {
    const targets = Array.from({ length: 5 }, (_, i) => `acme/r${i}`);

    await h.invoke(await h.receiveBatch([fanOut(targets)]));

    const queued = singles();
    const places = queued.map((m) => Number(m.attributes.not_before));
    expect(places.slice(1).map((t, i) => t - (places[i] ?? 0))).toEqual([775, 775, 775, 775]);
    expect(queued.map((m) => m.delaySeconds)).toEqual([0, 0, 1, 2, 3]);
    expect(new Set(queued.map((m) => m.attributes.paced_since)).size).toBe(1);
  });

  it("retries the whole expansion when the queue cannot take the targets", async () => {
    h.sqs.failNext("SendMessageBatch", { type: "InternalError", status: 500 }, 12);

    const { result } = await h.invoke(await h.receiveBatch([fanOut(["acme/api"])]));

    expect((result as SQSBatchResponse).batchItemFailures).toHaveLength(1);
    expect(dynamodb.items().filter((i) => String(i.id).startsWith("workflow-dispatch#"))).toEqual(
      [],
    );
  });
});
