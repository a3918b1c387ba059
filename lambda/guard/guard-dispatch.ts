import { MetricUnit } from "@aws-lambda-powertools/metrics";
import type { MetricUnit as MetricUnitValue } from "@aws-lambda-powertools/metrics/types";
import type { Dispatcher } from "../create-dispatcher.js";
import { FailureClass, RetryableDispatchError } from "../errors.js";
import { FanOutMetricName } from "../fan-out/fan-out-metric-name.js";
import type { DispatchResult } from "../github/dispatch-workflow.js";
import { type DispatchIdempotency, GuardedWork } from "../idempotency/dispatch-idempotency.js";
import { idempotencyKey } from "../job/idempotency-key.js";
import type { DispatchPacer } from "../pacing/dispatch-pacer.js";
import { readPrimaryRateLimit } from "../pacing/primary-rate-limit.js";
import { jobFields } from "../process/log-outcome.js";
import { safeErrorFields } from "../process/park-job.js";
import type { DispatchGuard, DispatchOutcome } from "../process/types.js";
import { deferJob } from "./defer-job.js";

/** What the guard uses; each part is optional, so either feature can be switched off. */
export interface GuardParts {
  /** Suppresses duplicates by idempotency key. @default none: no duplicate suppression */
  readonly idempotency?: DispatchIdempotency;
  /** Paces dispatches per token. @default none: no pacing */
  readonly pacer?: DispatchPacer;
  /** How long a copy waits while another copy of the same job is in progress, ms. @default 30000 */
  readonly inProgressWaitMs?: number;
}

/** Carries a non-dispatched outcome out of the guarded work, so its key is released for the retry. */
class OutcomeHandedBack extends Error {
  constructor(readonly outcome: DispatchOutcome) {
    super(outcome.kind);
  }
}

/** The job's turn is ahead: it goes back to the queue until then. */
class SlotAhead extends Error {
  constructor(readonly untilMs: number) {
    super("slot ahead");
  }
}

function notBeforeOf(value: string | undefined): number | undefined {
  const n = Number(value);
  return value !== undefined && Number.isFinite(n) && n > 0 ? n : undefined;
}

/**
 * The single-job guard: a job runs at most once per idempotency key within the window (a later copy
 * gets the first one's run, a concurrent copy waits and comes back), and only in its token's pacing
 * slot (a job whose slot is a second or more ahead is deferred through the queue; only the last
 * fraction of a second is waited in-process, as queue delays come in whole seconds). GitHub's
 * answers feed pacing back: `retry-after` blocks the token, a low `x-ratelimit-remaining` spreads it.
 * When the state table cannot be reached the job is retried later, never dispatched unguarded.
 */
export function createDispatchGuard(d: Dispatcher, parts: GuardParts): DispatchGuard {
  const metric = (
    name: FanOutMetricName,
    value: number,
    unit: MetricUnitValue = MetricUnit.Count,
  ) => d.telemetry.metrics.addMetric(name, unit, value);

  const observe = async (secretId: string, outcome: DispatchOutcome): Promise<void> => {
    const { pacer } = parts;
    if (!pacer) return;
    try {
      if (outcome.kind === "dispatched") {
        const primary = readPrimaryRateLimit(outcome.results[0]?.rateLimit);
        if (primary) await pacer.observePrimary(secretId, primary);
      } else if (
        outcome.kind === "retry" &&
        outcome.failure.failureClass === FailureClass.RateLimited
      ) {
        metric(FanOutMetricName.TokenBlocked, 1);
        await pacer.blockUntil(
          secretId,
          d.now() + (outcome.failure.retryAfterSeconds ?? 60) * 1000,
        );
      }
    } catch (error) {
      d.telemetry.logger.warn(
        "could not record GitHub's rate-limit answer for pacing",
        safeErrorFields(error),
      );
    }
  };

  if (!parts.idempotency && !parts.pacer) return (_job, _delivery, dispatch) => dispatch();
  return async (job, delivery, dispatch) => {
    const key = idempotencyKey(job, delivery.identity);
    if (key === undefined || !d.config.allowlist.allows(job.owner, job.repo)) return dispatch();
    const secretId = job.token_secret ?? d.config.defaultTokenSecret;
    const waiting = "waiting for its turn under the token's rate limits";
    const notBefore = notBeforeOf(delivery.attributes?.not_before);
    const hint = parts.pacer?.waitForHint(notBefore);
    if (hint?.kind === "wait") return deferJob(d, job, key, delivery, hint.untilMs, waiting);

    let dispatching = false;
    const work = async (): Promise<DispatchResult[]> => {
      // With the token at hand, the request reaches GitHub right after the start pacing records;
      // a token that cannot be had fails the dispatch below, classified, without taking a start.
      const tokenReady =
        parts.pacer !== undefined &&
        (await d.tokens.token(secretId).then(
          () => true,
          () => false,
        ));
      if (parts.pacer && tokenReady) {
        const decision = await parts.pacer.admit(secretId, notBefore);
        if (decision.kind === "wait") throw new SlotAhead(decision.untilMs);
        // The start is less than a second ahead: queue delays come in whole seconds, so wait here.
        if (decision.alignMs > 0) await d.sleep(decision.alignMs);
        const since = notBeforeOf(delivery.attributes?.paced_since);
        const waited = since === undefined ? 0 : Math.max(0, d.now() - since);
        metric(FanOutMetricName.PacingDelay, waited / 1000, MetricUnit.Seconds);
      }
      dispatching = true;
      const outcome = await dispatch();
      await observe(secretId, outcome);
      if (outcome.kind === "dispatched") return [...outcome.results];
      throw new OutcomeHandedBack(outcome);
    };
    const dispatched = (results: readonly DispatchResult[]): DispatchOutcome => ({
      kind: "dispatched",
      job,
      idempotencyKey: key,
      results,
    });

    try {
      if (!parts.idempotency) return dispatched(await work());
      const once = await parts.idempotency.once(GuardedWork.Dispatch, key, work);
      if (once.kind === "first") {
        if (!once.recorded) {
          d.telemetry.logger.warn("dispatched, but the idempotency record could not be saved", {
            ...jobFields(job),
            idempotency_key: key,
          });
        }
        return dispatched(once.value);
      }
      if (once.state === "completed") {
        metric(FanOutMetricName.DuplicatesSuppressed, 1);
        d.telemetry.logger.info("duplicate suppressed: this job was already dispatched", {
          ...jobFields(job),
          outcome: "duplicate",
          idempotency_key: key,
          workflow_run_id: once.value[0]?.runId,
          source: delivery.source,
        });
        return dispatched(once.value);
      }
      const wait = parts.inProgressWaitMs ?? 30_000;
      return deferJob(
        d,
        job,
        key,
        delivery,
        d.now() + wait,
        "a copy of this job is being dispatched right now",
      );
    } catch (error) {
      if (error instanceof OutcomeHandedBack) return error.outcome;
      if (error instanceof SlotAhead)
        return deferJob(d, job, key, delivery, error.untilMs, waiting);
      if (dispatching) throw error;
      const name = error instanceof Error ? error.name : "Error";
      const failure = new RetryableDispatchError(
        `the state table (duplicate suppression and pacing) could not be reached (${name}); retrying later`,
        { cause: error },
      );
      d.telemetry.logger.warn("state table unavailable; retrying the job later", {
        ...jobFields(job),
        idempotency_key: key,
        ...safeErrorFields(error),
      });
      return { kind: "retry", job, idempotencyKey: key, failure };
    }
  };
}
