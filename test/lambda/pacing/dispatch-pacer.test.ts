import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { DispatchPacer } from "../../../lambda/pacing/dispatch-pacer.js";
import { PacingLedger } from "../../../lambda/pacing/pacing-ledger.js";
import {
  DEFAULT_PACING_LIMITS,
  PacingLimitTable,
  type SecretPacing,
} from "../../../lambda/pacing/pacing-limits.js";
import { tokenIdentity } from "../../../lambda/pacing/token-identity.js";
import { standInDynamoDbClient } from "../../support/dynamodb-client.js";
import { DEFAULT_STATE_TABLE, DynamoDbStandIn } from "../../support/dynamodb-stand-in.js";
import { ManualClock } from "../../support/manual-clock.js";

const SECRET = "github/acme-bot";
let dynamodb: DynamoDbStandIn;
let client: DynamoDBClient;
let clock: ManualClock;
const T0 = 1_800_000_000_000;

beforeAll(async () => {
  dynamodb = await DynamoDbStandIn.start();
  client = standInDynamoDbClient(dynamodb.url);
});
afterAll(async () => {
  client.destroy();
  await dynamodb.close();
});
afterEach(() => {
  dynamodb.createTable({
    name: DEFAULT_STATE_TABLE,
    partitionKey: "id",
    ttlAttribute: "expiration",
  });
  dynamodb.requests.length = 0;
});

function instance(blocks: Record<string, SecretPacing> = {}): DispatchPacer {
  clock ??= new ManualClock(T0);
  return new DispatchPacer({
    ledger: new PacingLedger({ client, tableName: DEFAULT_STATE_TABLE }),
    limits: PacingLimitTable.of(DEFAULT_PACING_LIMITS, blocks),
    now: () => clock.now(),
  });
}

