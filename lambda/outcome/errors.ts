/**
 * Error classes of the dispatcher. Callers branch on the class, never on message text.
 * No message built here ever contains a token, a private key or an Authorization header.
 */

/** Classes of failure, as recorded in logs, metrics and dead-letter message attributes. */
export const FailureClass = {
  /** The job can never succeed as written: parked in the dead-letter queue, not retried. */
  Permanent: "permanent",
  /** GitHub asked us to slow down: retried after the time GitHub names. */
  RateLimited: "rate_limited",
  /** A failure that may clear by itself (5xx, timeout, reset, DNS, AWS throttling). */
  Transient: "transient",
} as const;
/** One of {@link FailureClass}. */
export type FailureClass = (typeof FailureClass)[keyof typeof FailureClass];

/** Options every dispatch error takes. */
interface DispatchErrorOptions {
  readonly cause?: unknown;
  /** HTTP status from GitHub or AWS when there was one. @default 0 */
  readonly status?: number;
}

/** Base class of every error the dispatcher raises on purpose; it carries its failure class. */
abstract class DispatchError extends Error {
  abstract readonly failureClass: FailureClass;
  /** HTTP status from GitHub or AWS when there was one; 0 for none. */
  readonly status: number;

  constructor(message: string, options: DispatchErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.status = options.status ?? 0;
  }
}

/** Options of {@link InvalidJobError}. */
export interface InvalidJobErrorOptions extends DispatchErrorOptions {
  /** Dotted path of the offending field (`inputs.environment`), or `(job)` for the job as a whole. */
  readonly field: string;
}

/** The job itself is wrong: parked with the field named, never retried. */
export class InvalidJobError extends DispatchError {
  override readonly name = "InvalidJobError";
  readonly failureClass = FailureClass.Permanent;
  /** Dotted path of the offending field, or `(job)` for the job as a whole. */
  readonly field: string;

  constructor(message: string, options: InvalidJobErrorOptions) {
    super(message, options);
    this.field = options.field;
  }
}

/**
 * The function's environment cannot be read. `problems` holds every problem, one line each naming the
 * variable, the bad value and the fix; the message lists them all, so one failed start shows them all.
 */
export class InvalidEnvironmentError extends Error {
  override readonly name = "InvalidEnvironmentError";
  constructor(
    /** Every problem found, each starting with its variable: `BATCH_CONCURRENCY: "abc" is ...`. */
    readonly problems: readonly string[],
    options?: { cause?: unknown },
  ) {
    super(
      `${problems.length} problem${problems.length === 1 ? "" : "s"} in the function's environment:\n${problems
        .map((p) => `  - ${p}`)
        .join("\n")}`,
      options,
    );
  }
}

/** A failure that retrying cannot fix: the job goes to the dead-letter queue with the message as its reason. */
export class PermanentDispatchError extends DispatchError {
  override readonly name = "PermanentDispatchError";
  readonly failureClass = FailureClass.Permanent;
}

/** Options of {@link RetryableDispatchError}. */
export interface RetryableDispatchErrorOptions extends DispatchErrorOptions {
  /** Seconds to wait before the retry (`retry-after`, `x-ratelimit-reset`). @default - backoff with jitter */
  readonly retryAfterSeconds?: number;
  /** The request may have reached GitHub (timeout, reset, 5xx after send): a retry may duplicate a run. @default false */
  readonly ambiguous?: boolean;
}

/** A failure that may clear by itself; the queue owns the retry, never an in-process loop. */
export class RetryableDispatchError extends DispatchError {
  override readonly name: string = "RetryableDispatchError";
  readonly failureClass: typeof FailureClass.Transient | typeof FailureClass.RateLimited =
    FailureClass.Transient;
  readonly retryAfterSeconds: number | undefined;
  readonly ambiguous: boolean;

  constructor(message: string, options: RetryableDispatchErrorOptions = {}) {
    super(message, options);
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.ambiguous = options.ambiguous ?? false;
  }
}

/** GitHub asked us to slow down: retried after the time GitHub names, at least a minute otherwise. */
export class RateLimitedDispatchError extends RetryableDispatchError {
  override readonly name = "RateLimitedDispatchError";
  override readonly failureClass = FailureClass.RateLimited;
}
