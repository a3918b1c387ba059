import type { RepositoryAllowlist } from "../job/repository-allowlist.js";
import { InvalidEnvironmentError } from "../outcome/errors.js";
import type { PacingLimitTable } from "../pacing/pacing-limits.js";
import { checkFunctionEnvironment } from "./function-environment.js";

/**
 * The function's configuration, read once per container from its environment by
 * {@link readFunctionConfig}; each field names its variable (see `FunctionVariable`).
 */
export interface FunctionConfig {
  /** Default secret holding the GitHub token or App credentials (`GITHUB_TOKEN_SECRET`). */
  readonly defaultTokenSecret: string;
  /** API root without a trailing slash (`GITHUB_API_URL`). @default "https://api.github.com" */
  readonly githubApiUrl: string;
  /** Repositories the function may dispatch to (`ALLOWED_REPOSITORIES`). */
  readonly allowlist: RepositoryAllowlist;
  /** The stack's dispatch queue (`DISPATCH_QUEUE_URL`); retries go here. */
  readonly dispatchQueueUrl: string | undefined;
  /** The stack's dead-letter queue (`DEAD_LETTER_QUEUE_URL`); permanent failures go here. */
  readonly deadLetterQueueUrl: string | undefined;
  /** Most inputs per dispatch (`MAX_WORKFLOW_INPUTS`). @default 25; set 10 for GHES 3.17-3.19 */
  readonly maxInputs: number;
  /** Request timeout towards GitHub in ms (`GITHUB_REQUEST_TIMEOUT_MS`). @default 10000 */
  readonly requestTimeoutMs: number;
  /** How long a secret value is cached in ms (`SECRET_CACHE_TTL_MS`). @default 300000 */
  readonly secretCacheTtlMs: number;
  /** Messages of one SQS batch dispatched at once (`BATCH_CONCURRENCY`). @default 10 */
  readonly batchConcurrency: number;
  /** Attempts (first try included) before a retryable job is parked (`MAX_ATTEMPTS`). @default 8 */
  readonly maxAttempts: number;
  /**
   * Time limit of one AWS SDK request attempt (Secrets Manager, SQS, DynamoDB) in ms
   * (`AWS_REQUEST_TIMEOUT_MS`); a timed-out attempt is retried by the SDK. @default 5000
   */
  readonly awsRequestTimeoutMs: number;
  /**
   * Attempts of one AWS SDK call, first included (`AWS_MAX_ATTEMPTS`, the SDK's own variable, read
   * here so that every client gets it explicitly). @default 3
   */
  readonly awsMaxAttempts: number;
  /**
   * Table of idempotency records and pacing ledgers (`STATE_TABLE_NAME`).
   * @default - none: no duplicate suppression and no pacing (fan-out still expands), with a warning
   */
  readonly stateTableName: string | undefined;
  /** Whether dispatches are paced per token (`PACING`); only with a state table. @default true */
  readonly pacing: boolean;
  /**
   * Whether a fan-out books its targets' places in the token's line and queues each with a delay
   * until about then (`FAN_OUT_SPREAD`). @default true
   */
  readonly fanOutSpread: boolean;
  /** A pacing start at most this many ms ahead is waited for in-process (`PACING_ALIGN_MS`). @default 2000 */
  readonly pacingAlignMs: number;
  /** How long a dispatched idempotency key suppresses copies (`IDEMPOTENCY_WINDOW_SECONDS`). @default 86400 */
  readonly idempotencyWindowSeconds: number;
  /**
   * Pacing limits per token: `PACING_LIMITS` (secret name to `requestsPerMinute`, `requestsPerHour`,
   * `maxConcurrency`) over GitHub's documented limits, with `requestTimeoutMs` as the request timeout.
   * @default - GitHub's 80 a minute, 500 an hour, 100 at once for every token
   */
  readonly pacingLimits: PacingLimitTable;
  /** Region of the AWS clients (`AWS_REGION`, set by Lambda). @default - the SDK's own lookup */
  readonly region: string | undefined;
  /**
   * Unique id of the function's own IAM role (`FUNCTION_ROLE_ID`): only queued messages this role sent
   * are trusted with an idempotency key or Scheduler context as given. @default - unset: every queued message is trusted
   */
  readonly functionRoleId: string | undefined;
}

/**
 * Reads and checks the environment contract of `DESIGN.md` with the one schema,
 * `functionEnvironmentSchema`; throws {@link InvalidEnvironmentError} listing every bad variable,
 * each with its value and the fix.
 */
export function readFunctionConfig(env: NodeJS.ProcessEnv = process.env): FunctionConfig {
  const { config, problems } = checkFunctionEnvironment(env);
  if (config === undefined) throw new InvalidEnvironmentError(problems);
  return config;
}
