import { SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { describe, expect } from "vitest";
import { parseDispatchJob } from "../../../lambda/job/parse-job.js";
import { DispatchQueue } from "../../../lambda/queue/dispatch-queue.js";
import type { SqsStandIn } from "../../support/sqs-stand-in.js";
import { cliEnvironment, withStandIns as it, runCliProcess } from "../cli-process.js";
import { destinationRecord, scheduledJob, schedulerAttributes } from "../dead-letter-fixtures.js";

const DLQ = "workflow-dispatch-dlq";
const QUEUE = "workflow-dispatch";

interface Parked {
  readonly repo: string;
  readonly reason: string;
  readonly failedAt?: string;
  /** Wrap the job in an EventBridge event and leave the repository attribute out. */
  readonly inEvent?: boolean;
}

function sqsClient(sqs: SqsStandIn): SQSClient {
  return new SQSClient({
    region: "eu-central-1",
    endpoint: sqs.url,
    credentials: { accessKeyId: "AKIASTANDINEXAMPLE00", secretAccessKey: "stand-in" },
  });
}

/** Parks jobs with the function's own queue adapter, so the attributes are exactly what it writes. */
async function park(sqs: SqsStandIn, ...jobs: Parked[]): Promise<string[]> {
  const client = sqsClient(sqs);
  const queue = new DispatchQueue({
    sqs: client,
    dispatchQueueUrl: sqs.queueUrl(QUEUE),
    deadLetterQueueUrl: sqs.queueUrl(DLQ),
  });
  const bodies: string[] = [];
  for (const parked of jobs) {
    const job = { owner: "acme", repo: parked.repo, workflow_id: "nightly.yml", ref: "main" };
    const repository = `acme/${parked.repo}`;
    const body = JSON.stringify(
      parked.inEvent ? { "detail-type": "dispatch", source: "acme.ci", detail: job } : job,
    );
    bodies.push(body);
    await queue.parkInDeadLetterQueue(body, {
      reason: parked.reason.replace("{repository}", repository),
      failureClass: "permanent",
      errorName: "PermanentDispatchError",
      status: 404,
      source: parked.inEvent ? "eventbridge" : "sqs",
      repository: parked.inEvent ? undefined : repository,
      workflowId: "nightly.yml",
      attempts: 1,
      failedAt: new Date(parked.failedAt ?? "2027-01-01T09:00:00.000Z"),
    });
  }
  client.destroy();
  return bodies;
}

/**
 * Writes to the dead-letter queue what EventBridge Scheduler sends for a firing it could not deliver
 * (the schedule's input, Scheduler's attributes) and what Lambda's on-failure destination sends for a
 * failed asynchronous invocation (the invocation record), each over the real SDK.
 */
async function deadLetter(
  sqs: SqsStandIn,
  ...messages: { readonly body: unknown; readonly attributes?: Record<string, string> }[]
): Promise<void> {
  const client = sqsClient(sqs);
  for (const { body, attributes = {} } of messages) {
    await client.send(
      new SendMessageCommand({
        QueueUrl: sqs.queueUrl(DLQ),
        MessageBody: JSON.stringify(body),
        MessageAttributes: Object.fromEntries(
          Object.entries(attributes).map(([name, value]) => [
            name,
            { DataType: "String", StringValue: value },
          ]),
        ),
      }),
    );
  }
  client.destroy();
}

/** A firing Scheduler gave up on, for `acme/<repo>`. */
const schedulerFailure = (repo: string) => ({
  body: scheduledJob(repo),
  attributes: schedulerAttributes(repo),
});
/** A failed asynchronous invocation's destination record, for `acme/<repo>`. */
const destinationFailure = (repo: string) => ({ body: destinationRecord(scheduledJob(repo)) });

const SCHEDULER_REASON =
  "EventBridge Scheduler gave up after 185 retries (MaximumRetryAttempts): TooManyRequestsException: Rate Exceeded.";
const DESTINATION_REASON =
  "asynchronous invocation failed (RetriesExhausted, 3 attempts): QueueDoesNotExist: The specified queue does not exist.";

/** Reasons as the function writes them: they name the repository and workflow. */
const NOT_FOUND = "workflow nightly.yml in acme/api not found (404)";
const RATE =
  "gave up after 8 attempts: GitHub rate limit (429) for workflow nightly.yml in {repository}";

/** `text` as a literal in a regular expression. */
function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function visibleNow(sqs: SqsStandIn, queue: string): number {
  return sqs.messages(queue).filter((m) => m.visibleAt <= Date.now()).length;
}

describe.concurrent("workflow-dispatch dlq list", () => {
  it("groups parked jobs by reason, largest group first, and hands every message back", async ({
    sqs,
  }) => {
    await park(
      sqs,
      { repo: "api", reason: NOT_FOUND },
      { repo: "web", reason: RATE, failedAt: "2027-01-02T10:00:00.000Z" },
      { repo: "db", reason: RATE, failedAt: "2027-01-03T11:00:00.000Z" },
    );
    const run = await runCliProcess(["dlq", "list"], cliEnvironment({ sqs }));
    expect(run.code).toBe(0);
    const lines = run.stdout.split("\n");
    expect(lines[0]).toMatch(/^COUNT\s+KIND\s+REASON\s+REPOSITORIES\s+LAST FAILED$/);
    expect(lines[2]).toBe(
      "    2  parked  gave up after 8 attempts: GitHub rate limit (429) for workflow {workflow} in {repository}  acme/db, acme/web  2027-01-03T11:00:00.000Z",
    );
    expect(lines[3]).toMatch(
      /^ {4}1 {2}parked {2}workflow \{workflow\} in \{repository\} not found \(404\) +acme\/api +2027-01-01T09:00:00\.000Z$/,
    );
    expect(run.stdout).toContain("3 parked jobs with 2 reasons");
    expect(visibleNow(sqs, DLQ)).toBe(3);
  });

  it("prints groups and messages as JSON", async ({ sqs }) => {
    const [body] = await park(sqs, { repo: "api", reason: NOT_FOUND });
    const run = await runCliProcess(["dlq", "list", "--json"], cliEnvironment({ sqs }));
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      total: 1,
      truncated: false,
      groups: [
        {
          kind: "parked",
          reason: "workflow {workflow} in {repository} not found (404)",
          count: 1,
          messages: [
            {
              kind: "parked",
              reason: NOT_FOUND,
              repository: "acme/api",
              workflow_id: "nightly.yml",
              failure_class: "permanent",
              body,
            },
          ],
        },
      ],
    });
  });

  it("lists Scheduler failures and Lambda destination records with their kind and reason", async ({
    sqs,
  }) => {
    await park(sqs, { repo: "api", reason: NOT_FOUND });
    await deadLetter(
      sqs,
      schedulerFailure("web"),
      schedulerFailure("db"),
      destinationFailure("docs"),
    );
    const run = await runCliProcess(["dlq", "list", "--messages"], cliEnvironment({ sqs }));
    expect(run.code).toBe(0);
    const lines = run.stdout.split("\n");
    expect(lines[2]).toMatch(
      new RegExp(`^ {4}2 {2}scheduler {11}${literal(SCHEDULER_REASON)} +acme/db, acme/web +\\S+Z$`),
    );
    expect(lines.slice(3, 5).sort()).toEqual([
      expect.stringMatching(
        new RegExp(
          `^ {4}1 {2}lambda-destination {2}${literal(DESTINATION_REASON)} +acme/docs +2027-01-04T09:03:12\\.345Z$`,
        ),
      ),
      expect.stringMatching(/^ {4}1 {2}parked {14}workflow \{workflow\} in \{repository\}/),
    ]);
    expect(run.stdout).not.toContain("(no reason recorded)");
    expect(run.stdout).toContain(`${SCHEDULER_REASON}  [scheduler]`);
    expect(run.stdout).toContain("4 parked jobs with 3 reasons");
    expect(visibleNow(sqs, DLQ)).toBe(4);
  });

  it("prints the kind, the reason, the details and the job of each message as JSON", async ({
    sqs,
  }) => {
    await deadLetter(sqs, schedulerFailure("web"), destinationFailure("docs"));
    const run = await runCliProcess(["dlq", "list", "--json"], cliEnvironment({ sqs }));
    expect(run.code).toBe(0);
    const { groups } = JSON.parse(run.stdout) as { groups: { messages: unknown[] }[] };
    const messages = groups.flatMap((g) => g.messages);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: "scheduler",
          reason: SCHEDULER_REASON,
          repository: "acme/web",
          workflow_id: "nightly.yml",
          details: expect.objectContaining({
            error_code: "TooManyRequestsException",
            schedule_arn: scheduledJob("web").scheduler.schedule_arn,
          }),
          job: JSON.stringify(scheduledJob("web")),
        }),
        expect.objectContaining({
          kind: "lambda-destination",
          reason: DESTINATION_REASON,
          repository: "acme/docs",
          failed_at: "2027-01-04T09:03:12.345Z",
          details: expect.objectContaining({
            condition: "RetriesExhausted",
            request_id: "8ea123e4-1db7-4aca-ad10-d9ca1234c1fd",
          }),
          job: JSON.stringify(scheduledJob("docs")),
          body: JSON.stringify(destinationRecord(scheduledJob("docs"))),
        }),
      ]),
    );
  });

  it("says so when the queue is empty", async ({ sqs }) => {
    const run = await runCliProcess(["dlq", "list"], cliEnvironment({ sqs }));
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`the dead-letter queue ${sqs.queueUrl(DLQ)} is empty`);
  });

  it("fails with exit code 2 when the dead-letter queue does not exist", async ({ sqs }) => {
    const run = await runCliProcess(
      ["dlq", "list", "--dlq-url", sqs.queueUrl("nope")],
      cliEnvironment({ sqs }),
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      `queue ${sqs.queueUrl("nope")} does not exist; check --dlq-url or DEAD_LETTER_QUEUE_URL`,
    );
  });

  it("fails with exit code 2 without a dead-letter queue URL", async ({ sqs }) => {
    const run = await runCliProcess(
      ["dlq", "list"],
      cliEnvironment({ sqs }, { DEAD_LETTER_QUEUE_URL: undefined }),
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      "no dead-letter queue URL: pass --dlq-url or set DEAD_LETTER_QUEUE_URL",
    );
  });
});

