import * as z from "zod";
import { secretNameOf } from "./token-identity.js";

/** GitHub's secondary limits for one token, and how much room pacing leaves for timing noise. */
export interface PacingLimits {
  /** Content-creating requests a minute. @default 80 */
  readonly perMinute: number;
  /** Content-creating requests an hour. @default 500 */
  readonly perHour: number;
  /**
   * Requests in flight at once. Kept by spacing slots at least `requestTimeoutMs / maxConcurrency`
   * apart, so even requests that take the whole timeout never overlap more. @default 100
   */
  readonly maxConcurrency: number;
  /** The dispatch request timeout (`GITHUB_REQUEST_TIMEOUT_MS`). @default 10000 */
  readonly requestTimeoutMs: number;
  /**
   * Milliseconds added to the minute window (and the spacing), covering how much later than its
   * recorded start a request may reach GitHub. @default 2000
   */
  readonly marginMs: number;
  /** The same for the hour window, where it costs little: a slow cold start fits in. @default 30000 */
  readonly hourMarginMs: number;
}

/** GitHub's documented secondary limits for github.com. */
export const DEFAULT_PACING_LIMITS: PacingLimits = {
  perMinute: 80,
  perHour: 500,
  maxConcurrency: 100,
  requestTimeoutMs: 10_000,
  marginMs: 2000,
  hourMarginMs: 30_000,
};

function limit(max: number, help = "") {
  const message = `must be a whole number from 1 to ${max}${help}`;
  return z
    .number({ error: message })
    .int({ error: message })
    .min(1, { error: message })
    .max(max, { error: message });
}

/**
 * The pacing block of one token: the CDK config's `secrets[].pacing`, which the stack hands to the
 * function in `PACING_LIMITS` by secret name. One schema for both ends, so the function accepts what
 * the config accepts. GitHub's secondary limits are the ceiling.
 */
export const secretPacingSchema = z.strictObject(
  {
    requestsPerMinute: limit(10_000).optional(),
    requestsPerHour: limit(100_000).optional(),
    maxConcurrency: limit(100, " (GitHub allows 100 concurrent requests)").optional(),
  },
  {
    error: (issue) =>
      issue.code === "invalid_type"
        ? 'must be an object such as {"requestsPerMinute": 30}'
        : undefined,
  },
);

/** One token's pacing block, as {@link secretPacingSchema} parses it. */
export type SecretPacing = z.infer<typeof secretPacingSchema>;

/** Limits per secret; the function's is `FunctionConfig.pacingLimits` (`PACING_LIMITS`). */
export class PacingLimitTable {
  constructor(
    private readonly defaults: PacingLimits,
    private readonly bySecret: ReadonlyMap<string, PacingLimits>,
  ) {}

  /** A table of `blocks` by secret name or ARN, each over `defaults`; other secrets get `defaults`. */
  static of(
    defaults: PacingLimits,
    blocks: Readonly<Record<string, SecretPacing>> = {},
  ): PacingLimitTable {
    const bySecret = new Map<string, PacingLimits>();
    for (const [secret, block] of Object.entries(blocks)) {
      bySecret.set(secretNameOf(secret), {
        ...defaults,
        perMinute: block.requestsPerMinute ?? defaults.perMinute,
        perHour: block.requestsPerHour ?? defaults.perHour,
        maxConcurrency: block.maxConcurrency ?? defaults.maxConcurrency,
      });
    }
    return new PacingLimitTable(defaults, bySecret);
  }

  /** The limits of the token in `secretId` (name or ARN). */
  limitsFor(secretId: string): PacingLimits {
    return this.bySecret.get(secretNameOf(secretId)) ?? this.defaults;
  }
}
