import { createHash } from "node:crypto";

/** GitHub's secondary limits for content-creating requests, per token. */
export interface SecondaryRateLimitOptions {
  /** @default 80 */
  perMinute?: number;
  /** @default 500 */
  perHour?: number;
  /** Requests of one token in flight at once. @default 100 */
  concurrent?: number;
  /** Time source, epoch ms; a scaled clock plays an hour in seconds. @default Date.now */
  clock?: () => number;
  /** Status of a rejection; GitHub sends 403 or 429. @default 429 */
  status?: 403 | 429;
}

/** Which limit a request hit. */
type SecondaryLimit = "minute" | "hour" | "concurrent";

/** A rejected request, as the enforcer saw it. */
export interface Rejection {
  /** Clock time of the request, epoch ms. */
  at: number;
  limit: SecondaryLimit;
  retryAfterSeconds: number;
}

/** The answer the stand-in sends for a rejected request. */
interface RejectionAnswer {
  status: number;
  headers: Record<string, string>;
  body: Record<string, string>;
}

/** The verdict on one request: go ahead (call `release` once answered) or reject with `answer`. */
export type EnforcerVerdict =
  | { readonly admitted: true; release(): void }
  | { readonly admitted: false; readonly answer: RejectionAnswer };

const MINUTE = 60_000;
const HOUR = 3_600_000;

/**
 * GitHub's secondary rate limits for the stand-in: per token, at most `perMinute` accepted requests in
 * any sliding minute, `perHour` in any sliding hour (a window is open at its start: a request exactly
 * a minute after another no longer shares its minute) and `concurrent` in flight; anything over is
 * answered like GitHub does, 429 (or 403) with `retry-after` naming when the window frees up. Rejected
 * requests do not count. Keeps the clock times of accepted requests and of rejections for measurement;
 * tokens are kept only as hashes.
 */
export class GitHubRateLimitEnforcer {
  /** Accepted requests (clock time, epoch ms), all tokens, in order. */
  readonly accepted: number[] = [];
  /** Rejected requests, in order. */
  readonly rejections: Rejection[] = [];
  private readonly perToken = new Map<string, { times: number[]; inFlight: number }>();
  private readonly clock: () => number;

  constructor(private readonly options: SecondaryRateLimitOptions = {}) {
    this.clock = options.clock ?? Date.now;
  }

  /** Judges one content-creating request made with `token`. */
  admit(token: string): EnforcerVerdict {
    const now = this.clock();
    const key = createHash("sha256").update(token).digest("hex");
    const state = this.perToken.get(key) ?? { times: [], inFlight: 0 };
    this.perToken.set(key, state);
    const perMinute = this.options.perMinute ?? 80;
    const perHour = this.options.perHour ?? 500;
    while ((state.times[0] ?? now) <= now - HOUR) state.times.shift();
    const inMinute = state.times.filter((t) => t > now - MINUTE);
    let limit: SecondaryLimit | undefined;
    let freeAt = now;
    if (state.inFlight >= (this.options.concurrent ?? 100)) {
      limit = "concurrent";
      freeAt = now + 1000;
    } else if (state.times.length >= perHour) {
      limit = "hour";
      freeAt = (state.times[state.times.length - perHour] ?? now) + HOUR;
    } else if (inMinute.length >= perMinute) {
      limit = "minute";
      freeAt = (inMinute[inMinute.length - perMinute] ?? now) + MINUTE;
    }
    if (limit !== undefined) {
      const retryAfterSeconds = Math.max(1, Math.ceil((freeAt - now) / 1000));
      this.rejections.push({ at: now, limit, retryAfterSeconds });
      const status = this.options.status ?? 429;
      return {
        admitted: false,
        answer: {
          status,
          headers: { "retry-after": String(retryAfterSeconds) },
          body: {
            message:
              "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
            documentation_url:
              "https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits",
            status: String(status),
          },
        },
      };
    }
    state.times.push(now);
    state.inFlight += 1;
    this.accepted.push(now);
    let released = false;
    return {
      admitted: true,
      release: () => {
        if (released) return;
        released = true;
        state.inFlight -= 1;
      },
    };
  }
}
