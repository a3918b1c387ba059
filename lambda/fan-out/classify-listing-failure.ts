import type { RequestFailure } from "../github/describe-request-failure.js";
import type { TargetSelection } from "../job/dispatch-job.js";
import { retryAfterFromHeaders } from "../outcome/classify-failure.js";
import {
  PermanentDispatchError,
  RateLimitedDispatchError,
  RetryableDispatchError,
} from "../outcome/errors.js";

/** How a selection is named in reasons: `organization "acme"`, `user "octocat"`, `the App installation`. */
function describeSelection(selection: TargetSelection): string {
  if (selection.org !== undefined) return `organization "${selection.org}"`;
  if (selection.user !== undefined) return `user "${selection.user}"`;
  return "the App installation";
}

/**
 * Classifies a failure to list a selection's repositories (or to check a workflow file). Pure.
 * No answer, 5xx and rate limits are retried; 401, 403 and 404 are permanent with a reason naming the
 * selection, the secret (never its value) and the fix.
 */
export function classifyListingFailure(
  failure: Pick<RequestFailure, "status" | "headers" | "message" | "errorKind">,
  selection: TargetSelection,
  secretId: string,
  now: number,
): PermanentDispatchError | RetryableDispatchError {
  const what = `listing the repositories of ${describeSelection(selection)}`;
  const { status } = failure;
  if (status === 0 || status >= 500) {
    const cause =
      status === 0
        ? `GitHub unreachable (${failure.errorKind ?? "no answer"})`
        : `GitHub answered ${status}`;
    return new RetryableDispatchError(`${cause} while ${what}`, { status });
  }
  const limited =
    status === 429 ||
    (status === 403 &&
      (failure.headers["retry-after"] !== undefined ||
        failure.headers["x-ratelimit-remaining"] === "0" ||
        /rate limit/i.test(failure.message)));
  if (limited) {
    return new RateLimitedDispatchError(`GitHub rate limit (${status}) while ${what}`, {
      retryAfterSeconds: retryAfterFromHeaders(failure.headers, now),
      status,
    });
  }
  const secret = `secret "${secretId}"`;
  const reasons: Record<number, string> = {
    401: `token in ${secret} was rejected (401) while ${what}; rotate it`,
    403: `token in ${secret} may not list the repositories of ${describeSelection(selection)} (403: ${failure.message}); grant it read access (Metadata: read) or name the targets explicitly`,
    404: `${describeSelection(selection)} not found (404) while ${what}, or the token in ${secret} cannot see it${
      selection.installation ? "; installation listing needs a GitHub App secret" : ""
    }`,
  };
  return new PermanentDispatchError(
    reasons[status] ?? `GitHub refused ${what} (${status}: ${failure.message})`,
    { status },
  );
}
