import { applyUpdate } from "./dynamodb-apply-update.js";
import { type Condition, parseCondition } from "./dynamodb-condition-parser.js";
import { DynamoDbError } from "./dynamodb-error.js";
import { evaluateCondition } from "./dynamodb-expressions.js";
import { Placeholders } from "./dynamodb-placeholders.js";
import type { DynamoDbTable } from "./dynamodb-table.js";
import { parseUpdate } from "./dynamodb-update-parser.js";
import {
  type AttributeValue,
  cloneItem,
  type Item,
  itemSize,
  ValidationError,
} from "./dynamodb-values.js";

/** The operations the DynamoDB stand-in implements. */
export const DYNAMODB_OPERATIONS = ["GetItem", "PutItem", "UpdateItem", "DeleteItem"] as const;
/** One of {@link DYNAMODB_OPERATIONS}. */
export type DynamoDbOperation = (typeof DYNAMODB_OPERATIONS)[number];

type Request = Record<string, unknown>;

/**
 * Runs GetItem, PutItem, UpdateItem or DeleteItem on `table` and returns the JSON answer: condition and
 * update expressions, `ReturnValues`, and `ConditionalCheckFailedException` carrying the old item when
 * `ReturnValuesOnConditionCheckFailure` is `ALL_OLD`. Throws {@link DynamoDbError} or `ValidationError`.
 */
export function executeItemOperation(
  op: DynamoDbOperation,
  table: DynamoDbTable,
  request: Request,
): Record<string, unknown> {
  const placeholders = new Placeholders(
    request.ExpressionAttributeNames as Record<string, string> | undefined,
    request.ExpressionAttributeValues as Record<string, AttributeValue> | undefined,
  );
  if (request.ProjectionExpression !== undefined) {
    throw new ValidationError("ProjectionExpression is not supported by the DynamoDB stand-in");
  }
  const key = table.keyOf(op === "PutItem" ? request.Item : request.Key, op !== "PutItem");
  const old = table.live(key);
  const returnOld = request.ReturnValues === "ALL_OLD" && old ? { Attributes: cloneItem(old) } : {};

  if (op === "GetItem") {
    placeholders.assertAllUsed();
    return old ? { Item: cloneItem(old) } : {};
  }
  if (op === "DeleteItem") {
    const condition = conditionOf(request, placeholders);
    placeholders.assertAllUsed();
    check(condition, old, request);
    table.items.delete(key);
    return returnOld;
  }
  if (op === "PutItem") {
    const condition = conditionOf(request, placeholders);
    placeholders.assertAllUsed();
    check(condition, old, request);
    const item = cloneItem(request.Item as Item);
    assertSize(item);
    table.items.set(key, item);
    return returnOld;
  }
  const condition = conditionOf(request, placeholders);
  const expression = request.UpdateExpression;
  if (typeof expression !== "string") {
    throw new ValidationError(
      "UpdateExpression is required (AttributeUpdates is not supported by the stand-in)",
    );
  }
  const actions = parseUpdate(expression, placeholders);
  placeholders.assertAllUsed();
  check(condition, old, request);
  const base = old ?? cloneItem(request.Key as Item);
  const { item, updated } = applyUpdate(actions, base, table.keyNames);
  assertSize(item);
  table.items.set(key, item);
  return updateReturn(request.ReturnValues, old, item, updated);
}

function conditionOf(request: Request, placeholders: Placeholders): Condition | undefined {
  const expression = request.ConditionExpression;
  return typeof expression === "string" ? parseCondition(expression, placeholders) : undefined;
}

function check(condition: Condition | undefined, old: Item | undefined, request: Request): void {
  if (condition === undefined || evaluateCondition(condition, old)) return;
  const withItem = request.ReturnValuesOnConditionCheckFailure === "ALL_OLD" && old !== undefined;
  throw new DynamoDbError(
    "ConditionalCheckFailedException",
    "The conditional request failed",
    400,
    withItem ? cloneItem(old) : undefined,
  );
}

function updateReturn(
  mode: unknown,
  old: Item | undefined,
  item: Item,
  updated: Set<string>,
): Record<string, unknown> {
  const pick = (source: Item | undefined) =>
    Object.fromEntries(Object.entries(source ?? {}).filter(([name]) => updated.has(name)));
  switch (mode) {
    case "ALL_NEW":
      return { Attributes: cloneItem(item) };
    case "ALL_OLD":
      return old ? { Attributes: cloneItem(old) } : {};
    case "UPDATED_NEW":
      return { Attributes: cloneItem(pick(item)) };
    case "UPDATED_OLD":
      return old ? { Attributes: cloneItem(pick(old)) } : {};
    default:
      return {};
  }
}

function assertSize(item: Item): void {
  if (itemSize(item) > 400 * 1024) {
    throw new ValidationError("Item size has exceeded the maximum allowed size");
  }
}
