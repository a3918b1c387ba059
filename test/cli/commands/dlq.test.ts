import { SQSClient } from "@aws-sdk/client-sqs";
import { describe, expect } from "vitest";
import { DispatchQueue } from "../../../lambda/queue/dispatch-queue.js";
import type { SqsStandIn } from "../../support/sqs-stand-in.js";
import { cliEnvironment, withStandIns as it, runCliProcess } from "../cli-process.js";

const DLQ = "workflow-dispatch-dlq";
const QUEUE = "workflow-dispatch";

interface Parked {
  readonly repo: string;
  readonly reason: string;
  readonly failedAt?: string;
  /** Wrap the job in an EventBridge event and leave the repository attribute out. */
  readonly inEvent?: boolean;
}

/** Parks jobs with the function's own queue adapter, so the attributes are exactly what it writes. */
async function park(sqs: SqsStandIn, ...jobs: Parked[]): Promise<string[]> {
  const client = new SQSClient({
    region: "eu-central-1",
    endpoint: sqs.url,
    credentials: { accessKeyId: "AKIASTANDINEXAMPLE00", secretAccessKey: "stand-in" },
  });
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

/** Reasons as the function writes them: they name the repository and workflow. */
const NOT_FOUND = "workflow nightly.yml in acme/api not found (404)";
const RATE =
  "gave up after 8 attempts: GitHub rate limit (429) for workflow nightly.yml in {repository}";

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
    expect(lines[0]).toMatch(/^COUNT\s+REASON\s+REPOSITORIES\s+LAST FAILED$/);
    expect(lines[2]).toBe(
      "    2  gave up after 8 attempts: GitHub rate limit (429) for workflow {workflow} in {repository}  acme/db, acme/web  2027-01-03T11:00:00.000Z",
    );
    expect(lines[3]).toMatch(
      /^ {4}1 {2}workflow \{workflow\} in \{repository\} not found \(404\) +acme\/api +2027-01-01T09:00:00\.000Z$/,
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
          reason: "workflow {workflow} in {repository} not found (404)",
          count: 1,
          messages: [
            {
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

  it("moves nothing with --dry-run", async ({ sqs }) => {
    await park(sqs, { repo: "api", reason: RATE });
    const run = await runCliProcess(["dlq", "redrive", "--dry-run"], cliEnvironment({ sqs }));
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /would redrive \S+ {2}acme\/api {2}gave up after 8 attempts: GitHub rate limit/,
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
