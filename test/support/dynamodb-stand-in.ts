import type { IncomingMessage, ServerResponse } from "node:http";
import {
  type Condition,
  Placeholders,
  parseCondition,
  parseUpdate,
} from "./dynamodb-expression-parser.js";
import { applyUpdate, evaluateCondition } from "./dynamodb-expressions.js";
import {
  type AttributeValue,
  cloneItem,
  type Item,
  itemSize,
  plainItem,
  typeOf,
  ValidationError,
} from "./dynamodb-values.js";
import {
  isRecord,
  parseBody,
  type StandInServer,
  sendJson,
  startStandInServer,
} from "./stand-in-server.js";

/** A table the stand-in serves. */
export interface DynamoDbTableOptions {
  name: string;
  /** @default "id" */
  partitionKey?: string;
  /** Sort key attribute; unset: the table has a simple key. */
  sortKey?: string;
  /** TTL attribute (epoch seconds); honoured only when the stand-in has a `clock`. */
  ttlAttribute?: string;
}

/** How the DynamoDB stand-in behaves. */
export interface DynamoDbStandInOptions {
  /** @default [{ name: "workflow-dispatch-state", partitionKey: "id", ttlAttribute: "expiration" }] */
  tables?: DynamoDbTableOptions[];
  /**
   * Time source for TTL, epoch ms. When given, an item whose TTL attribute is in the past is gone
   * (as after DynamoDB's TTL sweep); when not, expired items linger, as they may for days in AWS.
   */
  clock?: () => number;
}

/** An error the stand-in can be told to answer with. */
export type DynamoDbFault =
  | "ProvisionedThroughputExceededException"
  | "ThrottlingException"
  | "RequestLimitExceeded"
  | "InternalServerError"
  | "ResourceNotFoundException";

/** The table every stand-in has unless told otherwise. */
export const DEFAULT_STATE_TABLE = "workflow-dispatch-state";

const OPERATIONS = ["GetItem", "PutItem", "UpdateItem", "DeleteItem"] as const;
type Operation = (typeof OPERATIONS)[number];

class DynamoDbError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
    readonly item?: Item,
  ) {
    super(message);
  }
}

interface Table {
  readonly options: Required<Pick<DynamoDbTableOptions, "name" | "partitionKey">> &
    DynamoDbTableOptions;
  readonly items: Map<string, Item>;
}

type Request = Record<string, unknown>;

/**
 * A local DynamoDB speaking the AWS JSON 1.0 protocol (`X-Amz-Target: DynamoDB_20120810.<Op>`) for
 * GetItem, PutItem, UpdateItem and DeleteItem, with condition and update expressions, `ReturnValues`,
 * and `ConditionalCheckFailedException` carrying the old item when `ReturnValuesOnConditionCheckFailure`
 * is `ALL_OLD`. Reads are always strongly consistent. Drive it with the real `@aws-sdk/client-dynamodb`
 * through `AWS_ENDPOINT_URL_DYNAMODB`.
 */
export class DynamoDbStandIn {
  /** Every request, in arrival order. */
  readonly requests: { target: string; body: unknown }[] = [];
  private readonly tables = new Map<string, Table>();
  private readonly faults: { op: string; type: DynamoDbFault; remaining: number }[] = [];

  private constructor(
    private readonly server: StandInServer,
    private readonly options: DynamoDbStandInOptions,
  ) {
    const tables = options.tables ?? [
      { name: DEFAULT_STATE_TABLE, partitionKey: "id", ttlAttribute: "expiration" },
    ];
    for (const table of tables) this.createTable(table);
  }

  /** Starts the stand-in on 127.0.0.1 with a random port. */
  static async start(options: DynamoDbStandInOptions = {}): Promise<DynamoDbStandIn> {
    let standIn: DynamoDbStandIn | undefined;
    const server = await startStandInServer((request, body, response) =>
      standIn?.handle(request, body, response),
    );
    standIn = new DynamoDbStandIn(server, options);
    return standIn;
  }

  /** `http://127.0.0.1:PORT`: use as `AWS_ENDPOINT_URL_DYNAMODB`. */
  get url(): string {
    return this.server.url;
  }

  /** Adds (or empties) a table. */
  createTable(options: DynamoDbTableOptions): void {
    this.tables.set(options.name, {
      options: { partitionKey: "id", ...options },
      items: new Map(),
    });
  }

  /** Every live item of `table` as plain JavaScript (numbers as numbers), in insertion order. */
  items(table = DEFAULT_STATE_TABLE): Record<string, unknown>[] {
    const t = this.table(table);
    return [...t.items.keys()]
      .map((k) => this.live(t, k))
      .filter((i): i is Item => i !== undefined)
      .map(plainItem);
  }

  /** The next `times` calls of `op` (or of any operation, with `"*"`) fail with `type`. */
  failNext(op: Operation | "*", type: DynamoDbFault, times = 1): void {
    this.faults.push({ op, type, remaining: times });
  }

  /** Calls of `op` so far (all operations when omitted). */
  callCount(op?: Operation): number {
    return this.requests.filter((r) => op === undefined || r.target === op).length;
  }

  /** Stops the server. */
  close(): Promise<void> {
    return this.server.close();
  }

