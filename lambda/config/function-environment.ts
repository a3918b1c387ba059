import * as z from "zod";
import { GITHUB_COM_MAX_INPUTS } from "../job/dispatch-job.js";
import { RepositoryAllowlist } from "../job/repository-allowlist.js";
import { DEFAULT_PACING_LIMITS, PacingLimitTable } from "../pacing/pacing-limits.js";
import type { FunctionConfig } from "./function-config.js";
import { pacingLimitsVariable } from "./pacing-limits-variable.js";
import {
  isUnset,
  onOff,
  optionalText,
  optionalUrl,
  requiredText,
  shown,
  variableText,
  wholeNumber,
} from "./variable-schemas.js";

/**
 * Names of the function's environment variables. The stack sets the function's environment with
 * these names and {@link functionEnvironmentSchema} reads them, so the two cannot drift; README's
 * table of the function's environment lists the same.
 */
export const FunctionVariable = {
  GitHubTokenSecret: "GITHUB_TOKEN_SECRET",
  GitHubApiUrl: "GITHUB_API_URL",
  AllowedRepositories: "ALLOWED_REPOSITORIES",
  DispatchQueueUrl: "DISPATCH_QUEUE_URL",
  DeadLetterQueueUrl: "DEAD_LETTER_QUEUE_URL",
  MaxWorkflowInputs: "MAX_WORKFLOW_INPUTS",
  GitHubRequestTimeoutMs: "GITHUB_REQUEST_TIMEOUT_MS",
  SecretCacheTtlMs: "SECRET_CACHE_TTL_MS",
  BatchConcurrency: "BATCH_CONCURRENCY",
  MaxAttempts: "MAX_ATTEMPTS",
  AwsRequestTimeoutMs: "AWS_REQUEST_TIMEOUT_MS",
  AwsMaxAttempts: "AWS_MAX_ATTEMPTS",
  StateTableName: "STATE_TABLE_NAME",
  IdempotencyWindowSeconds: "IDEMPOTENCY_WINDOW_SECONDS",
  Pacing: "PACING",
  FanOutSpread: "FAN_OUT_SPREAD",
  PacingAlignMs: "PACING_ALIGN_MS",
  PacingLimits: "PACING_LIMITS",
  /**
   * Unique id of the function's IAM role (`AROA...`), set by the stack: a queued message whose SQS
   * `SenderId` is this role was sent by the function itself, so its key and Scheduler context are trusted.
   */
  FunctionRoleId: "FUNCTION_ROLE_ID",
  /** Set by Lambda. */
  AwsRegion: "AWS_REGION",
  /** Read by the AWS SDK itself; checked here so that a bad one fails at start with the rest. */
  AwsEndpointUrl: "AWS_ENDPOINT_URL",
  /** Read by the AWS SDK itself. */
  AwsEndpointUrlSecretsManager: "AWS_ENDPOINT_URL_SECRETS_MANAGER",
  /** Read by the AWS SDK itself. */
  AwsEndpointUrlSqs: "AWS_ENDPOINT_URL_SQS",
  /** Read by the AWS SDK itself. */
  AwsEndpointUrlDynamoDb: "AWS_ENDPOINT_URL_DYNAMODB",
  /** Read by Powertools; the function's own code names its service explicitly. */
  PowertoolsServiceName: "POWERTOOLS_SERVICE_NAME",
  /** Read by Powertools; the function's own code names its namespace explicitly. */
  PowertoolsMetricsNamespace: "POWERTOOLS_METRICS_NAMESPACE",
  /** Read by Node.js. */
  NodeOptions: "NODE_OPTIONS",
} as const;
/** One of {@link FunctionVariable}. */
export type FunctionVariable = (typeof FunctionVariable)[keyof typeof FunctionVariable];

