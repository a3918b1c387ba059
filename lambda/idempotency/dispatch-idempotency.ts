import {
  IdempotencyAlreadyInProgressError,
  IdempotencyConfig,
  IdempotencyPersistenceLayerError,
  makeIdempotent,
} from "@aws-lambda-powertools/idempotency";
import { DynamoDBPersistenceLayer } from "@aws-lambda-powertools/idempotency/dynamodb";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { Context } from "aws-lambda";

/** What a guarded piece of work is: a dispatch, or the expansion of a fan-out job. */
export const GuardedWork = {
  Dispatch: "dispatch",
  FanOut: "fan-out",
} as const;
/** One of {@link GuardedWork}. */
export type GuardedWork = (typeof GuardedWork)[keyof typeof GuardedWork];

/** What became of one guarded call. */
export type OnceResult<T> =
  | {
      readonly kind: "first";
      readonly value: T;
      /** False when the work succeeded but its record could not be saved (a later duplicate may repeat it). */
      readonly recorded: boolean;
    }
  | { readonly kind: "duplicate"; readonly state: "completed"; readonly value: T }
  | { readonly kind: "duplicate"; readonly state: "in_progress" };

/** Options of {@link DispatchIdempotency}. */
export interface DispatchIdempotencyOptions {
  readonly client: DynamoDBClient;
  /** The state table (`STATE_TABLE_NAME`): partition key `id` (S), TTL attribute `expiration`. */
  readonly tableName: string;
  /** How long a completed key suppresses duplicates (`IDEMPOTENCY_WINDOW_SECONDS`). @default 86400 */
  readonly windowSeconds?: number;
  /**
   * Longest time one guarded call may hold its key as "in progress", ms; after that (a crashed
   * instance) another copy may take over. Keep it above the dispatch timeout. @default 60000
   */
  readonly leaseMs?: number;
}

/** Thrown when the idempotency table cannot be read or written before the work started. */
export class IdempotencyUnavailableError extends Error {
  override readonly name = "IdempotencyUnavailableError";
}

type Work = () => Promise<unknown>;

/** Drops `undefined` members: Powertools stores the result with `marshall`, which rejects them. */
function storable<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

/**
 * Runs a piece of work at most once per key within the window, across every function instance:
 * Powertools Idempotency with its DynamoDB persistence layer (a conditional PutItem takes the key as
 * "in progress", an UpdateItem marks it completed with the result, a failure deletes it so a retry
 * can run). A concurrent copy sees "in progress"; a later copy gets the stored result.
 */
export class DispatchIdempotency {
  private readonly config: IdempotencyConfig;
  private readonly guarded: (
    payload: { work: GuardedWork; key: string },
    run: Work,
  ) => Promise<unknown>;
  private readonly leaseMs: number;

  constructor(options: DispatchIdempotencyOptions) {
    this.leaseMs = options.leaseMs ?? 60_000;
    const persistenceStore = new DynamoDBPersistenceLayer({
      tableName: options.tableName,
      awsSdkV3Client: options.client,
    });
    this.config = new IdempotencyConfig({
      expiresAfterSeconds: options.windowSeconds ?? 86_400,
      throwOnNoIdempotencyKey: true,
    });
    // A fixed prefix, so renaming the function does not forget the keys already taken.
    this.guarded = makeIdempotent(
      async (_payload: { work: GuardedWork; key: string }, run: Work) => run(),
      {
        persistenceStore,
        config: this.config,
        keyPrefix: "workflow-dispatch",
      },
    );
  }

  /**
   * Runs `work` unless a call with the same `what` and `key` completed within the window (then its
   * stored result comes back) or is running right now. Errors of `work` pass through unchanged and
   * release the key. `remainingTimeMs` (the Lambda's) caps how long the key is held as in progress.
   */
  async once<T>(
    what: GuardedWork,
    key: string,
    work: () => Promise<T>,
    remainingTimeMs?: number,
  ): Promise<OnceResult<T>> {
    const lease = Math.max(1, Math.min(this.leaseMs, remainingTimeMs ?? this.leaseMs));
    // Powertools reads only getRemainingTimeInMillis from the context, to time out the in-progress lease.
    this.config.registerLambdaContext({ getRemainingTimeInMillis: () => lease } as Pick<
      Context,
      "getRemainingTimeInMillis"
    > as Context);
    let started = false;
    let done: { value: T } | undefined;
    let failed: { error: unknown } | undefined;
    try {
      const value = (await this.guarded({ work: what, key }, async () => {
        started = true;
        try {
          const result = storable(await work());
          done = { value: result };
          return result;
        } catch (error) {
          failed = { error };
          throw error;
        }
      })) as T;
      return started
        ? { kind: "first", value, recorded: true }
        : { kind: "duplicate", state: "completed", value };
    } catch (error) {
      if (done !== undefined) return { kind: "first", value: done.value, recorded: false };
      // The work failed and releasing the key failed too: the work's own error is the one that matters.
      if (failed !== undefined) throw failed.error;
      if (error instanceof IdempotencyAlreadyInProgressError)
        return { kind: "duplicate", state: "in_progress" };
      if (error instanceof IdempotencyPersistenceLayerError && !started) {
        const cause = error.cause instanceof Error ? error.cause.name : "unknown error";
        throw new IdempotencyUnavailableError(
          `idempotency table unavailable (${cause}) while taking key for ${what}; retrying later`,
          { cause: error },
        );
      }
      throw error;
    }
  }
}
