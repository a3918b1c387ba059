import type { Dispatcher } from "../create-dispatcher.js";
import { FailureClass, RetryableDispatchError } from "../errors.js";
import { type InvocationDeadline, timeLeftMs } from "./invocation-deadline.js";

/** Seconds a job whose token came too late waits before it comes back: just past this invocation. */
const DEADLINE_RETRY_SECONDS = 1;

/**
 * The token of `secretId` (a cached secret, a read of Secrets Manager or a minted App installation
 * token), or, when it has not arrived by the invocation's deadline, a non-ambiguous transient
 * {@link RetryableDispatchError}: no dispatch was sent, so the retry cannot duplicate a run. The read
 * itself is not cancelled, as other jobs of the batch may share it; its result is cached as usual.
 */
export async function tokenWithinDeadline(
  d: Dispatcher,
  secretId: string,
  deadline: InvocationDeadline,
): Promise<string> {
  const pending = d.tokens.token(secretId);
  if (deadline.atMs === Number.POSITIVE_INFINITY) return pending;
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => {
        // The read may still fail later; nobody waits for it then.
        pending.catch(() => undefined);
        reject(
          new RetryableDispatchError(
            `the token from ${secretId} did not arrive before this invocation's deadline; not sent, retrying later`,
            FailureClass.Transient,
            DEADLINE_RETRY_SECONDS,
            false,
          ),
        );
      },
      timeLeftMs(deadline, performance.now()),
    );
  });
  try {
    return await Promise.race([pending, expired]);
  } finally {
    clearTimeout(timer);
  }
}