/** What an unset or empty variable means, written as the value that means the same. */
export const FUNCTION_VARIABLE_DEFAULTS = {
  [FunctionVariable.GitHubApiUrl]: "https://api.github.com",
  [FunctionVariable.MaxWorkflowInputs]: String(GITHUB_COM_MAX_INPUTS),
  [FunctionVariable.GitHubRequestTimeoutMs]: String(DEFAULT_PACING_LIMITS.requestTimeoutMs),
  [FunctionVariable.SecretCacheTtlMs]: "300000",
  [FunctionVariable.BatchConcurrency]: "10",
  [FunctionVariable.MaxAttempts]: "8",
  [FunctionVariable.AwsRequestTimeoutMs]: "5000",
  [FunctionVariable.AwsMaxAttempts]: "3",
  [FunctionVariable.IdempotencyWindowSeconds]: "86400",
  [FunctionVariable.Pacing]: "on",
  [FunctionVariable.FanOutSpread]: "on",
  [FunctionVariable.PacingAlignMs]: "2000",
} as const satisfies Partial<Record<FunctionVariable, string>>;

const V = FunctionVariable;
const DEFAULTS = FUNCTION_VARIABLE_DEFAULTS;

/** `ALLOWED_REPOSITORIES`: one issue per pattern that is not `owner/repo`. */
const allowedRepositories = variableText.transform((raw, ctx) => {
  const { allowlist, problems } = RepositoryAllowlist.check(raw);
  for (const message of problems) ctx.addIssue({ code: "custom", message });
  return allowlist;
});

/** `GITHUB_API_URL` without trailing slashes. */
const githubApiUrl = variableText.transform((raw, ctx) => {
  const value = (isUnset(raw) ? DEFAULTS[V.GitHubApiUrl] : raw).replace(/\/+$/, "");
  if (/^https?:\/\/[^\s]+$/.test(value)) return value;
  ctx.addIssue({
    code: "custom",
    message: `${shown(raw ?? "")} is not a URL; use https://api.github.com, or https://HOST/api/v3 for GHES`,
  });
  return z.NEVER;
});

const QUEUE_URL_FIX =
  "set it to the stack's queue URL, https://sqs.REGION.amazonaws.com/ACCOUNT/NAME";
const ENDPOINT_FIX = "set it to the endpoint's URL, e.g. http://127.0.0.1:4566, or unset it";

/** One schema per variable; `satisfies` keeps it complete: every name, and only names, of {@link FunctionVariable}. */
const variables = {
  [V.GitHubTokenSecret]: requiredText(
    "set it to the Secrets Manager secret id or ARN holding the GitHub token",
  ),
  [V.GitHubApiUrl]: githubApiUrl,
  [V.AllowedRepositories]: allowedRepositories,
  [V.DispatchQueueUrl]: optionalUrl(QUEUE_URL_FIX),
  [V.DeadLetterQueueUrl]: optionalUrl(QUEUE_URL_FIX),
  [V.MaxWorkflowInputs]: wholeNumber(DEFAULTS[V.MaxWorkflowInputs], 1),
  [V.GitHubRequestTimeoutMs]: wholeNumber(DEFAULTS[V.GitHubRequestTimeoutMs], 1),
  [V.SecretCacheTtlMs]: wholeNumber(DEFAULTS[V.SecretCacheTtlMs], 1),
  [V.BatchConcurrency]: wholeNumber(DEFAULTS[V.BatchConcurrency], 1),
  [V.MaxAttempts]: wholeNumber(DEFAULTS[V.MaxAttempts], 1),
  [V.AwsRequestTimeoutMs]: wholeNumber(DEFAULTS[V.AwsRequestTimeoutMs], 1),
  [V.AwsMaxAttempts]: wholeNumber(DEFAULTS[V.AwsMaxAttempts], 1),
  [V.StateTableName]: optionalText(),
  [V.IdempotencyWindowSeconds]: wholeNumber(DEFAULTS[V.IdempotencyWindowSeconds], 60),
  [V.Pacing]: onOff(DEFAULTS[V.Pacing]),
  [V.FanOutSpread]: onOff(DEFAULTS[V.FanOutSpread]),
  [V.PacingAlignMs]: wholeNumber(DEFAULTS[V.PacingAlignMs], 0, 10_000),
  [V.PacingLimits]: pacingLimitsVariable,
  [V.FunctionRoleId]: optionalText(),
  [V.AwsRegion]: optionalText(),
  [V.AwsEndpointUrl]: optionalUrl(ENDPOINT_FIX),
  [V.AwsEndpointUrlSecretsManager]: optionalUrl(ENDPOINT_FIX),
  [V.AwsEndpointUrlSqs]: optionalUrl(ENDPOINT_FIX),
  [V.AwsEndpointUrlDynamoDb]: optionalUrl(ENDPOINT_FIX),
  [V.PowertoolsServiceName]: optionalText(),
  [V.PowertoolsMetricsNamespace]: optionalText(),
  [V.NodeOptions]: optionalText(),
} satisfies Record<FunctionVariable, z.ZodType<unknown, string | undefined>>;

