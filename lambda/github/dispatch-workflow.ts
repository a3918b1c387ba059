import type { SingleDispatchJob } from "../job/dispatch-job.js";
import type { ClassifiedFailure } from "../outcome/classify-failure.js";
import { classifyFailure, FailurePhase } from "../outcome/classify-failure.js";
import { describeRequestFailure, type RequestFailure } from "./describe-request-failure.js";
import type { GitHubConnection } from "./github-client.js";

/**
 * API roots that rejected `return_run_details` (GHES 3.20 and older), remembered for the container
 * so every later dispatch there goes straight to the plain request.
 */
const rejectsRunDetails = new Set<string>();

/** One workflow_dispatch call. */
export interface DispatchWorkflowParams {
  readonly job: SingleDispatchJob;
  /** The token; sent as `Authorization: Bearer`, never logged. */
  readonly token: string;
  /** Where the token came from, named in failure reasons. */
  readonly secretId: string;
  /** Time limit of each request of this dispatch (the fallback included), ms. */
  readonly timeoutMs: number;
}

/** What GitHub answered to a successful dispatch. */
export interface DispatchResult {
  /** 200 with run details, or 204 without. */
  readonly status: number;
  /** GitHub's `workflow_run_id`: a number, or its decimal string beyond 2^53. */
  readonly runId?: number | string;
  readonly runUrl?: string;
  readonly htmlUrl?: string;
  /** The request id GitHub gave the dispatch. */
  readonly requestId?: string;
  /** GitHub's primary rate-limit headers of the answer (`x-ratelimit-limit`, `-remaining`, `-reset`, `-resource`). */
  readonly rateLimit?: Readonly<Record<string, string | undefined>>;
}

/** GitHub's primary rate-limit headers, copied into {@link DispatchResult.rateLimit}. */
const RATE_LIMIT_HEADERS = [
  "x-ratelimit-limit",
  "x-ratelimit-remaining",
  "x-ratelimit-reset",
  "x-ratelimit-resource",
] as const;

function isRunDetailsRejection(failure: RequestFailure): boolean {
  return (
    (failure.status === 422 || failure.status === 400) && /return_run_details/.test(failure.message)
  );
}

/**
 * A run id as a safe value: a number up to 2^53, else its decimal string. Octokit parses larger
 * integers as BigInt, which neither `JSON.stringify` (the direct result, the idempotency record)
 * nor a log line can carry.
 */
function safeRunId(value: unknown): number | string | undefined {
  if (typeof value === "number" && Number.isSafeInteger(value) && value > 0) return value;
  if (typeof value === "bigint" && value > 0n) {
    return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
  }
  return undefined;
}

/** The run details of a 200, when the body is GitHub's JSON answer. */
function runDetailsOf(
  data: unknown,
): { workflow_run_id: number | string; run_url?: string; html_url?: string } | undefined {
  if (typeof data !== "object" || data === null) return undefined;
  const details = data as { workflow_run_id?: unknown; run_url?: unknown; html_url?: unknown };
  const runId = safeRunId(details.workflow_run_id);
  if (runId === undefined) return undefined;
  return {
    workflow_run_id: runId,
    run_url: typeof details.run_url === "string" ? details.run_url : undefined,
    html_url: typeof details.html_url === "string" ? details.html_url : undefined,
  };
}

/**
 * A successful answer that is not one GitHub gives to a dispatch, as the failure facts it is: a
 * redirect (the POST is never followed: a renamed or transferred repository means the config must
 * change) or a 2xx other than 204 without GitHub's JSON run details (a proxy, a cut-off body).
 */
function unexpectedAnswer(
  status: number,
  headers: Readonly<Record<string, string | number | undefined>>,
  data: unknown,
): RequestFailure | undefined {
  if (status === 204 || (status === 200 && runDetailsOf(data) !== undefined)) return undefined;
  const text = (name: string) => (headers[name] === undefined ? undefined : String(headers[name]));
  return {
    status,
    headers: { location: text("location"), "content-type": text("content-type") },
    message: "",
    errorKind: status >= 300 && status < 400 ? "Redirect" : "UnexpectedAnswer",
    requestId: text("x-github-request-id"),
  };
}

class UnexpectedAnswer extends Error {
  constructor(readonly failure: RequestFailure) {
    super(`unexpected answer ${failure.status}`);
  }
}

async function send(
  github: GitHubConnection,
  params: DispatchWorkflowParams,
  runDetails: boolean,
): Promise<DispatchResult> {
  const { job } = params;
  const response = await github.octokit.request(
    "POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches",
    {
      owner: job.owner,
      repo: job.repo,
      workflow_id: job.workflow_id,
      ref: job.ref,
      inputs: job.inputs,
      ...(runDetails ? { return_run_details: true } : {}),
      headers: { authorization: `Bearer ${params.token}` },
      request: { redirect: "manual", signal: AbortSignal.timeout(params.timeoutMs) },
    },
  );
  const status: number = response.status;
  const unexpected = unexpectedAnswer(status, response.headers, response.data);
  if (unexpected !== undefined) throw new UnexpectedAnswer(unexpected);
  const details = runDetailsOf(response.data);
  const rateLimit: Record<string, string | undefined> = {};
  for (const name of RATE_LIMIT_HEADERS) {
    const value = response.headers[name];
    rateLimit[name] = value === undefined ? undefined : String(value);
  }
  return {
    status,
    runId: details?.workflow_run_id,
    runUrl: details?.run_url,
    htmlUrl: details?.html_url,
    requestId: response.headers["x-github-request-id"],
    rateLimit,
  };
}

function failureOf(error: unknown): RequestFailure {
  return error instanceof UnexpectedAnswer ? error.failure : describeRequestFailure(error);
}

function classify(failure: RequestFailure, params: DispatchWorkflowParams): ClassifiedFailure {
  return classifyFailure({
    phase: FailurePhase.Dispatch,
    status: failure.status,
    headers: failure.headers,
    message: failure.message,
    errorKind: failure.errorKind,
    repository: `${params.job.owner}/${params.job.repo}`,
    workflowId: params.job.workflow_id,
    secretId: params.secretId,
  });
}

/**
 * Fires `POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches` with
 * `return_run_details: true`; when the server rejects that key (GHES 3.20 and older), retries once
 * without it and remembers the API root. Throws a classified error: `PermanentDispatchError` or
 * `RetryableDispatchError`.
 */
export async function dispatchWorkflow(
  github: GitHubConnection,
  params: DispatchWorkflowParams,
): Promise<DispatchResult> {
  const runDetails = !rejectsRunDetails.has(github.apiUrl);
  try {
    return await send(github, params, runDetails);
  } catch (error) {
    const failure = failureOf(error);
    if (!runDetails || !isRunDetailsRejection(failure)) throw classify(failure, params);
  }
  rejectsRunDetails.add(github.apiUrl);
  try {
    return await send(github, params, false);
  } catch (error) {
    throw classify(failureOf(error), params);
  }
}
