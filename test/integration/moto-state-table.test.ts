import { randomUUID } from "node:crypto";
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DynamoDBClient,
  type TimeToLiveSpecification,
  UpdateTimeToLiveCommand,
} from "@aws-sdk/client-dynamodb";
import { SendMessageBatchCommand, type SendMessageCommandInput } from "@aws-sdk/client-sqs";
import { DynamoDBDocumentClient, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { Stack } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import type { Context } from "aws-lambda";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DispatchStateTable } from "../../infra/dispatch-state-table.js";
import { createHandler } from "../../lambda/handler.js";
import { DEFAULT_PACING_LIMITS } from "../../lambda/pacing/pacing-limits.js";
import { spacingMs } from "../../lambda/pacing/plan-admission.js";
import { decodeTimes } from "../../lambda/pacing/time-codec.js";
import { tokenIdentity } from "../../lambda/pacing/token-identity.js";
import type { DirectResult } from "../../lambda/process/process-direct.js";
import { TEST_ENV, testApp } from "../support/cdk-test-app.js";
import { schedulerPayload } from "../support/events.js";
import {
  type MotoTier,
  motoTierAvailable,
  recordingSqsClient,
  startMotoTier,
} from "../support/moto-fixtures.js";

/**
 * Second opinion on the state table: the real handler with duplicate suppression (Powertools
 * Idempotency) and pacing on, its real DynamoDB and SQS clients against moto_server instead of our
 * own DynamoDB stand-in, so a misreading of DynamoDB's condition semantics cannot hide in both.
 * Every case gets its own table (as infra/dispatch-state-table.ts defines it) and its own queues.
 */
const available = motoTierAvailable();

const TOKEN = "ghp_moto_state_token_0123456789abcdef";
const SECRET = "github/moto-state-bot";
const SCHEDULE = "arn:aws:scheduler:eu-central-1:111122223333:schedule/default/nightly";
const JOB = { owner: "acme", repo: "api", workflow_id: "nightly.yml", ref: "main" };
const LEDGER_ID = `pacing#${tokenIdentity(SECRET)}`;
const context = () => ({ awsRequestId: randomUUID() }) as Context;
const [AT, NEXT] = ["2026-11-24T09:00:00Z", "2026-11-24T09:01:00Z"];
const firing = (scheduledTime: string, job: object = JOB, scheduleArn = SCHEDULE) =>
  schedulerPayload(job, { scheduleArn, scheduledTime });
const attribute = (m: SendMessageCommandInput | undefined, name: string) =>
  m?.MessageAttributes?.[name]?.StringValue;
const near = (actual: number, expected: number, within: number) =>
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(within);

type TableDefinition = Pick<
  CreateTableCommandInput,
  "KeySchema" | "AttributeDefinitions" | "BillingMode"
> & { TimeToLiveSpecification: TimeToLiveSpecification };

/** The state table as the infra construct synthesizes it: no second copy of its schema here. */
function synthesizedStateTable(): TableDefinition {
  const stack = new Stack(testApp(), "StateTable", { env: TEST_ENV });
  new DispatchStateTable(stack, "State");
  const tables = Object.values(Template.fromStack(stack).findResources("AWS::DynamoDB::Table"));
  if (tables.length !== 1) throw new Error(`expected one table, synthesized ${tables.length}`);
  return tables[0]?.Properties as TableDefinition;
}

