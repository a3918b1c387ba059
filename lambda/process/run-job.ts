import { MetricUnit } from "@aws-lambda-powertools/metrics";
import { FanOutMetricName } from "../fan-out/fan-out-metric-name.js";
import { type DispatchResult, dispatchWorkflow } from "../github/dispatch-workflow.js";
import type { SingleDispatchJob } from "../job/dispatch-job.js";
import { type DispatchJob, idempotencyKey, isFanOutJob } from "../job/dispatch-job.js";
import { parseDispatchJob } from "../job/parse-job.js";
import {
  InvalidJobError,
  PermanentDispatchError,
  RateLimitedDispatchError,
  RetryableDispatchError,
} from "../outcome/errors.js";
import {
  dispatchTimeoutMs,
  type InvocationDeadline,
  NO_DEADLINE,
} from "../outcome/invocation-deadline.js";
import { readPrimaryRateLimit } from "../pacing/primary-rate-limit.js";
import { CLAIM_LEASE_MS, ClaimedWork, NO_CLAIMS } from "../state/dispatch-claims.js";
import { deferJob, IN_PROGRESS_WAIT_MS } from "./defer-job.js";
import type { DispatchContext } from "./dispatch-context.js";
import { jobFields, recordOutcome, safeErrorFields } from "./record-outcome.js";
import { runFanOutJob } from "./run-fan-out-job.js";
import type { DeliveryContext, DispatchOutcome } from "./types.js";

const WAITING_FOR_TURN = "waiting for its turn under the token's rate limits";

interface Keyed {
  readonly job: SingleDispatchJob;
  readonly idempotencyKey: string | undefined;
}

function notBeforeOf(value: string | undefined): number | undefined {
  const n = Number(value);
  return value !== undefined && Number.isFinite(n) && n > 0 ? n : undefined;
}

/** What a key may only ever suppress: a job that would make this same dispatch. */
function dispatchOf(job: SingleDispatchJob) {
  return {
    repository: `${job.owner}/${job.repo}`.toLowerCase(),
    workflow_id: String(job.workflow_id),
    ref: job.ref,
    inputs: job.inputs ?? {},
  };
}

/** A classified failure as an outcome; anything else is a bug and is thrown. */
function failedOutcome(keyed: Keyed, error: unknown): DispatchOutcome {
  if (error instanceof RetryableDispatchError) return { kind: "retry", ...keyed, failure: error };
  if (error instanceof PermanentDispatchError) return { kind: "parked", ...keyed, failure: error };
  throw error;
}

/** The dispatch request, with one fresh read of the secret after a 401 (it may have been rotated). */
async function dispatchWithToken(
  ctx: DispatchContext,
  job: SingleDispatchJob,
  token: string,
  secretId: string,
  deadline: InvocationDeadline,
): Promise<DispatchResult> {
  const timeoutMs = () =>
    dispatchTimeoutMs(deadline, performance.now(), ctx.config.requestTimeoutMs);
  try {
    return await dispatchWorkflow(ctx.github, { job, token, secretId, timeoutMs: timeoutMs() });
  } catch (error) {
    if (!(error instanceof PermanentDispatchError) || error.status !== 401) throw error;
  }
  ctx.tokens.invalidate(secretId);
  const fresh = await ctx.tokens.tokenWithin(secretId, deadline);
  return dispatchWorkflow(ctx.github, { job, token: fresh, secretId, timeoutMs: timeoutMs() });
}

/** Feeds GitHub's answer back to pacing: `retry-after` blocks the token, a low budget spreads it. */
async function observeRateLimits(
  ctx: DispatchContext,
  secretId: string,
  outcome: DispatchOutcome,
): Promise<void> {
  try {
    if (outcome.kind === "dispatched") {
      const primary = readPrimaryRateLimit(outcome.results[0]?.rateLimit);
      if (primary) await ctx.pacer.observePrimary(secretId, primary);
    } else if (outcome.kind === "retry" && outcome.failure instanceof RateLimitedDispatchError) {
      ctx.telemetry.metrics.addMetric(FanOutMetricName.TokenBlocked, MetricUnit.Count, 1);
      const after = outcome.failure.retryAfterSeconds ?? 60;
      await ctx.pacer.blockUntil(secretId, ctx.clock.now() + after * 1000);
    }
  } catch (error) {
    ctx.telemetry.logger.warn(
      "could not record GitHub's rate-limit answer for pacing",
      safeErrorFields(error),
    );
  }
}

function stateUnavailable(ctx: DispatchContext, keyed: Keyed, error: unknown): DispatchOutcome {
  const name = error instanceof Error ? error.name : "Error";
  ctx.telemetry.logger.warn("state table unavailable; retrying the job later", {
    ...jobFields(keyed.job),
    idempotency_key: keyed.idempotencyKey,
    ...safeErrorFields(error),
  });
  const failure = new RetryableDispatchError(
    `the state table (duplicate suppression and pacing) could not be reached (${name}); retrying later`,
    { cause: error },
  );
  return { kind: "retry", ...keyed, failure };
}

/**
 * Dispatches one validated single-repository job, top to bottom: its key and token secret, the
 * allowlist, the pacing hint, the claim on its key (a completed key answers with the first run, a
 * key held by a copy defers, a key used for another dispatch parks), the token within the
 * invocation's deadline, the token's pacing turn, the dispatch (one re-read of the secret after a
 * 401), then the claim completed or released. Returns the outcome; never throws a classified failure.
 */
