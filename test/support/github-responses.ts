import { isRecord } from "./stand-in-server.js";

/** Where GitHub's REST errors point readers; the stand-in copies the shape, not the exact page. */
const DOCS = "https://docs.github.com/rest/actions/workflows#create-a-workflow-dispatch-event";

/** Which GitHub the stand-in imitates. */
export const GitHubMode = {
  /** api.github.com / GHEC: 25 inputs, `return_run_details` answers 200 with the run. */
  GitHubCom: "github.com",
  /** GHES 3.17-3.19: 10 inputs, `return_run_details` is rejected with 422, success is 204 only. */
  Ghes: "ghes",
} as const;
/** One of {@link GitHubMode}. */
export type GitHubMode = (typeof GitHubMode)[keyof typeof GitHubMode];

/** A status and JSON body the stand-in answers with (body undefined: empty answer). */
export interface GitHubAnswer {
  status: number;
  body: unknown;
}

/** GitHub's error body: `message`, `documentation_url` and the status as a string. */
export function gitHubError(status: number, message: string): Record<string, string> {
  return { message, documentation_url: DOCS, status: String(status) };
}

/** GitHub's 401 for a missing, unknown or revoked token. */
export const badCredentials = (): Record<string, string> => gitHubError(401, "Bad credentials");

/** GitHub's 404 for a repository or workflow that does not exist or the token cannot see. */
export const notFound = (): Record<string, string> => gitHubError(404, "Not Found");

/** True when a scripted 403 carries GitHub's rate-limit signals. */
function isRateLimited(headers: Record<string, string>): boolean {
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return lower["retry-after"] !== undefined || lower["x-ratelimit-remaining"] === "0";
}

/**
 * The body GitHub would send with `status` when a scripted response names none.
 * 403 means "Resource not accessible by integration" unless the headers signal a rate limit.
 */
export function defaultBodyFor(
  status: number,
  headers: Record<string, string>,
  runDetails: () => unknown,
): unknown {
  switch (status) {
    case 200:
      return runDetails();
    case 201:
    case 202:
    case 204:
      return undefined;
    case 401:
      return badCredentials();
    case 403:
      return isRateLimited(headers)
        ? gitHubError(
            403,
            "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
          )
        : gitHubError(403, "Resource not accessible by integration");
    case 404:
      return notFound();
    case 422:
      return gitHubError(422, "Workflow does not have 'workflow_dispatch' trigger");
    case 429:
      return gitHubError(429, "You have exceeded a secondary rate limit.");
    default:
      return status >= 500 ? gitHubError(status, "Server Error") : gitHubError(status, "Error");
  }
}

/**
 * Checks a dispatch body the way GitHub does once the token and repository are known:
 * `ref` required, at most 25 inputs (10 on GHES), `return_run_details` only on github.com.
 * Answers 200 with the run for `return_run_details: true` on github.com, else 204.
 */
export function answerDispatch(
  received: unknown,
  mode: GitHubMode,
  runDetails: () => unknown,
): GitHubAnswer {
  const body = received ?? {};
  if (!isRecord(body)) {
    return { status: 400, body: gitHubError(400, "Problems parsing JSON") };
  }
  if (mode === GitHubMode.Ghes && "return_run_details" in body) {
    const value = JSON.stringify(body.return_run_details);
    const message = `Invalid request.\n\nFor 'properties/return_run_details', ${value} is not a permitted key.`;
    return { status: 422, body: gitHubError(422, message) };
  }
  if (typeof body.ref !== "string" || body.ref === "") {
    return { status: 422, body: gitHubError(422, `Invalid request.\n\n"ref" wasn't supplied.`) };
  }
  const maxInputs = mode === GitHubMode.Ghes ? 10 : 25;
  if (body.inputs !== undefined) {
    if (!isRecord(body.inputs)) {
      const message = "Invalid request.\n\nFor 'properties/inputs', it is not an object.";
      return { status: 422, body: gitHubError(422, message) };
    }
    const count = Object.keys(body.inputs).length;
    if (count > maxInputs) {
      const message = `Invalid request.\n\nFor 'properties/inputs', ${count} properties is more than the maximum of ${maxInputs}.`;
      return { status: 422, body: gitHubError(422, message) };
    }
  }
  if (body.return_run_details === true) return { status: 200, body: runDetails() };
  return { status: 204, body: undefined };
}
