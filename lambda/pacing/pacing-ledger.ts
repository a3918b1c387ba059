import {
  type AttributeValue,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from "@aws-sdk/client-dynamodb";
import { EMPTY_PACING_STATE, type PacingState } from "./plan-admission.js";
import { decodeTimes, encodeTimes } from "./time-codec.js";

/** One token's pacing state as stored, plus an optimistic-lock version. */
export interface LedgerState extends PacingState {
  /** Incremented by every write; a write succeeds only on the version it read. */
  readonly version: number;
}

/** What one read-modify-write decides: the new state (none: leave it as it is) and a result. */
export interface LedgerChange<T> {
  readonly state?: PacingState;
  readonly result: T;
}

/** Options of {@link PacingLedger}. */
export interface PacingLedgerOptions {
  readonly client: DynamoDBClient;
  /** The state table (`STATE_TABLE_NAME`), partition key `id` (S), TTL attribute `expiration`. */
  readonly tableName: string;
  /** Conflicting writes tolerated before giving up. @default 25 */
  readonly maxConflicts?: number;
}

/** Thrown when the ledger stayed contended for `maxConflicts` writes in a row. */
class PacingLedgerContendedError extends Error {
  override readonly name = "PacingLedgerContendedError";
}

/** A ledger item lives this long past its last start or line end (TTL), so idle tokens leave nothing behind. */
const KEEP_MS = 2 * 3_600_000;
const INITIAL: LedgerState = { ...EMPTY_PACING_STATE, version: 0 };

const num = (value: AttributeValue | undefined): number => Number(value?.N ?? 0);
const n = (value: number): AttributeValue => ({ N: String(value) });

function ledgerId(token: string): string {
  return `pacing#${token}`;
}

function decode(item: Record<string, AttributeValue> | undefined): LedgerState {
  if (!item) return INITIAL;
  return {
    sent: decodeTimes(item.sent?.S ?? ""),
    tail: num(item.tail),
    front: num(item.front),
    blockedUntil: num(item.blocked_until),
    primarySpacingMs: num(item.primary_spacing_ms),
    primarySpacingUntil: num(item.primary_spacing_until),
    version: num(item.version),
  };
}

/**
 * The per-token pacing state in DynamoDB, shared by every function instance: one item per token
 * (`pacing#<token identity>`) holding when its dispatches started, the end of its line and any block,
 * written with optimistic locking so concurrent instances never admit past the limits.
 */
export class PacingLedger {
  private readonly maxConflicts: number;

  constructor(private readonly options: PacingLedgerOptions) {
    this.maxConflicts = options.maxConflicts ?? 25;
  }

  /** The token's state (strongly consistent). */
  async read(token: string): Promise<LedgerState> {
    const result = await this.options.client.send(
      new GetItemCommand({
        TableName: this.options.tableName,
        Key: { id: { S: ledgerId(token) } },
        ConsistentRead: true,
      }),
    );
    return decode(result.Item);
  }

  /**
   * Read-modify-write of the token's state: `change` gets the current state and returns the new one
   * with a result, or no state to leave it as it is. Starts from `known` (a state seen earlier) when
   * given, else reads; a write that lost a race is retried with the state the failed write returned,
   * so a stale guess costs one round trip. Returns the result and the state now stored.
   */
  async update<T>(
    token: string,
    change: (state: LedgerState) => LedgerChange<T>,
    known?: LedgerState,
  ): Promise<{ result: T; state: LedgerState }> {
    let state = known ?? (await this.read(token));
    for (let conflict = 0; ; conflict++) {
      const next = change(state);
      if (next.state === undefined) return { result: next.result, state };
      try {
        await this.write(token, state.version, next.state);
        return { result: next.result, state: { ...next.state, version: state.version + 1 } };
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        if (conflict + 1 >= this.maxConflicts) {
          throw new PacingLedgerContendedError(
            `pacing ledger of token ${token} stayed contended for ${this.maxConflicts} writes`,
            { cause: error },
          );
        }
        state = decode(error.Item);
      }
    }
  }

  private async write(token: string, version: number, state: PacingState): Promise<void> {
    const last = Math.max(
      state.sent[state.sent.length - 1] ?? 0,
      state.tail,
      state.front,
      state.blockedUntil,
      state.primarySpacingUntil,
    );
    await this.options.client.send(
      new PutItemCommand({
        TableName: this.options.tableName,
        Item: {
          id: { S: ledgerId(token) },
          sent: { S: encodeTimes(state.sent) },
          tail: n(state.tail),
          front: n(state.front),
          blocked_until: n(state.blockedUntil),
          primary_spacing_ms: n(state.primarySpacingMs),
          primary_spacing_until: n(state.primarySpacingUntil),
          version: n(version + 1),
          expiration: n(Math.ceil((last + KEEP_MS) / 1000)),
        },
        ...(version === 0
          ? {
              ConditionExpression: "attribute_not_exists(#id)",
              ExpressionAttributeNames: { "#id": "id" },
            }
          : {
              ConditionExpression: "#version = :version",
              ExpressionAttributeNames: { "#version": "version" },
              ExpressionAttributeValues: { ":version": n(version) },
            }),
        ReturnValuesOnConditionCheckFailure: "ALL_OLD",
      }),
    );
  }
}