async function runSingleJob(
  ctx: DispatchContext,
  job: SingleDispatchJob,
  delivery: DeliveryContext,
): Promise<DispatchOutcome> {
  const started = performance.now();
  const key = idempotencyKey(job, delivery.identity);
  const secretId = job.token_secret ?? ctx.config.defaultTokenSecret;
  const deadline = delivery.deadline ?? NO_DEADLINE;
  const keyed: Keyed = { job, idempotencyKey: key };
  const recorded = (outcome: DispatchOutcome): DispatchOutcome => {
    recordOutcome(ctx, outcome, delivery, Math.round(performance.now() - started));
    return outcome;
  };

  if (!ctx.config.allowlist.allows(job.owner, job.repo)) {
    const failure = new PermanentDispatchError(ctx.config.allowlist.refusal(job.owner, job.repo));
    return recorded({ kind: "parked", ...keyed, failure });
  }
  const notBefore = notBeforeOf(delivery.attributes?.not_before);
  const hint = ctx.pacer.waitForHint(notBefore);
  if (hint?.kind === "wait")
    return deferJob(ctx, job, key, delivery, hint.untilMs, WAITING_FOR_TURN);

  const claims = key === undefined ? NO_CLAIMS : ctx.claims;
  const claim = await claims.claim<readonly DispatchResult[]>(
    ClaimedWork.Dispatch,
    key ?? "",
    dispatchOf(job),
    CLAIM_LEASE_MS,
  );
  if (claim.kind === "unavailable") return stateUnavailable(ctx, keyed, claim.error);
  if (claim.kind === "collision") {
    const failure = new PermanentDispatchError(
      `idempotency key "${key}" was already used for a different dispatch (another repository, workflow, ref or inputs), so this job is not suppressed as its duplicate; give this job an idempotency_key of its own and redrive it`,
    );
    return recorded({ kind: "parked", ...keyed, failure });
  }
  if (claim.kind === "completed") {
    ctx.telemetry.metrics.addMetric(FanOutMetricName.DuplicatesSuppressed, MetricUnit.Count, 1);
    ctx.telemetry.logger.info("duplicate suppressed: this job was already dispatched", {
      ...jobFields(job),
      outcome: "duplicate",
      idempotency_key: key,
      workflow_run_id: claim.result[0]?.runId,
      source: delivery.source,
    });
    return { kind: "dispatched", ...keyed, results: claim.result };
  }
  if (claim.kind === "in_progress") {
    const until = ctx.clock.now() + IN_PROGRESS_WAIT_MS;
    return deferJob(
      ctx,
      job,
      key,
      delivery,
      until,
      "a copy of this job is being dispatched right now",
    );
  }

  let token: string;
  try {
    token = await ctx.tokens.tokenWithin(secretId, deadline);
  } catch (error) {
    await claim.release();
    return recorded(failedOutcome(keyed, error));
  }
  let turn: Awaited<ReturnType<DispatchContext["pacer"]["admit"]>>;
  try {
    turn = await ctx.pacer.admit(secretId, notBefore);
  } catch (error) {
    await claim.release();
    return stateUnavailable(ctx, keyed, error);
  }
  if (turn.kind === "wait") {
    await claim.release();
    return deferJob(ctx, job, key, delivery, turn.untilMs, WAITING_FOR_TURN);
  }
  // The start is less than a second ahead: queue delays come in whole seconds, so wait here.
  if (turn.alignMs > 0) await ctx.clock.sleep(turn.alignMs);
  if (turn.paced) {
    const since = notBeforeOf(delivery.attributes?.paced_since);
    const waited = since === undefined ? 0 : Math.max(0, ctx.clock.now() - since);
    ctx.telemetry.metrics.addMetric(
      FanOutMetricName.PacingDelay,
      MetricUnit.Seconds,
      waited / 1000,
    );
  }

  let outcome: DispatchOutcome;
  try {
    const result = await dispatchWithToken(ctx, job, token, secretId, deadline);
    outcome = { kind: "dispatched", ...keyed, results: [result] };
  } catch (error) {
    outcome = failedOutcome(keyed, error);
  }
  await observeRateLimits(ctx, secretId, outcome);
  if (outcome.kind !== "dispatched") await claim.release();
  else if (!(await claim.complete(outcome.results))) {
    ctx.telemetry.logger.warn("dispatched, but the idempotency record could not be saved", {
      ...jobFields(job),
      idempotency_key: key,
    });
  }
  return recorded(outcome);
}

/**
 * Validates an unvalidated job and runs it: a single job through {@link runSingleJob}, a fan-out job
 * through {@link runFanOutJob}. A job that does not validate is parked.
 */
export async function runJob(
  ctx: DispatchContext,
  rawJob: unknown,
  delivery: DeliveryContext,
): Promise<DispatchOutcome> {
  let job: DispatchJob;
  try {
    job = parseDispatchJob(rawJob, { maxInputs: ctx.config.maxInputs });
  } catch (error) {
    if (!(error instanceof InvalidJobError)) throw error;
    return invalidJobOutcome(ctx, error, delivery);
  }
  // Scheduler context is trusted only where the function itself (or Scheduler) put it.
  if (delivery.identity.fromProducer && job.scheduler !== undefined) {
    const { scheduler: _untrusted, ...rest } = job;
    job = rest;
  }
  return isFanOutJob(job) ? runFanOutJob(ctx, job, delivery) : runSingleJob(ctx, job, delivery);
}

/** The outcome of a job that never validated (or an event that carried none): parked, with metrics and a log line. */
export function invalidJobOutcome(
  ctx: DispatchContext,
  error: InvalidJobError,
  delivery: DeliveryContext,
): DispatchOutcome {
  const outcome: DispatchOutcome = {
    kind: "parked",
    job: undefined,
    idempotencyKey: delivery.identity.sqsMessageId ?? delivery.identity.eventBridgeEventId,
    failure: error,
  };
  recordOutcome(ctx, outcome, delivery, 0);
  return outcome;
}
