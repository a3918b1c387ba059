import type { IncomingMessage, ServerResponse } from "node:http";
import { DynamoDbError, sendDynamoDbError } from "./dynamodb-error.js";
import {
  DYNAMODB_OPERATIONS,
  type DynamoDbOperation,
  executeItemOperation,
} from "./dynamodb-item-operations.js";
import {
  DEFAULT_STATE_TABLE,
  type DynamoDbFault,
  type DynamoDbStandInOptions,
  type DynamoDbTableOptions,
} from "./dynamodb-stand-in-options.js";
import { DynamoDbTable } from "./dynamodb-table.js";
import { plainItem, ValidationError } from "./dynamodb-values.js";
import {
  isRecord,
  parseBody,
  type StandInServer,
  sendJson,
  startStandInServer,
} from "./stand-in-server.js";

export {
  DEFAULT_STATE_TABLE,
  type DynamoDbFault,
  type DynamoDbStandInOptions,
  type DynamoDbTableOptions,
} from "./dynamodb-stand-in-options.js";

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
  private readonly tables = new Map<string, DynamoDbTable>();
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
    this.tables.set(options.name, new DynamoDbTable(options, this.options.clock));
  }

  /** Every live item of `table` as plain JavaScript (numbers as numbers), in insertion order. */
  items(table = DEFAULT_STATE_TABLE): Record<string, unknown>[] {
    return this.table(table).liveItems().map(plainItem);
  }

  /** The next `times` calls of `op` (or of any operation, with `"*"`) fail with `type`. */
  failNext(op: DynamoDbOperation | "*", type: DynamoDbFault, times = 1): void {
    this.faults.push({ op, type, remaining: times });
  }

  /** Calls of `op` so far (all operations when omitted). */
  callCount(op?: DynamoDbOperation): number {
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
      if (!(DYNAMODB_OPERATIONS as readonly string[]).includes(op)) {
        throw new DynamoDbError(
          "UnknownOperationException",
          `The DynamoDB stand-in does not implement ${target}`,
        );
      }
      if (!isRecord(parsed)) throw new ValidationError("Request body must be a JSON object");
      this.injectFault(op);
      const table = this.table(parsed.TableName);
      const answer = executeItemOperation(op as DynamoDbOperation, table, parsed);
      sendJson(response, 200, answer, {}, "application/x-amz-json-1.0");
    } catch (error) {
      sendDynamoDbError(response, error);
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

  private table(name: unknown): DynamoDbTable {
    const table = typeof name === "string" ? this.tables.get(name) : undefined;
    if (!table) {
      throw new DynamoDbError("ResourceNotFoundException", "Requested resource not found");
    }
    return table;
  }
}
