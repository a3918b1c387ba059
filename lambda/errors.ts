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

/** Base class of every error the dispatcher raises on purpose. */
export class DispatchError extends Error {
  override readonly name: string = "DispatchError";
}

/** The job itself is wrong; `field` is the path of the offending field (`inputs.environment`). */
export class InvalidJobError extends DispatchError {
  override readonly name = "InvalidJobError";
  constructor(
    /** Dotted path of the offending field, or `(job)` for the job as a whole. */
    readonly field: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * The function's environment cannot be read. `problems` holds every problem, one line each naming the
 * variable, the bad value and the fix; the message lists them all, so one failed start shows them all.
 */
export class InvalidEnvironmentError extends DispatchError {
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

/** A failure that retrying cannot fix: the job goes to the dead-letter queue with `reason`. */
export class PermanentDispatchError extends DispatchError {
  override readonly name = "PermanentDispatchError";
  constructor(
    /** Human-readable reason recorded with the parked job. */
    readonly reason: string,
    /** HTTP status from GitHub or AWS when there was one; 0 for none. */
    readonly status = 0,
    options?: { cause?: unknown },
  ) {
    super(reason, options);
  }
}

/** A failure worth retrying later; the queue owns the retry, never an in-process loop. */
export class RetryableDispatchError extends DispatchError {
  override readonly name = "RetryableDispatchError";
  constructor(
    readonly reason: string,
    readonly failureClass: typeof FailureClass.RateLimited | typeof FailureClass.Transient,
    /** Seconds GitHub asked us to wait (`retry-after` / `x-ratelimit-reset`); undefined: use backoff. */
    readonly retryAfterSeconds: number | undefined,
    /** True when the request may have reached GitHub (timeout/reset/5xx after send): a retry may duplicate a run. */
    readonly ambiguous: boolean,
    readonly status = 0,
    options?: { cause?: unknown },
  ) {
    super(reason, options);
  }
}
