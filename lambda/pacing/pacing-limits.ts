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

/** Limits per secret, read from the environment; see {@link readPacingLimits}. */
export class PacingLimitTable {
  constructor(
    private readonly defaults: PacingLimits,
    private readonly bySecret: ReadonlyMap<string, PacingLimits>,
  ) {}

  /** The limits of the token in `secretId` (name or ARN). */
  limitsFor(secretId: string): PacingLimits {
    return this.bySecret.get(secretNameOf(secretId)) ?? this.defaults;
  }
}

function whole(env: NodeJS.ProcessEnv, name: string, fallback: number, least: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < least) {
    throw new Error(
      `${name}: "${raw}" is not a whole number of at least ${least}; unset it to use ${fallback}`,
    );
  }
  return n;
}

const FIELDS = {
  requestsPerMinute: "perMinute",
  requestsPerHour: "perHour",
  maxConcurrency: "maxConcurrency",
} as const;
const EXAMPLE = '{"github/ghes-bot": {"requestsPerMinute": 30, "requestsPerHour": 300}}';

function secretLimits(secret: string, value: unknown, defaults: PacingLimits): PacingLimits {
  const where = `PACING_LIMITS["${secret}"]`;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new Error(`${where}: must be an object such as {"requestsPerMinute": 30}`);
  }
  const limits: { -readonly [K in keyof PacingLimits]: PacingLimits[K] } = { ...defaults };
  for (const [field, n] of Object.entries(value)) {
    const target = FIELDS[field as keyof typeof FIELDS];
    if (target === undefined) {
      throw new Error(
        `${where}: unknown field "${field}"; allowed are ${Object.keys(FIELDS).join(", ")}`,
      );
    }
    if (typeof n !== "number" || !Number.isInteger(n) || n <= 0) {
      throw new Error(`${where}.${field}: ${JSON.stringify(n)} is not a positive whole number`);
    }
    limits[target] = n;
  }
  return limits;
}

/**
 * Reads the pacing limits: defaults from `PACING_REQUESTS_PER_MINUTE` (80), `PACING_REQUESTS_PER_HOUR`
 * (500), `PACING_MAX_CONCURRENCY` (100), `PACING_MARGIN_MS` (2000), `PACING_HOUR_MARGIN_MS` (30000)
 * and `GITHUB_REQUEST_TIMEOUT_MS` (10000); per secret from `PACING_LIMITS`, a JSON object of secret name or ARN to the config's
 * `pacing` block (`requestsPerMinute`, `requestsPerHour`, `maxConcurrency`), for tokens whose limits
 * differ (GHES, GitHub Apps). Throws naming the variable and the fix.
 */
export function readPacingLimits(env: NodeJS.ProcessEnv = process.env): PacingLimitTable {
  const d = DEFAULT_PACING_LIMITS;
  const defaults: PacingLimits = {
    perMinute: whole(env, "PACING_REQUESTS_PER_MINUTE", d.perMinute, 1),
    perHour: whole(env, "PACING_REQUESTS_PER_HOUR", d.perHour, 1),
    maxConcurrency: whole(env, "PACING_MAX_CONCURRENCY", d.maxConcurrency, 1),
    requestTimeoutMs: whole(env, "GITHUB_REQUEST_TIMEOUT_MS", d.requestTimeoutMs, 1),
    marginMs: whole(env, "PACING_MARGIN_MS", d.marginMs, 0),
    hourMarginMs: whole(env, "PACING_HOUR_MARGIN_MS", d.hourMarginMs, 0),
  };
  const bySecret = new Map<string, PacingLimits>();
  const raw = env.PACING_LIMITS;
  if (raw !== undefined && raw.trim() !== "") {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      throw new Error(`PACING_LIMITS: not JSON; use e.g. ${EXAMPLE}`);
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      throw new Error(
        `PACING_LIMITS: must be a JSON object of secret id to limits, e.g. ${EXAMPLE}`,
      );
    }
    for (const [secret, value] of Object.entries(parsed)) {
      bySecret.set(secretNameOf(secret), secretLimits(secret, value, defaults));
    }
  }
  return new PacingLimitTable(defaults, bySecret);
}
