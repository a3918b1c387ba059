import { delaySecondsUntil, MAX_SQS_VISIBILITY_SECONDS } from "../outcome/retry-delay.js";
import type { LedgerState, PacingLedger } from "./pacing-ledger.js";
import type { PacingLimits, PacingLimitTable } from "./pacing-limits.js";
import { type AdmissionDecision, bookPlaces, planAdmission } from "./plan-admission.js";
import { type PrimaryRateLimit, primarySlowdown } from "./primary-rate-limit.js";
import { tokenIdentity } from "./token-identity.js";

/** Whether a dispatch may start now. */
export type PacingDecision =
  | {
      readonly kind: "go";
      /** Wait this long before dispatching (at most the alignment: the start has not quite come), ms. */
      readonly alignMs: number;
      /** True when the token's ledger admitted the start (false: pacing is off). */
      readonly paced: boolean;
    }
  | {
      readonly kind: "wait";
      /** When the job should come back, epoch ms (its place in the token's line). */
      readonly untilMs: number;
      /**
       * Seconds to hold the message back: whole seconds, rounded down so it comes back at most a
       * second early (that remainder is waited in-process), at least 1, at most 12 hours.
       */
      readonly delaySeconds: number;
    };

/** Paces dispatches per token; {@link DispatchPacer}, or {@link ALWAYS_ADMIT} when pacing is off. */
export interface Pacer {
  /** Whether a job using `secretId`, told to come back at `notBefore`, may dispatch now. */
  admit(secretId: string, notBefore?: number): Promise<PacingDecision>;
  /** A wait until `notBefore` while it is more than the alignment ahead; undefined otherwise. */
  waitForHint(notBefore: number | undefined): PacingDecision | undefined;
  /** Books `count` places in the token's line; empty when nothing is booked. */
  book(secretId: string, count: number): Promise<number[]>;
  /** Nothing using the token starts before `untilMs` (GitHub's `retry-after`). */
  blockUntil(secretId: string, untilMs: number): Promise<void>;
  /** Slows the token down when its primary budget runs low. */
  observePrimary(secretId: string, rateLimit: PrimaryRateLimit): Promise<void>;
}

/** Pacing off: every job may start now, nothing is booked or recorded. */
export const ALWAYS_ADMIT: Pacer = {
  admit: async () => ({ kind: "go", alignMs: 0, paced: false }),
  waitForHint: () => undefined,
  book: async () => [],
  blockUntil: async () => undefined,
  observePrimary: async () => undefined,
};

/** Options of {@link DispatchPacer}. */
export interface DispatchPacerOptions {
  readonly ledger: PacingLedger;
  readonly limits: PacingLimitTable;
  /** Clock, epoch ms; a benchmark passes a scaled one. @default Date.now */
  readonly now?: () => number;
  /**
   * A start at most this far ahead is waited for in-process rather than through the queue, whose
   * delays have one-second steps (and whose messages come back a little late now and then), ms.
   * @default 2000
   */
  readonly alignMs?: number;
}

interface Waiter {
  readonly inLine: boolean;
  resolve(decision: AdmissionDecision): void;
  reject(error: unknown): void;
}

/**
 * Paces dispatches that share a token across every function instance, through the token's ledger
 * in DynamoDB. A job starts when the limits allow it within a second, and its start is recorded, so
 * the limits hold for what really started; otherwise it is given a place in the token's line (a time
 * to come back at, one spacing after the last) and its message is deferred until then: the function
 * does not sleep. A job that comes back late simply starts if the limits allow. Requests of one
 * container are decided together in one ledger write.
 */
export class DispatchPacer implements Pacer {
  private readonly now: () => number;
  private readonly align: number;
  private readonly queues = new Map<string, { waiters: Waiter[]; running: boolean }>();
  /** The last ledger state this container read or wrote, per token: the first guess of the next write. */
  private readonly known = new Map<string, LedgerState>();

  constructor(private readonly options: DispatchPacerOptions) {
    this.now = options.now ?? Date.now;
    this.align = options.alignMs ?? 2000;
  }

  /**
   * Decides whether a job using the token in `secretId` may dispatch now. `notBefore` (epoch ms) is
   * the time the job's message was told to come back at (a deferral, or a fan-out's booking): until
   * then it waits without touching the ledger; after it, the job is in line and does not queue again
   * behind newcomers.
   */
  async admit(secretId: string, notBefore?: number): Promise<PacingDecision> {
    const early = this.waitForHint(notBefore);
    if (early !== undefined) return early;
    const token = tokenIdentity(secretId);
    const decision = await this.decide(
      token,
      this.options.limits.limitsFor(secretId),
      notBefore !== undefined,
    );
    const now = this.now();
    return decision.kind === "go"
      ? { kind: "go", alignMs: Math.max(0, decision.at - now), paced: true }
      : this.wait(decision.until, now);
  }

