import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { type Claim, ClaimedWork, DispatchClaims } from "../../../lambda/state/dispatch-claims.js";
import { standInDynamoDbClient } from "../../support/dynamodb-client.js";
import { DEFAULT_STATE_TABLE, DynamoDbStandIn } from "../../support/dynamodb-stand-in.js";

let dynamodb: DynamoDbStandIn;
let client: DynamoDBClient;

beforeAll(async () => {
  dynamodb = await DynamoDbStandIn.start();
  client = standInDynamoDbClient(dynamodb.url);
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

const claims = (windowSeconds?: number) =>
  new DispatchClaims({ client, tableName: DEFAULT_STATE_TABLE, windowSeconds });
const DISPATCH = { repository: "acme/api", workflow_id: "nightly.yml", ref: "main", inputs: {} };
const LEASE_MS = 60_000;

function held<T>(claim: Claim<T>) {
  if (claim.kind !== "claimed") throw new Error(`expected a held claim, got ${claim.kind}`);
  return claim;
}

describe("DispatchClaims", () => {
  it("grants the first claim and answers a later one with the stored result", async () => {
    const first = held(await claims().claim(ClaimedWork.Dispatch, "k", DISPATCH, LEASE_MS));
    expect(await first.complete({ status: 200, runId: 7, runUrl: undefined })).toBe(true);

    const second = await claims().claim(ClaimedWork.Dispatch, "k", DISPATCH, LEASE_MS);

    expect(second).toEqual({ kind: "completed", result: { status: 200, runId: 7 } });
  });

  it("keeps keys of different work and different keys apart", async () => {
    for (const [work, key] of [
      [ClaimedWork.Dispatch, "k1"],
      [ClaimedWork.FanOut, "k1"],
      [ClaimedWork.Dispatch, "k2"],
    ] as const) {
      expect((await claims().claim(work, key, DISPATCH, LEASE_MS)).kind).toBe("claimed");
    }
    expect(dynamodb.items()).toHaveLength(3);
  });

  it("tells a second instance that a held key is in progress", async () => {
    held(await claims().claim(ClaimedWork.Dispatch, "k", DISPATCH, LEASE_MS));

    expect(await claims().claim(ClaimedWork.Dispatch, "k", DISPATCH, LEASE_MS)).toEqual({
      kind: "in_progress",
    });
  });

  it("rejects a key reused for a different dispatch as a collision, completed or in progress", async () => {
    const first = held(await claims().claim(ClaimedWork.Dispatch, "k", DISPATCH, LEASE_MS));
    const other = { ...DISPATCH, inputs: { environment: "production" } };

    const whileHeld = await claims().claim(ClaimedWork.Dispatch, "k", other, LEASE_MS);
    await first.complete([{ status: 204 }]);
    const afterwards = await claims().claim(ClaimedWork.Dispatch, "k", other, LEASE_MS);

    expect(whileHeld).toEqual({ kind: "collision" });
    expect(afterwards).toEqual({ kind: "collision" });
  });

  it("gives the key back on release, so the retry can claim it", async () => {
    const first = held(await claims().claim(ClaimedWork.Dispatch, "k", DISPATCH, LEASE_MS));
    await first.release();

    expect((await claims().claim(ClaimedWork.Dispatch, "k", DISPATCH, LEASE_MS)).kind).toBe(
      "claimed",
    );
  });

  it("lets a copy take over a key whose holder crashed once the lease has run out", async () => {
    held(await claims().claim(ClaimedWork.Dispatch, "crashed", DISPATCH, 400));

    const during = await claims().claim(ClaimedWork.Dispatch, "crashed", DISPATCH, LEASE_MS);
    await new Promise((resolve) => setTimeout(resolve, 450));
    const after = await claims().claim(ClaimedWork.Dispatch, "crashed", DISPATCH, LEASE_MS);

    expect(during).toEqual({ kind: "in_progress" });
    expect(after.kind).toBe("claimed");
  });

  it("stores completed keys for the window (default 24 hours) and grants them again after it", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const start = Date.now();

    await held(await claims().claim(ClaimedWork.Dispatch, "k", DISPATCH, LEASE_MS)).complete("ok");
    const stored = dynamodb.items()[0];
    vi.setSystemTime(start + 86_401_000);
    const later = await claims().claim(ClaimedWork.Dispatch, "k", DISPATCH, LEASE_MS);

    expect(stored?.expiration).toBeCloseTo(start / 1000 + 86_400, -1);
    expect(stored?.status).toBe("COMPLETED");
    expect(later.kind).toBe("claimed");
  });

  it("honours a configured window", async () => {
    await held(await claims(3600).claim(ClaimedWork.Dispatch, "k", DISPATCH, LEASE_MS)).complete(1);

    expect(dynamodb.items()[0]?.expiration).toBeCloseTo(Date.now() / 1000 + 3600, -1);
  });

  it("fails the claim as unavailable when the key cannot be taken", async () => {
    dynamodb.failNext("PutItem", "InternalServerError");

    const claim = await claims().claim(ClaimedWork.Dispatch, "k", DISPATCH, LEASE_MS);

    expect(claim.kind).toBe("unavailable");
    expect(claim.kind === "unavailable" && (claim.error as Error).name).toMatch(
      /InternalServerError/,
    );
  });

  it("fails a completion that cannot be written with false, not an exception", async () => {
    const claim = held(await claims().claim(ClaimedWork.Dispatch, "k", DISPATCH, LEASE_MS));
    dynamodb.failNext("UpdateItem", "InternalServerError");

    expect(await claim.complete({ runId: 1 })).toBe(false);
  });

  it("releases quietly when the delete fails: the key comes back with its lease", async () => {
    const claim = held(await claims().claim(ClaimedWork.Dispatch, "k", DISPATCH, LEASE_MS));
    dynamodb.failNext("DeleteItem", "InternalServerError");

    await expect(claim.release()).resolves.toBeUndefined();
  });
});
