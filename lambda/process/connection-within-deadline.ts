import type { Dispatcher } from "../create-dispatcher.js";
import type { GitHubConnection } from "../github/github-client.js";
import {
  type InvocationDeadline,
  MIN_DISPATCH_WINDOW_MS,
  mayStartDispatch,
  notSentBeforeDeadline,
  requestTimeoutMs,
  timeLeftMs,
} from "./invocation-deadline.js";

/**
 * The GitHub connection for a dispatch starting now: the dispatcher's own while the deadline is
 * further away than `GITHUB_REQUEST_TIMEOUT_MS`, else one whose requests are aborted at the deadline
 * (a timeout of the time left, shared by the dispatch and its `return_run_details` fallback).
 * Throws {@link notSentBeforeDeadline} instead when less than
 * {@link MIN_DISPATCH_WINDOW_MS} is left: nothing is sent, so the retry cannot duplicate a run.
 */
export function connectionWithinDeadline(
  d: Dispatcher,
  deadline: InvocationDeadline,
  nowMs: number = performance.now(),
): GitHubConnection {
  if (!mayStartDispatch(deadline, nowMs)) {
    throw notSentBeforeDeadline(
      `too little time left in this invocation to dispatch (${Math.floor(timeLeftMs(deadline, nowMs))} ms before its deadline, ${MIN_DISPATCH_WINDOW_MS} ms needed)`,
    );
  }
  const timeoutMs = requestTimeoutMs(deadline, nowMs, d.config.requestTimeoutMs);
  if (timeoutMs >= d.config.requestTimeoutMs) return d.github;
  return {
    apiUrl: d.github.apiUrl,
    request: d.github.request.defaults({ request: { signal: AbortSignal.timeout(timeoutMs) } }),
  };
}