describe.skipIf(!available)("the state table against moto_server (DynamoDB, SQS)", () => {
  let tier: MotoTier;
  let dynamodb: DynamoDBClient;
  let table: TableDefinition;

  beforeAll(async () => {
    tier = await startMotoTier(TOKEN, SECRET);
    dynamodb = new DynamoDBClient({});
    table = synthesizedStateTable();
  }, 60_000);
  afterAll(async () => {
    dynamodb?.destroy();
    await tier?.close();
  });
  beforeEach(() => tier.github.reset());

  /** A fresh table and queues in moto; `container()` is a cold Lambda container of the function. */
  async function freshState(name: string, extra: Record<string, string> = {}) {
    const queues = await tier.createQueues(name);
    const TableName = `${name}-state`;
    const { TimeToLiveSpecification, ...schema } = table;
    await dynamodb.send(new CreateTableCommand({ TableName, ...schema }));
    await dynamodb.send(new UpdateTimeToLiveCommand({ TableName, TimeToLiveSpecification }));
    const env = {
      ...process.env,
      STATE_TABLE_NAME: TableName,
      DISPATCH_QUEUE_URL: queues.queueUrl,
      DEAD_LETTER_QUEUE_URL: queues.dlqUrl,
      ...extra,
    };
    const { sqs, sends } = recordingSqsClient();
    const items = async () =>
      (await DynamoDBDocumentClient.from(dynamodb).send(new ScanCommand({ TableName }))).Items ??
      [];
    return {
      queues,
      sends,
      container: () => createHandler(env, { sqs }),
      counts: () => tier.counts(queues.queueUrl),
      records: async () => (await items()).filter((item) => item.id !== LEDGER_ID),
      ledger: async () => (await items()).find((item) => item.id === LEDGER_ID),
    };
  }

  const posts = () => tier.github.requests.filter((r) => r.method === "POST");
  const repoOf = (path: string) => path.split("/")[3];
  const key = (scheduledTime: string) => `${SCHEDULE}#${scheduledTime}`;

  it("dispatches a Scheduler firing delivered twice once and answers the copy with the first run", async () => {
    const state = await freshState("redelivered");

    const first = await state.container()(firing(AT), context());
    const again = await state.container()(firing(AT), context());

    const runId = (first as { workflow_run_id?: number }).workflow_run_id;
    expect(first).toMatchObject({ outcome: "dispatched", idempotency_key: key(AT) });
    expect(runId).toEqual(expect.any(Number));
    expect(again).toEqual(first);
    expect(posts()).toHaveLength(1);
    const records = await state.records();
    expect(records).toEqual([
      expect.objectContaining({
        id: expect.stringMatching(/^workflow-dispatch#/),
        status: "COMPLETED",
        data: [expect.objectContaining({ runId })],
      }),
    ]);
    near(Number(records[0]?.expiration), Date.now() / 1000 + 86_400, 10);
    expect(JSON.stringify([records, await state.ledger()])).not.toContain(TOKEN);
  });

  it("lets one of two concurrent deliveries of a firing dispatch and defers the other behind it", async () => {
    const state = await freshState("concurrent");
    tier.github.scriptFor("acme/api", { status: 200, delayMs: 400 });

    const results = (await Promise.all(
      [1, 2].map(() => state.container()(firing(AT), context())),
    )) as DirectResult[];

    expect(results.map((r) => r.outcome).sort()).toEqual(["dispatched", "queued"]);
    expect(results.find((r) => r.outcome === "queued")).toMatchObject({
      reason: "a copy of this job is being dispatched right now",
      idempotency_key: key(AT),
    });
    expect(posts()).toHaveLength(1);
    expect(state.sends).toHaveLength(1);
    const [deferral] = state.sends;
    expect(JSON.parse(deferral?.MessageBody ?? "{}").idempotency_key).toBe(key(AT));
    expect(deferral?.DelaySeconds).toBeGreaterThanOrEqual(29);
    expect(await state.counts()).toEqual({ visible: 0, inFlight: 0, delayed: 1 });
    expect(await state.records()).toEqual([expect.objectContaining({ status: "COMPLETED" })]);
  });

  it("dispatches a later firing of the same schedule again, one pacing spacing after the first", async () => {
    const state = await freshState("next-firing");

    const first = await state.container()(firing(AT), context());
    const next = await state.container()(firing(NEXT), context());

    expect([first, next]).toMatchObject([
      { outcome: "dispatched", idempotency_key: key(AT) },
      { outcome: "dispatched", idempotency_key: key(NEXT) },
    ]);
    expect(posts()).toHaveLength(2);
    const records = await state.records();
    expect(records.map((r) => r.status)).toEqual(["COMPLETED", "COMPLETED"]);
    expect(new Set(records.map((r) => r.id)).size).toBe(2);
    const [a = 0, b = 0] = decodeTimes(String((await state.ledger())?.sent));
    expect(b - a).toBeGreaterThanOrEqual(spacingMs(DEFAULT_PACING_LIMITS));
  });

  it("paces jobs beyond the per-minute limit: one starts, the rest wait their turns in moto's queue", async () => {
    const perMinute = 3;
    const state = await freshState("paced", {
      PACING_LIMITS: JSON.stringify({ [SECRET]: { requestsPerMinute: perMinute } }),
    });
    const repos = ["r1", "r2", "r3", "r4", "r5", "r6"];
    const Entries = repos.map((repo, i) => ({
      Id: `${i}`,
      MessageBody: JSON.stringify({ ...JOB, repo }),
    }));
    await tier.sqs.send(new SendMessageBatchCommand({ QueueUrl: state.queues.queueUrl, Entries }));
    const records = tier.records(await tier.receive(state.queues.queueUrl), state.queues);
    expect(records).toHaveLength(repos.length);
    // Containers a, b, a: a's third write starts from the ledger it cached before b wrote, so it
    // fails moto's version condition and must replan from the item moto hands back (ALL_OLD).
    const [a, b] = [state.container(), state.container()];
    const results: unknown[] = [];
    for (const [i, handler] of [a, b, a].entries()) {
      const Records = records.slice(2 * i, 2 * i + 2);
      results.push(await handler({ Records }, context()));
      await tier.acknowledge(state.queues.queueUrl, Records, results[i]);
    }

    expect(results).toEqual([1, 2, 3].map(() => ({ batchItemFailures: [] })));
    expect(posts()).toHaveLength(1);
    expect(state.sends).toHaveLength(repos.length - 1);
    const deferredRepos = state.sends.map((m) => JSON.parse(m.MessageBody ?? "{}").repo);
    expect([repoOf(posts()[0]?.path ?? ""), ...deferredRepos].sort()).toEqual(repos);
    expect(await state.counts()).toEqual({ visible: 0, inFlight: 0, delayed: repos.length - 1 });

    const ledger = await state.ledger();
    const sent = decodeTimes(String(ledger?.sent));
    expect(sent).toHaveLength(1);
    const turns = state.sends.map((m) => Number(attribute(m, "not_before")));
    const starts = [...sent, ...turns].sort((x, y) => x - y);
    const spacing = spacingMs({ ...DEFAULT_PACING_LIMITS, perMinute });
    const gaps = (n: number) => starts.slice(n).map((t, i) => t - (starts[i] ?? 0));
    expect(Math.min(...gaps(1))).toBeGreaterThanOrEqual(Math.floor(spacing));
    // No more than `perMinute` starts in any minute, the limit itself.
    expect(Math.min(...gaps(perMinute))).toBeGreaterThanOrEqual(60_000);
    for (const m of state.sends) {
      near(m.DelaySeconds ?? 0, (Number(attribute(m, "not_before")) - (sent[0] ?? 0)) / 1000, 2);
      expect(attribute(m, "attempt")).toBe("1");
    }
    expect(ledger).toEqual({
      id: LEDGER_ID,
      sent: expect.any(String),
      tail: starts.at(-1),
      front: 0,
      blocked_until: 0,
      primary_spacing_ms: 0,
      primary_spacing_until: 0,
      version: expect.any(Number),
      expiration: Math.ceil(((starts.at(-1) ?? 0) + 2 * 3_600_000) / 1000),
    });
    expect(JSON.stringify(state.sends)).not.toContain(TOKEN);
  });

  it.each([
    ["429 with retry-after", 429, () => ({ "retry-after": "120" }), 120],
    [
      "403 with x-ratelimit-remaining 0",
      403,
      () => ({
        "x-ratelimit-remaining": "0",
        "x-ratelimit-reset": String(Math.ceil(Date.now() / 1000) + 300),
      }),
      300,
    ],
  ])(
    "blocks the token in the ledger after a %s, so the next job is deferred, not sent",
    async (_, status, headers, seconds) => {
      const state = await freshState(`blocked-${status}`);
      tier.github.scriptFor("acme/limited", { status, headers: headers() });
      const before = Date.now();

      const limited = await state.container()(firing(AT, { ...JOB, repo: "limited" }), context());
      const next = await state.container()(firing(AT, JOB, `${SCHEDULE}-2`), context());

      expect(limited).toMatchObject({ outcome: "retry_scheduled", failure_class: "rate_limited" });
      const ledger = await state.ledger();
      near(Number(ledger?.blocked_until) - before, seconds * 1000, 2000);
      expect(next).toMatchObject({
        outcome: "queued",
        not_before: new Date(Number(ledger?.blocked_until)).toISOString(),
      });
      expect(posts().map((r) => repoOf(r.path))).toEqual(["limited"]);
      const [retry, deferral] = state.sends;
      expect([attribute(retry, "attempt"), attribute(deferral, "not_before")]).toEqual([
        "2",
        String(ledger?.blocked_until),
      ]);
      near(retry?.DelaySeconds ?? 0, seconds, 1);
      near(deferral?.DelaySeconds ?? 0, seconds, 2);
      expect(await state.counts()).toEqual({ visible: 0, inFlight: 0, delayed: 2 });
      // Both keys were released (a rate-limited or deferred job must run when it comes back).
      expect(await state.records()).toEqual([]);
    },
  );
});
