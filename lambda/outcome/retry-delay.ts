import { FailureClass, type RetryableDispatchError } from "./errors.js";

/** Longest `DelaySeconds` SQS accepts on SendMessage (15 minutes). */
export const MAX_SQS_DELAY_SECONDS = 900;
/** Longest visibility timeout SQS accepts (12 hours). */
export const MAX_SQS_VISIBILITY_SECONDS = 43_200;
/** Least wait after a rate limit that names no time (GitHub: "wait at least one minute"). */
const MIN_RATE_LIMIT_SECONDS = 60;

/**
 * Whole seconds from `nowMs` until `untilMs`, rounded down (a message comes back at most a second
 * early; the rest is waited in-process) and kept within `[min, max]`: the one conversion of a time to
 * SQS `DelaySeconds` or a visibility timeout. Pure.
 */
export function delaySecondsUntil(
  untilMs: number,
  nowMs: number,
  bounds: { readonly min: number; readonly max: number },
): number {
  return Math.min(bounds.max, Math.max(bounds.min, Math.floor((untilMs - nowMs) / 1000)));
}

/** How retry delays are computed. */
export interface RetryDelayOptions {
  /** Largest delay the carrying mechanism accepts: SendMessage DelaySeconds or a visibility timeout. */
  readonly limitSeconds: number;
  /** Source of jitter in [0, 1). @default Math.random */
  readonly random?: () => number;
  /** Backoff ceiling of the first retry, doubled per attempt. @default 10 */
  readonly baseSeconds?: number;
  /** Highest backoff ceiling, whatever the attempt. @default 900 */
  readonly backoffCapSeconds?: number;
}

/**
 * Seconds to wait before attempt `attempt + 1`, `attempt` counting from 1. Pure.
 * A time GitHub names (`retry-after`, `x-ratelimit-reset`) is honoured; otherwise exponential backoff
 * with full jitter, and at least {@link MIN_RATE_LIMIT_SECONDS} after a rate limit. Never above
 * `limitSeconds`, never below 1.
 */
export function retryDelaySeconds(
  failure: Pick<RetryableDispatchError, "failureClass" | "retryAfterSeconds">,
  attempt: number,
  options: RetryDelayOptions,
): number {
  const random = options.random ?? Math.random;
  const base = options.baseSeconds ?? 10;
  const cap = options.backoffCapSeconds ?? MAX_SQS_DELAY_SECONDS;
  let delay: number;
  if (failure.retryAfterSeconds !== undefined) {
    delay = failure.retryAfterSeconds;
  } else {
    const ceiling = Math.min(cap, base * 2 ** Math.max(0, attempt - 1));
    delay = Math.ceil(random() * ceiling);
    if (failure.failureClass === FailureClass.RateLimited) {
      delay = Math.max(MIN_RATE_LIMIT_SECONDS, delay);
    }
  }
  return Math.min(options.limitSeconds, Math.max(1, Math.ceil(delay)));
}