  private handle(request: IncomingMessage, body: Buffer, response: ServerResponse): void {
    const target = String(request.headers["x-amz-target"] ?? "");
    const op = target.replace(/^DynamoDB_20120810\./, "");
    const parsed = parseBody(body);
    this.requests.push({ target: op, body: parsed });
    try {
      if (!(OPERATIONS as readonly string[]).includes(op)) {
        throw new DynamoDbError(
          "UnknownOperationException",
          `The DynamoDB stand-in does not implement ${target}`,
        );
      }
      if (!isRecord(parsed)) throw new ValidationError("Request body must be a JSON object");
      this.injectFault(op);
      const answer = this.execute(op as Operation, parsed);
      sendJson(response, 200, answer, {}, "application/x-amz-json-1.0");
    } catch (error) {
      const failure =
        error instanceof DynamoDbError
          ? error
          : error instanceof ValidationError
            ? new DynamoDbError("ValidationException", error.message)
            : new DynamoDbError("InternalServerError", String(error), 500);
      sendJson(
        response,
        failure.status,
        {
          __type: `com.amazonaws.dynamodb.v20120810#${failure.type}`,
          message: failure.message,
          ...(failure.item ? { Item: failure.item } : {}),
        },
        {},
        "application/x-amz-json-1.0",
      );
    }
  }

  private injectFault(op: string): void {
    const fault = this.faults.find((f) => f.op === op || f.op === "*");
    if (!fault) return;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.faults.splice(this.faults.indexOf(fault), 1);
    const status = fault.type === "InternalServerError" ? 500 : 400;
    throw new DynamoDbError(
      fault.type,
      `${fault.type} (injected by the DynamoDB stand-in)`,
      status,
    );
  }

  private table(name: unknown): Table {
    const table = typeof name === "string" ? this.tables.get(name) : undefined;
    if (!table) {
      throw new DynamoDbError("ResourceNotFoundException", "Requested resource not found");
    }
    return table;
  }

  private keyOf(table: Table, item: unknown, exact: boolean): string {
    if (!isRecord(item))
      throw new ValidationError("One of the required keys was not given a value");
    const names = [table.options.partitionKey, table.options.sortKey].filter(
      (n): n is string => !!n,
    );
    if (exact && Object.keys(item).length !== names.length) {
      throw new ValidationError("The provided key element does not match the schema");
    }
    const parts = names.map((name) => {
      const value = item[name] as AttributeValue | undefined;
      if (value === undefined)
        throw new ValidationError("One of the required keys was not given a value");
      const tag = typeOf(value);
      if (tag !== "S" && tag !== "N" && tag !== "B") {
        throw new ValidationError("The provided key element does not match the schema");
      }
      return JSON.stringify(value);
    });
    return parts.join("|");
  }

  private live(table: Table, key: string): Item | undefined {
    const item = table.items.get(key);
    const ttl = table.options.ttlAttribute;
    const expiresAt = ttl && item?.[ttl]?.N;
    if (
      item &&
      this.options.clock &&
      expiresAt &&
      Number(expiresAt) * 1000 < this.options.clock()
    ) {
      table.items.delete(key);
      return undefined;
    }
    return item;
  }

  private condition(request: Request, placeholders: Placeholders): Condition | undefined {
    const expression = request.ConditionExpression;
    return typeof expression === "string" ? parseCondition(expression, placeholders) : undefined;
  }

  private check(condition: Condition | undefined, old: Item | undefined, request: Request): void {
    if (condition === undefined || evaluateCondition(condition, old)) return;
    const withItem = request.ReturnValuesOnConditionCheckFailure === "ALL_OLD" && old !== undefined;
    throw new DynamoDbError(
      "ConditionalCheckFailedException",
      "The conditional request failed",
      400,
      withItem ? cloneItem(old) : undefined,
    );
  }

  private execute(op: Operation, request: Request): Record<string, unknown> {
    const table = this.table(request.TableName);
    const placeholders = new Placeholders(
      request.ExpressionAttributeNames as Record<string, string> | undefined,
      request.ExpressionAttributeValues as Record<string, AttributeValue> | undefined,
    );
    if (request.ProjectionExpression !== undefined) {
      throw new ValidationError("ProjectionExpression is not supported by the DynamoDB stand-in");
    }
    const key = this.keyOf(table, op === "PutItem" ? request.Item : request.Key, op !== "PutItem");
    const old = this.live(table, key);
    const returnOld =
      request.ReturnValues === "ALL_OLD" && old ? { Attributes: cloneItem(old) } : {};

    if (op === "GetItem") {
      placeholders.assertAllUsed();
      return old ? { Item: cloneItem(old) } : {};
    }
    if (op === "DeleteItem") {
      const condition = this.condition(request, placeholders);
      placeholders.assertAllUsed();
      this.check(condition, old, request);
      table.items.delete(key);
      return returnOld;
    }
    if (op === "PutItem") {
      const condition = this.condition(request, placeholders);
      placeholders.assertAllUsed();
      this.check(condition, old, request);
      const item = cloneItem(request.Item as Item);
      this.assertSize(item);
      table.items.set(key, item);
      return returnOld;
    }
    const condition = this.condition(request, placeholders);
    const expression = request.UpdateExpression;
    if (typeof expression !== "string") {
      throw new ValidationError(
        "UpdateExpression is required (AttributeUpdates is not supported by the stand-in)",
      );
    }
    const actions = parseUpdate(expression, placeholders);
    placeholders.assertAllUsed();
    this.check(condition, old, request);
    const keyNames = [table.options.partitionKey, table.options.sortKey].filter(
      (n): n is string => !!n,
    );
    const base = old ?? cloneItem(request.Key as Item);
    const { item, updated } = applyUpdate(actions, base, keyNames);
    this.assertSize(item);
    table.items.set(key, item);
    return this.updateReturn(request.ReturnValues, old, item, updated);
  }

  private updateReturn(
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

  private assertSize(item: Item): void {
    if (itemSize(item) > 400 * 1024) {
      throw new ValidationError("Item size has exceeded the maximum allowed size");
    }
  }
}
