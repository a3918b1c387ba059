import type { SingleDispatchJob } from "../job/dispatch-job.js";
import type { ClassifiedFailure } from "../outcome/classify-failure.js";
import { classifyFailure, FailurePhase } from "../outcome/classify-failure.js";
import { describeRequestFailure, type RequestFailure } from "./describe-request-failure.js";
import type { GitHubConnection } from "./github-client.js";

/**
 * API roots that rejected `return_run_details` (GHES 3.17-3.19), remembered for the container so
 * every later dispatch there goes straight to the plain request.
 */
const rejectsRunDetails = new Set<string>();

/** One workflow_dispatch call. */
export interface DispatchWorkflowParams {
  readonly owner: string;
  readonly repo: string;
  readonly workflowId: string | number;
  readonly ref: string;
  readonly inputs?: Readonly<Record<string, string | number | boolean>>;
  /** The token; sent as `Authorization: Bearer`, never logged. */
  readonly token: string;
  /** Where the token came from, named in failure reasons. */
  readonly secretId: string;
}

/** The dispatch of a validated single job with `token`, read from `secretId` (named in failure reasons). */
export function dispatchParamsOf(
  job: SingleDispatchJob,
  token: string,
  secretId: string,
): DispatchWorkflowParams {
  return {
    owner: job.owner,
    repo: job.repo,
    workflowId: job.workflow_id,
    ref: job.ref,
    inputs: job.inputs,
    token,
    secretId,
  };
}

/** What GitHub answered to a successful dispatch. */
export interface DispatchResult {
  /** 200 with run details, or 204 without. */
  readonly status: number;
  readonly runId?: number;
  readonly runUrl?: string;
  readonly htmlUrl?: string;
  /** The request id GitHub gave the dispatch. */
  readonly requestId?: string;
  /** GitHub's primary rate-limit headers of the answer (`x-ratelimit-limit`, `-remaining`, `-reset`, `-resource`). */
  readonly rateLimit?: Readonly<Record<string, string | undefined>>;
}

function isRunDetailsRejection(status: number, message: string): boolean {
  return (status === 422 || status === 400) && /return_run_details/.test(message);
}

/** GitHub's primary rate-limit headers, copied into {@link DispatchResult.rateLimit}. */
const RATE_LIMIT_HEADERS = [
  "x-ratelimit-limit",
  "x-ratelimit-remaining",
  "x-ratelimit-reset",
  "x-ratelimit-resource",
] as const;

/** Characters RFC 6570 leaves as they are: the usual owner, repository and workflow file names. */
const UNRESERVED = /^[\w.~-]*$/;

/**
 * `value` as Octokit expands `{owner}` in a route (RFC 6570 simple expansion: everything but
 * unreserved characters percent-encoded). Expanding here spares every dispatch Octokit's
 * template parser; the URL sent is the same.
 */
function pathSegment(value: string | number): string {
  const text = String(value);
  if (UNRESERVED.test(text)) return text;
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

async function send(
  github: GitHubConnection,
  params: DispatchWorkflowParams,
  runDetails: boolean,
): Promise<DispatchResult> {
  // POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches, with the body as JSON
  // text (`data`): Octokit would otherwise deep-merge it with its defaults and serialize it with
  // its BigInt-aware encoder, on every dispatch. The bytes sent are the same.
  const body: Record<string, unknown> = { ref: params.ref, inputs: params.inputs };
  if (runDetails) body.return_run_details = true;
  const path = `${pathSegment(params.owner)}/${pathSegment(params.repo)}/actions/workflows/${pathSegment(params.workflowId)}`;
  const response = await github.request({
    method: "POST",
    url: `/repos/${path}/dispatches`,
    data: JSON.stringify(body),
    headers: { authorization: `Bearer ${params.token}` },
  });
  const data = (response.data ?? {}) as {
    workflow_run_id?: number;
    run_url?: string;
    html_url?: string;
  };
  const rateLimit: Record<string, string | undefined> = {};
  for (const name of RATE_LIMIT_HEADERS) {
    const value = response.headers[name];
    rateLimit[name] = value === undefined ? undefined : String(value);
  }
  return {
    status: response.status,
    runId: data.workflow_run_id,
    runUrl: data.run_url,
    htmlUrl: data.html_url,
    requestId: response.headers["x-github-request-id"],
    rateLimit,
  };
}

function classify(failure: RequestFailure, params: DispatchWorkflowParams): ClassifiedFailure {
  return classifyFailure({
    phase: FailurePhase.Dispatch,
    status: failure.status,
    headers: failure.headers,
    message: failure.message,
    errorKind: failure.errorKind,
    repository: `${params.owner}/${params.repo}`,
    workflowId: params.workflowId,
    secretId: params.secretId,
  });
}

/**
 * Fires `POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches` with
 * `return_run_details: true`; when the server rejects that key (GHES), retries once without it and
 * remembers the API root. Throws a classified error: `PermanentDispatchError` or `RetryableDispatchError`.
 */
export async function dispatchWorkflow(
  github: GitHubConnection,
  params: DispatchWorkflowParams,
): Promise<DispatchResult> {
  const runDetails = !rejectsRunDetails.has(github.apiUrl);
  try {
    return await send(github, params, runDetails);
  } catch (error) {
    const failure = describeRequestFailure(error);
    if (!runDetails || !isRunDetailsRejection(failure.status, failure.message)) {
      throw classify(failure, params);
    }
  }
  rejectsRunDetails.add(github.apiUrl);
  try {
    return await send(github, params, false);
  } catch (error) {
    throw classify(describeRequestFailure(error), params);
  }
}
