import type { Dispatcher } from "../create-dispatcher.js";
import {
  type InvocationDeadline,
  MIN_DISPATCH_WINDOW_MS,
  mayStartDispatch,
  notSentBeforeDeadline,
  requestTimeoutMs,
  timeLeftMs,
} from "./invocation-deadline.js";

/**
 * The time limit of a dispatch starting now: `GITHUB_REQUEST_TIMEOUT_MS`, or the time left before
 * the deadline when that is shorter. Throws {@link notSentBeforeDeadline} instead when less than
 * {@link MIN_DISPATCH_WINDOW_MS} is left: nothing is sent, so the retry cannot duplicate a run.
 */
export function dispatchTimeoutMs(
  d: Dispatcher,
  deadline: InvocationDeadline,
  nowMs: number = performance.now(),
): number {
  if (!mayStartDispatch(deadline, nowMs)) {
    throw notSentBeforeDeadline(
      `too little time left in this invocation to dispatch (${Math.floor(timeLeftMs(deadline, nowMs))} ms before its deadline, ${MIN_DISPATCH_WINDOW_MS} ms needed)`,
    );
  }
  return requestTimeoutMs(deadline, nowMs, d.config.requestTimeoutMs);
}