  /** A wait until `notBefore` while it is more than the alignment ahead; undefined otherwise. */
  waitForHint(notBefore: number | undefined): PacingDecision | undefined {
    const now = this.now();
    return notBefore !== undefined && notBefore > now + this.align
      ? this.wait(notBefore, now)
      : undefined;
  }

  /**
   * Books `count` places at the end of the token's line (one ledger write) and returns their times:
   * a fan-out queues its targets to arrive about then, so they neither crowd nor lose their turn.
   */
  async book(secretId: string, count: number): Promise<number[]> {
    const token = tokenIdentity(secretId);
    const limits = this.options.limits.limitsFor(secretId);
    const { result, state } = await this.options.ledger.update(
      token,
      (current) => {
        const booked = bookPlaces(current, this.now(), limits, count);
        return { state: booked.state, result: booked.times };
      },
      this.known.get(token),
    );
    this.known.set(token, state);
    return result;
  }

  /**
   * GitHub pushed the token back (`retry-after`, `x-ratelimit-reset`): nothing starts before
   * `untilMs`; jobs that come back earlier take a new place in line.
   */
  async blockUntil(secretId: string, untilMs: number): Promise<void> {
    const token = tokenIdentity(secretId);
    const { state } = await this.options.ledger.update(
      token,
      (current) =>
        untilMs <= current.blockedUntil + 1000
          ? { result: undefined }
          : { state: { ...current, blockedUntil: untilMs }, result: undefined },
      this.known.get(token),
    );
    this.known.set(token, state);
  }

  /** Slows the token down when its primary budget (`x-ratelimit-remaining`) runs low. */
  async observePrimary(secretId: string, rateLimit: PrimaryRateLimit): Promise<void> {
    const slowdown = primarySlowdown(rateLimit, this.now());
    if (slowdown === undefined) return;
    if (slowdown.kind === "block") {
      await this.blockUntil(secretId, slowdown.untilMs);
      return;
    }
    const token = tokenIdentity(secretId);
    const { state } = await this.options.ledger.update(
      token,
      (current) =>
        current.primarySpacingUntil >= slowdown.untilMs &&
        current.primarySpacingMs >= slowdown.spacingMs * 0.9
          ? { result: undefined }
          : {
              state: {
                ...current,
                primarySpacingMs: slowdown.spacingMs,
                primarySpacingUntil: slowdown.untilMs,
              },
              result: undefined,
            },
      this.known.get(token),
    );
    this.known.set(token, state);
  }

  private wait(untilMs: number, now: number): PacingDecision {
    const delaySeconds = delaySecondsUntil(untilMs, now, {
      min: 1,
      max: MAX_SQS_VISIBILITY_SECONDS,
    });
    return { kind: "wait", untilMs, delaySeconds };
  }

  /** Queues a request; requests that pile up during one ledger write are decided by the next write. */
  private decide(token: string, limits: PacingLimits, inLine: boolean): Promise<AdmissionDecision> {
    return new Promise((resolve, reject) => {
      const queue = this.queues.get(token) ?? { waiters: [], running: false };
      this.queues.set(token, queue);
      queue.waiters.push({ inLine, resolve, reject });
      if (!queue.running) void this.flush(token, limits, queue);
    });
  }

  private async flush(
    token: string,
    limits: PacingLimits,
    queue: { waiters: Waiter[]; running: boolean },
  ): Promise<void> {
    queue.running = true;
    while (queue.waiters.length > 0) {
      const batch = queue.waiters.splice(0, queue.waiters.length);
      try {
        const { result, state } = await this.options.ledger.update(
          token,
          (current) => {
            const plan = planAdmission(current, this.now(), limits, batch, this.align);
            return { state: plan.state, result: plan.decisions };
          },
          this.known.get(token),
        );
        this.known.set(token, state);
        batch.forEach((waiter, i) => {
          waiter.resolve(result[i] ?? { kind: "wait", until: this.now() + 60_000 });
        });
      } catch (error) {
        this.known.delete(token);
        for (const waiter of batch) waiter.reject(error);
      }
    }
    queue.running = false;
    this.queues.delete(token);
  }
}