describe.concurrent("workflow-dispatch dlq redrive", () => {
  it("moves the matching jobs back to the queue, body unchanged, and deletes only those", async ({
    sqs,
  }) => {
    const [api, , db] = await park(
      sqs,
      { repo: "api", reason: RATE },
      { repo: "web", reason: NOT_FOUND },
      { repo: "db", reason: RATE },
    );
    const run = await runCliProcess(
      ["dlq", "redrive", "--reason", "RATE LIMIT"],
      cliEnvironment({ sqs }),
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("redrove 2 of 3 parked jobs");
    expect(
      sqs
        .messages(QUEUE)
        .map((m) => m.body)
        .sort(),
    ).toEqual([api, db].sort());
    expect(sqs.messages(DLQ).map((m) => JSON.parse(m.body).repo)).toEqual(["web"]);
    expect(visibleNow(sqs, DLQ)).toBe(1);
  });

  it("redrives a destination record and a Scheduler firing as the plain job", async ({ sqs }) => {
    await deadLetter(sqs, destinationFailure("docs"), schedulerFailure("web"));
    const run = await runCliProcess(["dlq", "redrive", "--json"], cliEnvironment({ sqs }));
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).redriven).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: "lambda-destination", repository: "acme/docs" }),
        expect.objectContaining({ kind: "scheduler", repository: "acme/web" }),
      ]),
    );
    const redriven = sqs.messages(QUEUE).map((m) => JSON.parse(m.body) as unknown);
    expect(redriven).toHaveLength(2);
    expect(redriven).toEqual(expect.arrayContaining([scheduledJob("docs"), scheduledJob("web")]));
    // Each is a job the function accepts, so it is dispatched instead of parked again as invalid.
    for (const job of redriven) expect(() => parseDispatchJob(job)).not.toThrow();
    expect(sqs.messages(DLQ)).toEqual([]);
  });

  it("selects Scheduler failures and destination records by their reason", async ({ sqs }) => {
    await deadLetter(sqs, destinationFailure("docs"), schedulerFailure("web"));
    const run = await runCliProcess(
      ["dlq", "redrive", "--reason", "queuedoesnotexist", "--dry-run"],
      cliEnvironment({ sqs }),
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      new RegExp(
        `^would redrive \\S+ {2}lambda-destination {2}acme/docs {2}${literal(DESTINATION_REASON)}$`,
        "m",
      ),
    );
    expect(run.stdout).toContain("dry run: 1 of 2 parked jobs matches; nothing was moved");
    expect(sqs.messages(QUEUE)).toEqual([]);
    expect(visibleNow(sqs, DLQ)).toBe(2);
  });

  it("filters by repository pattern", async ({ sqs }) => {
    await park(sqs, { repo: "api", reason: RATE }, { repo: "web", reason: RATE });
    const run = await runCliProcess(
      ["dlq", "redrive", "--repository", "acme/w*", "--json"],
      cliEnvironment({ sqs }),
    );
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      read: 2,
      selected: 1,
      redriven: [{ repository: "acme/web" }],
    });
    expect(sqs.messages(DLQ).map((m) => JSON.parse(m.body).repo)).toEqual(["api"]);
  });

  it("finds the repository of a job parked inside an EventBridge event", async ({ sqs }) => {
    const [event] = await park(
      sqs,
      { repo: "api", reason: RATE, inEvent: true },
      { repo: "web", reason: RATE },
    );
    const run = await runCliProcess(
      ["dlq", "redrive", "--repository", "acme/api"],
      cliEnvironment({ sqs }),
    );
    expect(run.code).toBe(0);
    expect(sqs.messages(QUEUE).map((m) => m.body)).toEqual([event]);
  });

  it("redrives more jobs than one SQS batch holds, deleting them 10 at a time", async ({ sqs }) => {
    const repos = Array.from({ length: 23 }, (_, i) => ({ repo: `svc-${i}`, reason: RATE }));
    await park(sqs, ...repos);
    const run = await runCliProcess(["dlq", "redrive", "--json"], cliEnvironment({ sqs }));
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ read: 23, selected: 23 });
    expect(sqs.messages(QUEUE)).toHaveLength(23);
    expect(sqs.messages(DLQ)).toEqual([]);
    expect(
      sqs.calls("DeleteMessageBatch").map((c) => (c.body as { Entries: unknown[] }).Entries.length),
    ).toEqual([10, 10, 3]);
  });

  it("moves nothing with --dry-run", async ({ sqs }) => {
    await park(sqs, { repo: "api", reason: RATE });
    const run = await runCliProcess(["dlq", "redrive", "--dry-run"], cliEnvironment({ sqs }));
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /would redrive \S+ {2}parked {2}acme\/api {2}gave up after 8 attempts: GitHub rate limit/,
    );
    expect(run.stdout).toContain("dry run: 1 of 1 parked job matches; nothing was moved");
    expect(sqs.messages(QUEUE)).toEqual([]);
    expect(visibleNow(sqs, DLQ)).toBe(1);
  });

  it("keeps a job in the dead-letter queue when its send is refused, and exits 1", async ({
    sqs,
  }) => {
    await park(sqs, { repo: "api", reason: RATE }, { repo: "web", reason: RATE });
    sqs.failBatchEntries("SendMessageBatch", ["0"]);
    const run = await runCliProcess(["dlq", "redrive"], cliEnvironment({ sqs }));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("(left in the dead-letter queue)");
    expect(sqs.messages(QUEUE)).toHaveLength(1);
    expect(sqs.messages(DLQ)).toHaveLength(1);
    expect(visibleNow(sqs, DLQ)).toBe(1);
  });

  it("deletes nothing when the dispatch queue cannot be reached, and exits 3", async ({ sqs }) => {
    await park(sqs, { repo: "api", reason: RATE });
    sqs.failNext("SendMessageBatch", { type: "InternalError", status: 500 });
    const run = await runCliProcess(["dlq", "redrive"], cliEnvironment({ sqs }));
    expect(run.code).toBe(3);
    expect(run.stderr).toContain("SQS failed with 500");
    expect(sqs.messages(DLQ)).toHaveLength(1);
    expect(visibleNow(sqs, DLQ)).toBe(1);
  });

  it("fails with exit code 2 without a dispatch queue URL", async ({ sqs }) => {
    const run = await runCliProcess(
      ["dlq", "redrive"],
      cliEnvironment({ sqs }, { DISPATCH_QUEUE_URL: undefined }),
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      "no dispatch queue URL: pass --queue-url or set DISPATCH_QUEUE_URL",
    );
  });
});