/**
 * The function's environment: every variable of {@link FunctionVariable}, with its default, parsed into
 * one {@link FunctionConfig}. Other variables are ignored. Issues name the variable in their path;
 * {@link checkFunctionEnvironment} turns them into messages.
 */
const functionEnvironmentSchema = z.object(variables).transform(
  (env): FunctionConfig => ({
    defaultTokenSecret: env[V.GitHubTokenSecret],
    githubApiUrl: env[V.GitHubApiUrl],
    allowlist: env[V.AllowedRepositories],
    dispatchQueueUrl: env[V.DispatchQueueUrl],
    deadLetterQueueUrl: env[V.DeadLetterQueueUrl],
    maxInputs: env[V.MaxWorkflowInputs],
    requestTimeoutMs: env[V.GitHubRequestTimeoutMs],
    secretCacheTtlMs: env[V.SecretCacheTtlMs],
    batchConcurrency: env[V.BatchConcurrency],
    maxAttempts: env[V.MaxAttempts],
    awsRequestTimeoutMs: env[V.AwsRequestTimeoutMs],
    awsMaxAttempts: env[V.AwsMaxAttempts],
    stateTableName: env[V.StateTableName],
    pacing: env[V.Pacing],
    fanOutSpread: env[V.FanOutSpread],
    pacingAlignMs: env[V.PacingAlignMs],
    idempotencyWindowSeconds: env[V.IdempotencyWindowSeconds],
    pacingLimits: PacingLimitTable.of(
      { ...DEFAULT_PACING_LIMITS, requestTimeoutMs: env[V.GitHubRequestTimeoutMs] },
      env[V.PacingLimits],
    ),
    region: env[V.AwsRegion],
    functionRoleId: env[V.FunctionRoleId],
  }),
);

/** The environment read: the config when it is valid, and every problem otherwise. */
export interface EnvironmentCheck {
  /** The config; undefined when there is a problem. */
  readonly config: FunctionConfig | undefined;
  /** One line per problem, `VARIABLE: "value" is not ...; fix`; empty when the config is valid. */
  readonly problems: readonly string[];
}

/** `PACING_LIMITS` + `["github/bot", "requestsPerMinute"]` -> `PACING_LIMITS["github/bot"].requestsPerMinute`. */
function fieldOf(path: readonly PropertyKey[]): string {
  const [variable, secret, ...fields] = path.map(String);
  return [
    variable ?? "(environment)",
    secret === undefined ? "" : `[${JSON.stringify(secret)}]`,
    ...fields.map((f) => `.${f}`),
  ].join("");
}

/** Reads `env` with {@link functionEnvironmentSchema}, collecting every problem. Pure; never throws. */
export function checkFunctionEnvironment(env: NodeJS.ProcessEnv): EnvironmentCheck {
  const result = functionEnvironmentSchema.safeParse(env);
  if (result.success) return { config: result.data, problems: [] };
  return {
    config: undefined,
    problems: result.error.issues.map((issue) => `${fieldOf(issue.path)}: ${issue.message}`),
  };
}