describe("DispatchPacer", () => {
  it("lets jobs go while the limits allow within two seconds (waiting in-process) and defers the next", async () => {
    clock = new ManualClock(T0);
    const pacer = instance();

    const decisions = [];
    for (let i = 0; i < 4; i++) decisions.push(await pacer.admit(SECRET));

    expect(decisions).toEqual([
      { kind: "go", alignMs: 0, paced: true },
      { kind: "go", alignMs: 775, paced: true },
      { kind: "go", alignMs: 1550, paced: true },
      { kind: "wait", untilMs: T0 + 2325, delaySeconds: 2 },
    ]);
  });

  it("lets a deferred job start when it comes back for its turn, without touching the ledger before", async () => {
    clock = new ManualClock(T0);
    const pacer = instance();
    for (let i = 0; i < 3; i++) await pacer.admit(SECRET);
    const deferred = await pacer.admit(SECRET);
    const calls = dynamodb.callCount();

    clock.advance(200);
    const early = await pacer.admit(SECRET, T0 + 2325);
    const callsWhileEarly = dynamodb.callCount();
    clock.advance(1200);
    const due = await pacer.admit(SECRET, T0 + 2325);

    expect(deferred).toEqual({ kind: "wait", untilMs: T0 + 2325, delaySeconds: 2 });
    expect(early).toEqual({ kind: "wait", untilMs: T0 + 2325, delaySeconds: 2 });
    expect(callsWhileEarly).toBe(calls);
    expect(due).toEqual({ kind: "go", alignMs: 925, paced: true });
  });

  it("does not let a newcomer overtake jobs in line", async () => {
    clock = new ManualClock(T0);
    const pacer = instance();
    for (let i = 0; i < 6; i++) await pacer.admit(SECRET);

    clock.advance(60_000);
    const newcomer = await pacer.admit(SECRET);

    expect(newcomer).toEqual({ kind: "go", alignMs: 0, paced: true });
  });

  it("never starts more than the limits allow across instances sharing the token", async () => {
    clock = new ManualClock(T0);
    const [a, b, c] = [instance(), instance(), instance()];

    const decisions = await Promise.all(
      Array.from({ length: 30 }, (_, i) => [a, b, c][i % 3]?.admit(SECRET)),
    );
    const starts = decisions
      .filter((d) => d?.kind === "go")
      .map((d) => T0 + (d?.kind === "go" ? d.alignMs : 0))
      .sort((x, y) => x - y);
    const places = decisions
      .filter((d) => d?.kind === "wait")
      .map((d) => (d?.kind === "wait" ? d.untilMs : 0));

    expect(starts).toEqual([T0, T0 + 775, T0 + 1550]);
    expect(new Set(places).size).toBe(27);
  });

  it("decides the concurrent jobs of one instance in one or two ledger writes", async () => {
    clock = new ManualClock(T0);
    const pacer = instance();

    await Promise.all(Array.from({ length: 10 }, () => pacer.admit(SECRET)));
    const ledgerWrites = dynamodb.requests.filter((r) => r.target === "PutItem");

    expect(ledgerWrites.length).toBeLessThanOrEqual(2);
  });

  it("waits for a time the message carries without reading the ledger", async () => {
    clock = new ManualClock(T0);

    const decision = await instance().admit(SECRET, T0 + 90_000);

    expect(decision).toEqual({ kind: "wait", untilMs: T0 + 90_000, delaySeconds: 90 });
    expect(dynamodb.callCount()).toBe(0);
  });

  it("starts nothing before GitHub's retry-after has passed", async () => {
    clock = new ManualClock(T0);
    const pacer = instance();
    await pacer.admit(SECRET);

    await pacer.blockUntil(SECRET, T0 + 60_000);
    const newcomer = await pacer.admit(SECRET);
    const returning = await pacer.admit(SECRET, T0 + 775);

    expect(newcomer).toEqual({ kind: "wait", untilMs: T0 + 60_000, delaySeconds: 60 });
    expect(returning).toEqual({ kind: "wait", untilMs: T0 + 60_000, delaySeconds: 60 });
  });

  it("spreads dispatches when the primary budget runs low", async () => {
    clock = new ManualClock(T0);
    const pacer = instance();
    await pacer.admit(SECRET);

    await pacer.observePrimary(SECRET, { limit: 5000, remaining: 100, resetAt: T0 + 1_000_000 });
    const next = await pacer.admit(SECRET);

    expect(next).toEqual({ kind: "wait", untilMs: T0 + 10_000, delaySeconds: 10 });
  });

  it("paces each token on its own and honours per-secret limits", async () => {
    clock = new ManualClock(T0);
    const pacer = instance({ "github/slow-bot": { requestsPerMinute: 6 } });

    await pacer.admit(SECRET);
    const other = await pacer.admit("github/slow-bot");
    const slow = await pacer.admit("github/slow-bot");

    expect(other).toEqual({ kind: "go", alignMs: 0, paced: true });
    expect(slow).toMatchObject({ kind: "wait", untilMs: T0 + Math.ceil(62_000 / 6) });
  });

  it("books a fan-out's places after the line, and newcomers queue behind them", async () => {
    clock = new ManualClock(T0);
    const pacer = instance();

    const places = await pacer.book(SECRET, 6);
    const newcomer = await pacer.admit(SECRET);

    expect(places).toEqual([0, 775, 1550, 2325, 3100, 3875].map((ms) => T0 + ms));
    expect(newcomer).toEqual({ kind: "wait", untilMs: T0 + 4650, delaySeconds: 4 });
  });

  it("stores the token's identity, never the secret id", async () => {
    clock = new ManualClock(T0);
    await instance().admit(SECRET);

    expect(JSON.stringify(dynamodb.items())).not.toContain("acme");
    expect(dynamodb.items()[0]?.id).toBe(`pacing#${tokenIdentity(SECRET)}`);
  });
});

describe("PacingLedger", () => {
  it("retries a write that lost a race with the state the failed write returned", async () => {
    const ledger = new PacingLedger({ client, tableName: DEFAULT_STATE_TABLE });
    const stale = await ledger.read("t");
    await ledger.update("t", (s) => ({ state: { ...s, sent: [1] }, result: undefined }));
    const reads = dynamodb.callCount("GetItem");

    const { result, state } = await ledger.update(
      "t",
      (s) => ({ state: { ...s, sent: [...s.sent, 2] }, result: [...s.sent, 2] }),
      stale,
    );

    expect(result).toEqual([1, 2]);
    expect(state.version).toBe(2);
    expect(dynamodb.callCount("GetItem")).toBe(reads);
  });

  it("fails with PacingLedgerContendedError after maxConflicts lost races", async () => {
    const ledger = new PacingLedger({ client, tableName: DEFAULT_STATE_TABLE, maxConflicts: 1 });
    const stale = await ledger.read("t");
    await ledger.update("t", (s) => ({ state: { ...s, sent: [1] }, result: undefined }));

    const attempt = ledger.update("t", (s) => ({ state: s, result: undefined }), stale);

    await expect(attempt).rejects.toMatchObject({ name: "PacingLedgerContendedError" });
  });
});
