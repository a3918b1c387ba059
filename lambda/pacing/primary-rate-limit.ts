/** GitHub's primary rate-limit headers of one answer (`x-ratelimit-*`). */
export interface PrimaryRateLimit {
  readonly limit: number;
  readonly remaining: number;
  /** When the window resets, epoch ms. */
  readonly resetAt: number;
}

/** How pacing should slow down for the primary limit. */
export type PrimarySlowdown =
  | { readonly kind: "block"; readonly untilMs: number }
  | { readonly kind: "spread"; readonly spacingMs: number; readonly untilMs: number };

/** Fraction of the primary budget left at which dispatches start to spread out. @default 0.1 */
const PRIMARY_LOW_WATERMARK = 0.1;

/** Reads `x-ratelimit-limit`, `-remaining` and `-reset` (epoch seconds); undefined when any is missing. */
export function readPrimaryRateLimit(
  headers: Readonly<Record<string, string | undefined>> | undefined,
): PrimaryRateLimit | undefined {
  const limit = Number(headers?.["x-ratelimit-limit"]);
  const remaining = Number(headers?.["x-ratelimit-remaining"]);
  const reset = Number(headers?.["x-ratelimit-reset"]);
  const resource = headers?.["x-ratelimit-resource"];
  if (resource !== undefined && resource !== "core") return undefined;
  if (
    ![limit, remaining, reset].every(Number.isFinite) ||
    headers?.["x-ratelimit-limit"] === undefined
  ) {
    return undefined;
  }
  return { limit, remaining, resetAt: reset * 1000 };
}

/**
 * Slows dispatch before the primary limit is hit. Pure. With nothing left, nothing may start before
 * the reset; with at most `lowWatermark` of the budget left, what remains is spread evenly until the
 * reset; otherwise undefined (no slowdown).
 */
export function primarySlowdown(
  rateLimit: PrimaryRateLimit,
  now: number,
  lowWatermark = PRIMARY_LOW_WATERMARK,
): PrimarySlowdown | undefined {
  if (rateLimit.resetAt <= now) return undefined;
  if (rateLimit.remaining <= 0) return { kind: "block", untilMs: rateLimit.resetAt };
  if (rateLimit.remaining > rateLimit.limit * lowWatermark) return undefined;
  return {
    kind: "spread",
    spacingMs: Math.ceil((rateLimit.resetAt - now) / rateLimit.remaining),
    untilMs: rateLimit.resetAt,
  };
}
