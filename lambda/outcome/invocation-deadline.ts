import { RetryableDispatchError } from "./errors.js";

/**
 * Most of the invocation's remaining time kept back from the work. After the deadline the function
 * still writes what it decided (a visibility change, a retry or a dead-letter message: one SQS call,
 * whose SDK request timeout is 5 s), logs, flushes metrics and returns its partial batch response;
 * a Lambda timeout instead fails the whole batch, and SQS redelivers messages already dispatched.
 */
export const MAX_SAFETY_MARGIN_MS = 5_000;

/**
 * Share of the remaining time kept back when that is less than {@link MAX_SAFETY_MARGIN_MS}: a
 * function with a few seconds' timeout keeps a quarter of them rather than all of them.
 */
const SAFETY_MARGIN_SHARE = 0.25;

/**
 * Least time before the deadline for starting a dispatch. GitHub answers a dispatch in a few hundred
 * milliseconds; started with less time than this, the request would likely be cut off by the deadline,
 * and a request cut off after it was sent is ambiguous (GitHub may have created the run). Not starting
 * it costs only a redelivery.
 */
export const MIN_DISPATCH_WINDOW_MS = 1_000;

/** When an invocation's work must be done, on the `performance.now()` clock. */
export interface InvocationDeadline {
  /** Milliseconds on the clock the deadline was made with; `Infinity` when there is none. */
  readonly atMs: number;
}

/** No deadline: a context without `getRemainingTimeInMillis` (a test, a local run). */
export const NO_DEADLINE: InvocationDeadline = Object.freeze({ atMs: Number.POSITIVE_INFINITY });

/** Milliseconds kept back from `remainingMs`: a quarter of it, at most {@link MAX_SAFETY_MARGIN_MS}. Pure. */
export function safetyMarginMs(remainingMs: number): number {
  return Math.min(MAX_SAFETY_MARGIN_MS, Math.ceil(Math.max(0, remainingMs) * SAFETY_MARGIN_SHARE));
}

/**
 * The deadline of an invocation that had `remainingMs` left at `nowMs` (Lambda's
 * `context.getRemainingTimeInMillis()`), less the safety margin. Pure. Without a usable remaining
 * time (undefined, not a number) there is no deadline.
 */
export function invocationDeadline(
  nowMs: number,
  remainingMs: number | undefined,
): InvocationDeadline {
  if (remainingMs === undefined || !Number.isFinite(remainingMs)) return NO_DEADLINE;
  const remaining = Math.max(0, remainingMs);
  return { atMs: nowMs + remaining - safetyMarginMs(remaining) };
}

/** Milliseconds from `nowMs` to the deadline, 0 once it has passed. Pure. */
export function timeLeftMs(deadline: InvocationDeadline, nowMs: number): number {
  return Math.max(0, deadline.atMs - nowMs);
}

/** Whether a dispatch may start at `nowMs`: at least {@link MIN_DISPATCH_WINDOW_MS} before the deadline. Pure. */
export function mayStartDispatch(deadline: InvocationDeadline, nowMs: number): boolean {
  return timeLeftMs(deadline, nowMs) >= MIN_DISPATCH_WINDOW_MS;
}

/**
 * Time limit of a request started at `nowMs`: the configured one (`GITHUB_REQUEST_TIMEOUT_MS`), or
 * the time left before the deadline when that is shorter, so the request ends before it. Pure.
 */
export function requestTimeoutMs(
  deadline: InvocationDeadline,
  nowMs: number,
  configuredMs: number,
): number {
  return Math.max(1, Math.min(configuredMs, Math.floor(timeLeftMs(deadline, nowMs))));
}

/** Seconds a job not sent for want of time waits before it comes back: just past this invocation. */
const DEADLINE_RETRY_SECONDS = 1;

/**
 * The failure of a job that was not sent because the deadline came first (`reason` says what ran
 * out): transient and not ambiguous, as nothing reached GitHub, retried after
 * {@link DEADLINE_RETRY_SECONDS}.
 */
export function notSentBeforeDeadline(reason: string): RetryableDispatchError {
  return new RetryableDispatchError(`${reason}; not sent, retrying later`, {
    retryAfterSeconds: DEADLINE_RETRY_SECONDS,
  });
}

/**
 * The time limit of a dispatch starting at `nowMs`: `configuredMs` (`GITHUB_REQUEST_TIMEOUT_MS`),
 * or the time left before the deadline when that is shorter. Throws {@link notSentBeforeDeadline}
 * instead when less than {@link MIN_DISPATCH_WINDOW_MS} is left: nothing is sent, so the retry
 * cannot duplicate a run. Pure.
 */
export function dispatchTimeoutMs(
  deadline: InvocationDeadline,
  nowMs: number,
  configuredMs: number,
): number {
  if (!mayStartDispatch(deadline, nowMs)) {
    throw notSentBeforeDeadline(
      `too little time left in this invocation to dispatch (${Math.floor(timeLeftMs(deadline, nowMs))} ms before its deadline, ${MIN_DISPATCH_WINDOW_MS} ms needed)`,
    );
  }
  return requestTimeoutMs(deadline, nowMs, configuredMs);
}
