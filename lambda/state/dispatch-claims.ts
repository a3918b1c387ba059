import {
  IdempotencyConfig,
  IdempotencyItemAlreadyExistsError,
  IdempotencyRecordStatus,
  IdempotencyValidationError,
} from "@aws-lambda-powertools/idempotency";
import { DynamoDBPersistenceLayer } from "@aws-lambda-powertools/idempotency/dynamodb";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";

/** What a claimed piece of work is: a dispatch, or the expansion of a fan-out job. */
export const ClaimedWork = {
  Dispatch: "dispatch",
  FanOut: "fan-out",
} as const;
/** One of {@link ClaimedWork}. */
export type ClaimedWork = (typeof ClaimedWork)[keyof typeof ClaimedWork];

/**
 * Longest time one claim holds its key as in progress, ms; after that (a crashed instance) another
 * copy may take over. Above a dispatch's own time limit and its fallback, and above an expansion's.
 */
export const CLAIM_LEASE_MS = 60_000;

/** A claim this call holds: finish it with `complete` after the work, or `release` it on failure. */
interface HeldClaim<T> {
  readonly kind: "claimed";
  /** Records the work as done with its result; false when the record could not be written. */
  complete(result: T): Promise<boolean>;
  /** Gives the key back, so a retry can run the work; a failed release ends with the lease. */
  release(): Promise<void>;
}

/** What trying to claim a key gave. */
export type Claim<T> =
  | HeldClaim<T>
  /** The same work completed within the window: its stored result. */
  | { readonly kind: "completed"; readonly result: T }
  /** Another copy holds the key right now. */
  | { readonly kind: "in_progress" }
  /** The key was used for a different dispatch (other repository, workflow, ref or inputs). */
  | { readonly kind: "collision" }
  /** The state table could not be read or written; nothing was claimed. */
  | { readonly kind: "unavailable"; readonly error: unknown };

/** Claims keys so that each piece of work runs at most once per key within a window. */
export interface ClaimStore {
  /**
   * Claims `key` for `work` that makes `dispatch` (what the work sends: repository, workflow, ref,
   * inputs), holding it as in progress for at most `leaseMs`.
   */
  claim<T>(work: ClaimedWork, key: string, dispatch: unknown, leaseMs: number): Promise<Claim<T>>;
}

/** No state table: every claim is granted and nothing is recorded (duplicate suppression off). */
export const NO_CLAIMS: ClaimStore = {
  claim: async <T>(): Promise<Claim<T>> => ({
    kind: "claimed",
    complete: async () => true,
    release: async () => undefined,
  }),
};

/** Options of {@link DispatchClaims}. */
export interface DispatchClaimsOptions {
  readonly client: DynamoDBClient;
  /** The state table (`STATE_TABLE_NAME`): partition key `id` (S), TTL attribute `expiration`. */
  readonly tableName: string;
  /** How long a completed key suppresses duplicates (`IDEMPOTENCY_WINDOW_SECONDS`). @default 86400 */
  readonly windowSeconds?: number;
}

/** What the persistence layer hashes: JSON only. */
type ClaimData = Parameters<DynamoDBPersistenceLayer["saveInProgress"]>[0];

/** Drops `undefined` members: Powertools stores the result with `marshall`, which rejects them. */
function storable<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

/**
 * Claims in the state table, through Powertools Idempotency's DynamoDB persistence layer used step
 * by step (claim, work, complete or release) rather than wrapped around a callback, so the caller's
 * path stays linear. A conditional PutItem takes the key as in progress, an UpdateItem completes it
 * with the result, a DeleteItem releases it. The record holds a hash of the dispatch, so a key reused
 * for a different dispatch is a collision, never a duplicate (Powertools' payload validation).
 */
export class DispatchClaims implements ClaimStore {
  private readonly store: DynamoDBPersistenceLayer;

  constructor(options: DispatchClaimsOptions) {
    this.store = new DynamoDBPersistenceLayer({
      tableName: options.tableName,
      awsSdkV3Client: options.client,
    });
    // The record's key hashes work and key only, as it always has, so records written before the
    // dispatch hash existed still suppress their duplicates; the dispatch is checked separately.
    this.store.configure({
      config: new IdempotencyConfig({
        expiresAfterSeconds: options.windowSeconds ?? 86_400,
        eventKeyJmesPath: "{key: key, work: work}",
        payloadValidationJmesPath: "dispatch",
        throwOnNoIdempotencyKey: true,
      }),
      // A fixed prefix, so renaming the function does not forget the keys already taken.
      keyPrefix: "workflow-dispatch",
    });
  }

  async claim<T>(
    work: ClaimedWork,
    key: string,
    dispatch: unknown,
    leaseMs: number,
  ): Promise<Claim<T>> {
    const data = { work, key, dispatch: storable(dispatch) ?? null } as ClaimData;
    try {
      await this.store.saveInProgress(data, Math.max(1, leaseMs));
    } catch (error) {
      if (!(error instanceof IdempotencyItemAlreadyExistsError)) {
        return { kind: "unavailable", error };
      }
      return this.existing<T>(data, error.existingRecord);
    }
    return {
      kind: "claimed",
      complete: async (result) => {
        try {
          await this.store.saveSuccess(data, storable(result) as ClaimData);
          return true;
        } catch {
          return false;
        }
      },
      release: async () => {
        await this.store.deleteRecord(data).catch(() => undefined);
      },
    };
  }

  private async existing<T>(
    data: ClaimData,
    found: IdempotencyItemAlreadyExistsError["existingRecord"],
  ): Promise<Claim<T>> {
    let record = found;
    try {
      record ??= await this.store.getRecord(data);
    } catch (error) {
      return { kind: "unavailable", error };
    }
    // A record from before dispatch hashes were stored has none: it is taken as the same dispatch.
    if (record.payloadHash !== undefined && record.payloadHash !== "") {
      try {
        this.store.processExistingRecord(record, data);
      } catch (error) {
        if (error instanceof IdempotencyValidationError) return { kind: "collision" };
        throw error;
      }
    }
    if (record.getStatus() === IdempotencyRecordStatus.COMPLETED) {
      return { kind: "completed", result: record.getResponse() as T };
    }
    return { kind: "in_progress" };
  }
}
