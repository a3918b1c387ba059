import {
  PermanentDispatchError,
  RateLimitedDispatchError,
  RetryableDispatchError,
} from "./errors.js";

/** The step that failed: reading the secret, minting an App installation token, or dispatching. */
export const FailurePhase = {
  Secret: "secret",
  Mint: "mint",
  Dispatch: "dispatch",
} as const;
/** One of {@link FailurePhase}. */
export type FailurePhase = (typeof FailurePhase)[keyof typeof FailurePhase];

/** Everything known about one failure; no token or header value other than rate-limit ones. */
export interface FailureFacts {
  readonly phase: FailurePhase;
  /** HTTP status of the answer; 0 when there was none (network failure). */
  readonly status: number;
  /** Response headers, lower-case names; only `retry-after` and `x-ratelimit-*` are read. */
  readonly headers?: Readonly<Record<string, string | undefined>>;
  /** GitHub's `message`, or the AWS error message. */
  readonly message?: string;
  /** Network error code (`ECONNREFUSED`, `TimeoutError`...), AWS error name, or `UnparseableSecret`. */
  readonly errorKind?: string;
  /** What was being done, for the reason: `owner/repo`, workflow and secret id (never its value). */
  readonly repository?: string;
  readonly workflowId?: string | number;
  readonly secretId?: string;
  /** Clock for `x-ratelimit-reset`, epoch ms. @default Date.now() */
  readonly now?: number;
}

/** The classified failure: callers branch on its class. */
export type ClassifiedFailure = PermanentDispatchError | RetryableDispatchError;

/** Connection never established: GitHub cannot have seen the request. */
const NEVER_SENT = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_CONNECT_TIMEOUT",
]);
const AWS_TRANSIENT = new Set([
  "ThrottlingException",
  "Throttling",
  "TooManyRequestsException",
  "RequestLimitExceeded",
  "InternalServiceError",
  "InternalFailure",
  "ServiceUnavailable",
]);

/** Seconds GitHub names through `retry-after` or `x-ratelimit-reset` (when remaining is 0). */
export function retryAfterFromHeaders(
  headers: Readonly<Record<string, string | undefined>> | undefined,
  now: number,
): number | undefined {
  const retryAfter = headers?.["retry-after"];
  if (retryAfter !== undefined && retryAfter !== "") {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, Math.ceil((date - now) / 1000));
  }
  const reset = Number(headers?.["x-ratelimit-reset"]);
  if (headers?.["x-ratelimit-remaining"] === "0" && Number.isFinite(reset)) {
    return Math.max(0, Math.ceil(reset - now / 1000));
  }
  return undefined;
}

function isRateLimited(facts: FailureFacts): boolean {
  if (facts.status === 429) return true;
  if (facts.status !== 403) return false;
  const h = facts.headers ?? {};
  return (
    h["retry-after"] !== undefined ||
    h["x-ratelimit-remaining"] === "0" ||
    /rate limit/i.test(facts.message ?? "")
  );
}

function target(f: FailureFacts): string {
  return `workflow ${String(f.workflowId)} in ${f.repository}`;
}

function quote(message: string | undefined): string {
  return message ? `: ${message.split(" - https://")[0]}` : "";
}

function classifySecret(f: FailureFacts): ClassifiedFailure {
  const id = `secret "${f.secretId}"`;
  const kind = f.errorKind ?? "Error";
  const permanent: Record<string, string> = {
    ResourceNotFoundException: `${id} not found in Secrets Manager; create it or fix token_secret / GITHUB_TOKEN_SECRET`,
    AccessDeniedException: `access to ${id} denied; grant the function secretsmanager:GetSecretValue on it (the stack grants only named secrets)`,
    DecryptionFailure: `${id} cannot be decrypted; grant the function kms:Decrypt on the secret's KMS key`,
    UnparseableSecret: `${id} is unusable${quote(f.message)}; store a token, JSON {"token": "..."} or GitHub App JSON {"appId", "privateKey", "installationId"}`,
  };
  const known = permanent[kind];
  if (known !== undefined) return new PermanentDispatchError(known, { status: f.status });
  if (AWS_TRANSIENT.has(kind) || f.status >= 500 || f.status === 429 || f.status === 0) {
    const reason = `Secrets Manager could not read ${id} right now (${kind}); retrying later`;
    return new RetryableDispatchError(reason, { status: f.status });
  }
  return new PermanentDispatchError(
    `Secrets Manager refused to read ${id} (${kind}${quote(f.message)})`,
    { status: f.status },
  );
}

