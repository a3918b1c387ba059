import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import {
  DispatchIdempotency,
  GuardedWork,
  IdempotencyUnavailableError,
} from "../../../lambda/idempotency/dispatch-idempotency.js";
import { DEFAULT_STATE_TABLE, DynamoDbStandIn } from "../../support/dynamodb-stand-in.js";

let dynamodb: DynamoDbStandIn;
let client: DynamoDBClient;

beforeAll(async () => {
  dynamodb = await DynamoDbStandIn.start();
  client = new DynamoDBClient({
    endpoint: dynamodb.url,
    region: "eu-central-1",
    credentials: { accessKeyId: "AKIDSTANDIN", secretAccessKey: "standin-secret" },
    maxAttempts: 1,
  });
});
afterAll(async () => {
  client.destroy();
  await dynamodb.close();
});
afterEach(() => {
  vi.useRealTimers();
  dynamodb.createTable({
    name: DEFAULT_STATE_TABLE,
    partitionKey: "id",
    ttlAttribute: "expiration",
  });
});

const guard = (options: { windowSeconds?: number; leaseMs?: number } = {}) =>
  new DispatchIdempotency({ client, tableName: DEFAULT_STATE_TABLE, ...options });

describe("DispatchIdempotency", () => {
  it("runs the work once and answers a later copy with the stored result", async () => {
    const idempotency = guard();
    const work = vi.fn(async () => ({ status: 200, runId: 7, runUrl: undefined }));

    const first = await idempotency.once(GuardedWork.Dispatch, "acme/api#1", work);
    const second = await idempotency.once(GuardedWork.Dispatch, "acme/api#1", work);

    expect(first).toEqual({ kind: "first", value: { status: 200, runId: 7 }, recorded: true });
    expect(second).toEqual({
      kind: "duplicate",
      state: "completed",
      value: { status: 200, runId: 7 },
    });
    expect(work).toHaveBeenCalledTimes(1);
  });

  it("keeps keys of different work and different keys apart", async () => {
    const idempotency = guard();
    const work = vi.fn(async () => "ok");

    await idempotency.once(GuardedWork.Dispatch, "k1", work);
    await idempotency.once(GuardedWork.FanOut, "k1", work);
    await idempotency.once(GuardedWork.Dispatch, "k2", work);

    expect(work).toHaveBeenCalledTimes(3);
  });

  it("tells a concurrent copy on another instance that the key is in progress", async () => {
    const [a, b] = [guard(), guard()];
    let release: () => void = () => undefined;
    const slow = new Promise<void>((resolve) => {
      release = resolve;
    });
    const work = vi.fn(async () => {
      await slow;
      return "dispatched";
    });

    const first = a.once(GuardedWork.Dispatch, "same", work);
    await vi.waitFor(() => expect(work).toHaveBeenCalledTimes(1));
    const second = await b.once(GuardedWork.Dispatch, "same", work);
    release();

    expect(second).toEqual({ kind: "duplicate", state: "in_progress" });
    expect(await first).toMatchObject({ kind: "first", value: "dispatched" });
    expect(work).toHaveBeenCalledTimes(1);
  });

  it("releases the key when the work fails, so the retry runs", async () => {
    const idempotency = guard();
    const failing = vi.fn(async () => {
      throw new Error("GitHub answered 502");
    });
    const working = vi.fn(async () => "dispatched");

    await expect(idempotency.once(GuardedWork.Dispatch, "k", failing)).rejects.toThrow(
      "GitHub answered 502",
    );
    const retry = await idempotency.once(GuardedWork.Dispatch, "k", working);

    expect(retry).toMatchObject({ kind: "first", value: "dispatched" });
  });

  it("lets a copy take over a key whose holder crashed once the lease has run out", async () => {
    const idempotency = guard({ leaseMs: 400 });
    void idempotency.once(
      GuardedWork.Dispatch,
      "crashed",
      () => new Promise<never>(() => undefined),
    );
    await vi.waitFor(() => expect(dynamodb.items()).toHaveLength(1), { interval: 2 });

    const during = await guard().once(GuardedWork.Dispatch, "crashed", async () => "x");
    await new Promise((resolve) => setTimeout(resolve, 450));
    const after = await guard().once(GuardedWork.Dispatch, "crashed", async () => "taken over");

    expect(during).toEqual({ kind: "duplicate", state: "in_progress" });
    expect(after).toMatchObject({ kind: "first", value: "taken over" });
  });

  it("stores completed keys for the window (default 24 hours) and runs again after it", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const start = Date.now();
    const idempotency = guard();
    const work = vi.fn(async () => "ok");

    await idempotency.once(GuardedWork.Dispatch, "k", work);
    const stored = dynamodb.items()[0];
    vi.setSystemTime(start + 86_401_000);
    await idempotency.once(GuardedWork.Dispatch, "k", work);

    expect(stored?.expiration).toBeCloseTo(start / 1000 + 86_400, -1);
    expect(stored?.status).toBe("COMPLETED");
    expect(work).toHaveBeenCalledTimes(2);
  });

  it("honours a configured window", async () => {
    const idempotency = guard({ windowSeconds: 3600 });

    await idempotency.once(GuardedWork.Dispatch, "k", async () => "ok");

    expect(dynamodb.items()[0]?.expiration).toBeCloseTo(Date.now() / 1000 + 3600, -1);
  });

  it("rejects with IdempotencyUnavailableError when the key cannot be taken, without running the work", async () => {
    dynamodb.failNext("PutItem", "InternalServerError");
    const work = vi.fn(async () => "ok");

    const attempt = guard().once(GuardedWork.Dispatch, "k", work);

    await expect(attempt).rejects.toBeInstanceOf(IdempotencyUnavailableError);
    await expect(attempt).rejects.toThrow(/InternalServerError/);
    expect(work).not.toHaveBeenCalled();
  });

  it("reports a dispatch whose completion could not be recorded as first but not recorded", async () => {
    dynamodb.failNext("UpdateItem", "InternalServerError");

    const result = await guard().once(GuardedWork.Dispatch, "k", async () => ({ runId: 1 }));

    expect(result).toEqual({ kind: "first", value: { runId: 1 }, recorded: false });
  });

  it("throws the work's own error when releasing the key fails too", async () => {
    dynamodb.failNext("DeleteItem", "InternalServerError");

    const attempt = guard().once(GuardedWork.Dispatch, "k", async () => {
      throw new Error("GitHub answered 500");
    });

    await expect(attempt).rejects.toThrow("GitHub answered 500");
  });
});
