import type { TokenProvider } from "../secrets/token-provider.js";
import {
  type InvocationDeadline,
  notSentBeforeDeadline,
  timeLeftMs,
} from "./invocation-deadline.js";

/**
 * The token of `secretId` (a cached secret, a read of Secrets Manager or a minted App installation
 * token), or, when it has not arrived by the invocation's deadline, {@link notSentBeforeDeadline}:
 * no dispatch was sent, so the retry cannot duplicate a run. A cached token needs no race (the
 * usual case on a warm container). The read itself is not cancelled, as other jobs of the batch may
 * share it; its result is cached as usual.
 */
export async function tokenWithinDeadline(
  tokens: TokenProvider,
  secretId: string,
  deadline: InvocationDeadline,
): Promise<string> {
  const cached = tokens.cachedToken(secretId);
  if (cached !== undefined) return cached;
  const pending = tokens.token(secretId);
  if (deadline.atMs === Number.POSITIVE_INFINITY) return pending;
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => {
        // The read may still fail later; nobody waits for it then.
        pending.catch(() => undefined);
        reject(
          notSentBeforeDeadline(
            `the token from ${secretId} did not arrive before this invocation's deadline`,
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
