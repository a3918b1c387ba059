import { Duration, RemovalPolicy } from "aws-cdk-lib";
import * as logs from "aws-cdk-lib/aws-logs";
import type * as sqs from "aws-cdk-lib/aws-sqs";
import type { ResolvedDispatchConfig } from "./config/resolved-config.js";
import type { DispatchStateTable } from "./dispatch-state-table.js";

/** Properties of `DispatchFunction`. */
export interface DispatchFunctionProps {
  /** The validated config: GitHub settings, allowlist and the secrets the function may read. */
  readonly config: ResolvedDispatchConfig;
  /** Queue for delayed retries; also the event source. */
  readonly queue: sqs.IQueue;
  /** Where permanent failures are parked and failed asynchronous invocations land. */
  readonly deadLetterQueue: sqs.IQueue;
  /**
   * Idempotency records and pacing ledgers (`STATE_TABLE_NAME`); the function may only get, put,
   * update and delete single items in it.
   */
  readonly stateTable: DispatchStateTable;
  /**
   * Memory in MB. Loading the bundle (about 1 MB: AWS SDK clients, Octokit, Powertools) takes a Node
   * process to about 57 MB resident with an 11 MB heap (measured), so 128 MB would fit; but Lambda
   * hands out CPU in proportion to memory, and 256 MB doubles the CPU share for cold-start module
   * initialisation and the RS256 signing of GitHub App JWTs. The work itself waits on GitHub and AWS,
   * so above 256 MB a dispatch gets dearer, not faster.
   * @default 256
   */
  readonly memorySize?: number;
  /**
   * Function timeout. The jobs of an SQS batch run concurrently, so an invocation lasts as long as its
   * slowest job. The worst case of one job, every call running to its limit: a Secrets Manager read
   * (the SDK's 3 attempts of 5 s: 15 s), a GitHub App token mint, the dispatch and its one fallback
   * without `return_run_details` (`requestTimeout`, 10 s, each), after a 401 a second read, mint and
   * dispatch (15 + 10 + 10 s), then an SQS send to retry or park it (3 × 5 s): about 95 s; a fan-out
   * selection adds a listing request per 100 repositories. (The SDK enforces its 5 s `requestTimeout`
   * only with `throwOnRequestTimeout`; without it, it merely logs a warning.) That exceeds 60 s, so the
   * timeout does not bound the work: the handler watches its remaining time, starts no new work near
   * the deadline and reports what it did not finish as failed (batch item failures SQS redelivers)
   * rather than being cut off mid-batch. 60 s still holds any one hung call with room to spare, and
   * keeps the queue's visibility timeout (six times this) at about 6 minutes, so the jobs of a crashed
   * batch come back within minutes. At least 30 s: a batch may wait up to 2 s in-process for its
   * pacing start, plus the dispatch's `requestTimeout`, and the visibility timeout (six times this)
   * must outlast the 60 s lease an in-progress idempotency record holds.
   * @default Duration.seconds(60)
   */
  readonly timeout?: Duration;
  /**
   * Time limit of one request to GitHub (`GITHUB_REQUEST_TIMEOUT_MS`); at most half of `timeout`.
   * @default Duration.seconds(10)
   */
  readonly requestTimeout?: Duration;
  /**
   * How long a secret value is cached per container (`SECRET_CACHE_TTL_MS`).
   * @default Duration.minutes(5)
   */
  readonly secretCacheTtl?: Duration;
  /**
   * Attempts before the function parks a retryable job in the dead-letter queue (`MAX_ATTEMPTS`).
   * @default 8
   */
  readonly maxAttempts?: number;
  /**
   * Reserved concurrency. Off by default because reserving fails to deploy in accounts whose
   * concurrency quota is still the new-account 10; concurrency is bounded by `maxConcurrency` instead.
   * @default - no reservation
   */
  readonly reservedConcurrency?: number;
  /**
   * Messages per SQS batch; also how many of them are dispatched at once (`BATCH_CONCURRENCY`).
   * @default 10
   */
  readonly batchSize?: number;
  /**
   * How long the event source gathers messages before invoking. Zero: pacing hands jobs back to the
   * queue with a delay that ends at their turn in the token's line, and a batching window would hold
   * each of them that much longer, so they would miss their turn (and scheduled dispatches would be
   * late). Keep it at most 1 s (more draws a synth warning); the queue's visibility timeout grows by
   * it.
   * @default Duration.seconds(0)
   */
  readonly maxBatchingWindow?: Duration;
  /**
   * Most concurrent invocations the SQS event source starts (2-1000). With `batchSize` 10 this caps
   * requests to GitHub at 50 at once, under GitHub's limit of 100 concurrent requests.
   * @default 5
   */
  readonly maxConcurrency?: number;
  /**
   * Lambda's own retries of a failed asynchronous (Scheduler) invocation; the function only fails
   * one when it cannot reach its queues, so two retries suffice before the dead-letter queue.
   * @default 2
   */
  readonly asyncRetryAttempts?: number;
  /**
   * Oldest asynchronous event Lambda still runs; older ones go to the dead-letter queue.
   * @default Duration.hours(1)
   */
  readonly asyncMaxEventAge?: Duration;
  /**
   * Retention of the function's log group.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * What happens to the log group when the stack is destroyed.
   * @default RemovalPolicy.DESTROY
   */
  readonly logRemovalPolicy?: RemovalPolicy;
  /**
   * Entry file exporting `handler`.
   * @default - lambda/handler.ts of this project
   */
  readonly entry?: string;
}

/**
 * The `@default`s of {@link DispatchFunctionProps}, applied by `DispatchFunction` and read by
 * `WorkflowDispatch`, which sizes the queue's visibility timeout from them before the function exists.
 */
export const DISPATCH_FUNCTION_DEFAULTS = {
  memorySize: 256,
  timeout: Duration.seconds(60),
  requestTimeout: Duration.seconds(10),
  secretCacheTtl: Duration.minutes(5),
  maxAttempts: 8,
  batchSize: 10,
  maxBatchingWindow: Duration.seconds(0),
  maxConcurrency: 5,
  asyncRetryAttempts: 2,
  asyncMaxEventAge: Duration.hours(1),
  logRetention: logs.RetentionDays.ONE_MONTH,
  logRemovalPolicy: RemovalPolicy.DESTROY,
} as const;
