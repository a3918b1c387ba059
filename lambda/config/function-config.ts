import { GITHUB_COM_MAX_INPUTS } from "../job/dispatch-job.js";
import { RepositoryAllowlist } from "../job/repository-allowlist.js";

/** The function's configuration, read once per container from its environment. */
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
}

function positiveInteger(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) {
    throw new Error(`${name}: "${raw}" is not a positive integer; unset it to use ${fallback}`);
  }
  return n;
}

/** Reads and checks the environment contract of `DESIGN.md`; throws naming the variable and the fix. */
export function readFunctionConfig(env: NodeJS.ProcessEnv = process.env): FunctionConfig {
  const defaultTokenSecret = env.GITHUB_TOKEN_SECRET;
  if (!defaultTokenSecret) {
    throw new Error(
      "GITHUB_TOKEN_SECRET: not set; set it to the Secrets Manager secret id or ARN holding the GitHub token",
    );
  }
  const githubApiUrl = (env.GITHUB_API_URL || "https://api.github.com").replace(/\/+$/, "");
  if (!/^https?:\/\/[^\s]+$/.test(githubApiUrl)) {
    throw new Error(
      `GITHUB_API_URL: "${githubApiUrl}" is not a URL; use https://api.github.com or https://HOST/api/v3 for GHES`,
    );
  }
  return {
    defaultTokenSecret,
    githubApiUrl,
    allowlist: RepositoryAllowlist.parse(env.ALLOWED_REPOSITORIES),
    dispatchQueueUrl: env.DISPATCH_QUEUE_URL || undefined,
    deadLetterQueueUrl: env.DEAD_LETTER_QUEUE_URL || undefined,
    maxInputs: positiveInteger(env, "MAX_WORKFLOW_INPUTS", GITHUB_COM_MAX_INPUTS),
    requestTimeoutMs: positiveInteger(env, "GITHUB_REQUEST_TIMEOUT_MS", 10_000),
    secretCacheTtlMs: positiveInteger(env, "SECRET_CACHE_TTL_MS", 300_000),
    batchConcurrency: positiveInteger(env, "BATCH_CONCURRENCY", 10),
    maxAttempts: positiveInteger(env, "MAX_ATTEMPTS", 8),
    awsRequestTimeoutMs: positiveInteger(env, "AWS_REQUEST_TIMEOUT_MS", 5_000),
    awsMaxAttempts: positiveInteger(env, "AWS_MAX_ATTEMPTS", 3),
  };
}