function classifyHttp(f: FailureFacts): ClassifiedFailure {
  const minting = f.phase === FailurePhase.Mint;
  const what = minting ? `minting an installation token with ${f.secretId}` : target(f);
  if (f.errorKind === "Redirect") {
    const where = f.headers?.location ? ` to ${f.headers.location}` : "";
    return new PermanentDispatchError(
      `GitHub redirected ${what} (${f.status}${where}) and a dispatch is never sent on: the repository was probably renamed or transferred; update owner and repo in the job or the schedule config`,
      { status: f.status },
    );
  }
  if (f.errorKind === "UnexpectedAnswer") {
    const type = f.headers?.["content-type"] ?? "no content-type";
    return new RetryableDispatchError(
      `GitHub answered ${f.status} (${type}) for ${what} without its JSON run details, so it is not counted as dispatched; the run may have been created. If this repeats, check that GITHUB_API_URL is the API root (https://HOST/api/v3 for GHES)`,
      { ambiguous: true, status: f.status },
    );
  }
  if (f.status === 0 || f.status >= 500 || f.status === 408) {
    const kind = f.errorKind ?? `HTTP ${f.status}`;
    const ambiguous = !minting && !NEVER_SENT.has(kind);
    const where = f.status === 0 ? `GitHub unreachable (${kind})` : `GitHub answered ${f.status}`;
    const reason = `${where} for ${what}${ambiguous ? "; the run may have been created" : ""}`;
    return new RetryableDispatchError(reason, { ambiguous, status: f.status });
  }
  if (isRateLimited(f)) {
    const after = retryAfterFromHeaders(f.headers, f.now ?? Date.now());
    const reason = `GitHub rate limit (${f.status}${quote(f.message)}) for ${what}`;
    return new RateLimitedDispatchError(reason, { retryAfterSeconds: after, status: f.status });
  }
  const secret = `secret "${f.secretId}"`;
  let reason: string;
  if (f.status === 401) {
    reason = minting
      ? `GitHub App credentials in ${secret} were rejected (401) while minting an installation token; check appId and privateKey`
      : `token in ${secret} was rejected (401); rotate it`;
  } else if (f.status === 403 && NOT_ACCESSIBLE.test(f.message ?? "")) {
    reason = `token in ${secret} lacks \`actions: write\` on ${f.repository} (403${quote(f.message)}); grant the App or fine-grained token Actions: write on that repository`;
  } else if (f.status === 404) {
    reason = minting
      ? `GitHub App installation in ${secret} not found (404); check installationId`
      : `${target(f)} not found (404): the repository or workflow does not exist, or the token in ${secret} lacks access to it`;
  } else if (f.status === 422) {
    reason = `GitHub rejected ${what} (422${quote(f.message)}); check that the ref exists, the workflow has a workflow_dispatch trigger and the inputs match the ones it declares`;
  } else {
    reason = `GitHub refused ${what} (${f.status}${quote(f.message)})`;
  }
  return new PermanentDispatchError(reason, { status: f.status });
}

/** GitHub's 403 for a token without the permission: "by integration" (an App) or "by personal access token". */
const NOT_ACCESSIBLE = /not accessible by (integration|personal access token)/i;

/**
 * Classifies one failure exactly as DESIGN.md's outcome table says. Pure: no I/O, no clock unless
 * `now` is missing. The only place that turns statuses and error kinds into outcomes.
 */
export function classifyFailure(facts: FailureFacts): ClassifiedFailure {
  return facts.phase === FailurePhase.Secret ? classifySecret(facts) : classifyHttp(facts);
}
