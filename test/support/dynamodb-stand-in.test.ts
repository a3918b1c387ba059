import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  ResourceNotFoundException,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { standInDynamoDbClient } from "./dynamodb-client.js";
import { DEFAULT_STATE_TABLE, DynamoDbStandIn } from "./dynamodb-stand-in.js";

const TableName = DEFAULT_STATE_TABLE;
let standIn: DynamoDbStandIn;
let client: DynamoDBClient;
let now = 1_800_000_000_000;

beforeAll(async () => {
  standIn = await DynamoDbStandIn.start({ clock: () => now });
  client = standInDynamoDbClient(standIn.url);
});
afterAll(async () => {
  client.destroy();
  await standIn.close();
});
afterEach(() => {
  standIn.createTable({ name: TableName, partitionKey: "id", ttlAttribute: "expiration" });
});

const put = (id: string, extra: Record<string, unknown> = {}) =>
  client.send(new PutItemCommand({ TableName, Item: { id: { S: id }, n: { N: "1" } }, ...extra }));

describe("DynamoDbStandIn", () => {
  it("stores an item with PutItem and returns it with GetItem", async () => {
    await put("a");

    const result = await client.send(
      new GetItemCommand({ TableName, Key: { id: { S: "a" } }, ConsistentRead: true }),
    );

    expect(result.Item).toEqual({ id: { S: "a" }, n: { N: "1" } });
    expect(standIn.requests.map((r) => r.target)).toContain("PutItem");
  });

  it("answers GetItem for a missing item without Item", async () => {
    const result = await client.send(new GetItemCommand({ TableName, Key: { id: { S: "none" } } }));

    expect(result.Item).toBeUndefined();
  });

  it("rejects a conditional PutItem on an existing item with ConditionalCheckFailedException carrying the old item", async () => {
    await put("a");

    const attempt = put("a", {
      ConditionExpression: "attribute_not_exists(#id)",
      ExpressionAttributeNames: { "#id": "id" },
      ReturnValuesOnConditionCheckFailure: "ALL_OLD",
    });

    const error = await attempt.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConditionalCheckFailedException);
    expect((error as ConditionalCheckFailedException).Item).toEqual({
      id: { S: "a" },
      n: { N: "1" },
    });
  });

  it("rejects a failed condition without the old item when ReturnValuesOnConditionCheckFailure is not set", async () => {
    await put("a");

    const error = await put("a", {
      ConditionExpression: "attribute_not_exists(id)",
    }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ConditionalCheckFailedException);
    expect((error as ConditionalCheckFailedException).Item).toBeUndefined();
  });

  it("evaluates Powertools' idempotency condition (missing OR expired OR in-progress lease expired)", async () => {
    const condition = {
      ConditionExpression:
        "attribute_not_exists(#id) OR #expiry < :now OR (#status = :inprogress AND attribute_exists(#in_progress_expiry) AND #in_progress_expiry < :now_in_millis)",
      ExpressionAttributeNames: {
        "#id": "id",
        "#expiry": "expiration",
        "#in_progress_expiry": "in_progress_expiration",
        "#status": "status",
      },
    };
    const values = (nowMs: number) => ({
      ":now": { N: String(nowMs / 1000) },
      ":now_in_millis": { N: String(nowMs) },
      ":inprogress": { S: "INPROGRESS" },
    });
    const record = (status: string, leaseEnd: number) =>
      client.send(
        new PutItemCommand({
          TableName,
          Item: {
            id: { S: "k" },
            expiration: { N: "1900000000" },
            status: { S: status },
            in_progress_expiration: { N: String(leaseEnd) },
          },
          ...condition,
          ExpressionAttributeValues: values(1_800_000_000_000),
        }),
      );

    await record("INPROGRESS", 1_800_000_001_000);
    await expect(record("INPROGRESS", 1_800_000_001_000)).rejects.toBeInstanceOf(
      ConditionalCheckFailedException,
    );
    await client.send(
      new PutItemCommand({
        TableName,
        Item: {
          id: { S: "k" },
          expiration: { N: "1900000000" },
          status: { S: "INPROGRESS" },
          in_progress_expiration: { N: "1799999999000" },
        },
      }),
    );
    await expect(record("INPROGRESS", 1_800_000_001_000)).resolves.toBeDefined();
  });

  it("applies SET, ADD and REMOVE with UpdateItem and returns UPDATED_NEW", async () => {
    await client.send(
      new PutItemCommand({ TableName, Item: { id: { S: "u" }, gone: { S: "x" }, n: { N: "5" } } }),
    );

    const result = await client.send(
      new UpdateItemCommand({
        TableName,
        Key: { id: { S: "u" } },
        UpdateExpression: "SET #s = :s, n = n + :two ADD #v :one REMOVE gone",
        ExpressionAttributeNames: { "#s": "status", "#v": "version" },
        ExpressionAttributeValues: {
          ":s": { S: "COMPLETED" },
          ":two": { N: "2" },
          ":one": { N: "1" },
        },
        ReturnValues: "UPDATED_NEW",
      }),
    );

    expect(result.Attributes).toEqual({
      status: { S: "COMPLETED" },
      n: { N: "7" },
      version: { N: "1" },
    });
    expect(standIn.items()).toEqual([{ id: "u", n: 7, status: "COMPLETED", version: 1 }]);
  });

  it("creates the item on UpdateItem when it does not exist and the condition allows it", async () => {
    await client.send(
      new UpdateItemCommand({
        TableName,
        Key: { id: { S: "new" } },
        UpdateExpression: "SET #b = if_not_exists(#b, :zero) + :step",
        ConditionExpression: "attribute_not_exists(#b) OR #b < :limit",
        ExpressionAttributeNames: { "#b": "blocked_until" },
        ExpressionAttributeValues: {
          ":zero": { N: "0" },
          ":step": { N: "3" },
          ":limit": { N: "10" },
        },
      }),
    );

    expect(standIn.items()).toEqual([{ id: "new", blocked_until: 3 }]);
  });

  it("deletes with DeleteItem and returns ALL_OLD", async () => {
    await put("d");

    const result = await client.send(
      new DeleteItemCommand({ TableName, Key: { id: { S: "d" } }, ReturnValues: "ALL_OLD" }),
    );

    expect(result.Attributes).toEqual({ id: { S: "d" }, n: { N: "1" } });
    expect(standIn.items()).toEqual([]);
  });

  it("forgets an item whose TTL attribute has passed on its clock", async () => {
    await client.send(
      new PutItemCommand({
        TableName,
        Item: { id: { S: "t" }, expiration: { N: String(now / 1000 + 60) } },
      }),
    );
    now += 61_000;

    const result = await client.send(new GetItemCommand({ TableName, Key: { id: { S: "t" } } }));

    expect(result.Item).toBeUndefined();
  });

  it.each([
    [
      "an unused expression attribute value",
      {
        ConditionExpression: "attribute_exists(id)",
        ExpressionAttributeValues: { ":x": { N: "1" } },
      },
      /unused in expressions: keys: \{:x\}/,
    ],
    [
      "an undefined placeholder",
      { ConditionExpression: "#nope = :v", ExpressionAttributeValues: { ":v": { N: "1" } } },
      /attribute name used in the document path is not defined; attribute name: #nope/,
    ],
    [
      "a reserved word as a bare name",
      { ConditionExpression: "attribute_exists(status)" },
      /reserved keyword: status/,
    ],
    ["a syntax error", { ConditionExpression: "id = = id" }, /Syntax error/],
  ])("rejects %s with ValidationException", async (_what, extra, message) => {
    const error = await put("v", extra).catch((e: unknown) => e);

    expect((error as Error).name).toBe("ValidationException");
    expect((error as Error).message).toMatch(message);
  });

  it("rejects an update of a key attribute", async () => {
    const error = await client
      .send(
        new UpdateItemCommand({
          TableName,
          Key: { id: { S: "k" } },
          UpdateExpression: "SET id = :v",
          ExpressionAttributeValues: { ":v": { S: "other" } },
        }),
      )
      .catch((e: unknown) => e);

    expect((error as Error).message).toMatch(/Cannot update attribute id/);
  });

  it("rejects an unknown table with ResourceNotFoundException", async () => {
    const error = await client
      .send(new GetItemCommand({ TableName: "nope", Key: { id: { S: "a" } } }))
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ResourceNotFoundException);
  });

  it("fails the next call with an injected throttling error", async () => {
    standIn.failNext("GetItem", "ProvisionedThroughputExceededException");

    const error = await client
      .send(new GetItemCommand({ TableName, Key: { id: { S: "a" } } }))
      .catch((e: unknown) => e);
    const after = await client.send(new GetItemCommand({ TableName, Key: { id: { S: "a" } } }));

    expect((error as Error).name).toBe("ProvisionedThroughputExceededException");
    expect(after.Item).toBeUndefined();
  });
});
