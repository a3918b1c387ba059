import type { Logger } from "@aws-lambda-powertools/logger";
import { isFanOutJob } from "../job/dispatch-job.js";
import { redactSecrets } from "../observability/redact-secrets.js";
import { MetricName } from "../observability/telemetry.js";
import { InvalidJobError } from "../outcome/errors.js";
import type { DispatchContext } from "./dispatch-context.js";
import type { DeliveryContext, DispatchOutcome } from "./types.js";

/** The log fields naming a job: repository, workflow and ref. */
export function jobFields(job: DispatchOutcome["job"]): Record<string, unknown> {
  if (job === undefined) return {};
  return {
    repository: isFanOutJob(job) ? "(fan-out)" : `${job.owner}/${job.repo}`,
    workflow: job.workflow_id,
    ref: job.ref,
  };
}

/** Name, message and status of an error: the only parts of an error that may be logged. */
export function safeErrorFields(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { error_message: redactSecrets(String(error)) };
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return {
    error_name: error.name,
    error_message: redactSecrets(error.message),
    ...(status === undefined ? {} : { status }),
  };
}

/** Writes one structured line for a job's outcome: never a token, never a raw error object. */
export function logOutcome(
  logger: Logger,
  outcome: DispatchOutcome,
  delivery: DeliveryContext,
  latencyMs: number,
): void {
  const common = {
    ...jobFields(outcome.job),
    outcome: outcome.kind,
    attempt: delivery.attempt,
    source: delivery.source,
    idempotency_key: outcome.idempotencyKey,
    latency_ms: latencyMs,
  };
  if (outcome.kind === "dispatched") {
    const [result] = outcome.results;
    logger.info("workflow dispatched", {
      ...common,
      status: result?.status,
      workflow_run_id: result?.runId,
      run_url: result?.runUrl,
      html_url: result?.htmlUrl,
      github_request_id: result?.requestId,
    });
    return;
  }
  if (outcome.kind === "queued") {
    logger.info("job handed to the dispatch queue", {
      ...common,
      jobs: outcome.count,
      reason: outcome.reason,
      not_before:
        outcome.untilMs === undefined ? undefined : new Date(outcome.untilMs).toISOString(),
    });
    return;
  }
  const failure = outcome.failure;
  const fields = {
    ...common,
    failure_class: failure.failureClass,
    reason: redactSecrets(failure.message),
    error_name: failure.name,
    ...(failure instanceof InvalidJobError ? { field: failure.field } : { status: failure.status }),
    ...(outcome.kind === "retry" ? { ambiguous: outcome.failure.ambiguous } : {}),
  };
  if (outcome.kind === "retry") logger.warn("dispatch failed; retrying later", fields);
  else logger.error("dispatch failed permanently; parking the job", fields);
}

/**
 * Records what became of one single job: the metrics (`Dispatched`, latency and schedule lag, or
 * `DispatchFailed` by class) and one log line.
 */
export function recordOutcome(
  ctx: DispatchContext,
  outcome: DispatchOutcome,
  delivery: DeliveryContext,
  latencyMs: number,
): void {
  const { telemetry } = ctx;
  if (outcome.kind === "dispatched") {
    telemetry.count(MetricName.Dispatched);
    telemetry.latency(latencyMs);
    const scheduled = Date.parse(outcome.job.scheduler?.scheduled_time ?? "");
    if (!Number.isNaN(scheduled)) {
      telemetry.scheduleLag(Math.max(0, (ctx.clock.now() - scheduled) / 1000));
    }
  } else if (outcome.kind !== "queued") {
    telemetry.failed(outcome.failure.failureClass);
  }
  logOutcome(telemetry.logger, outcome, delivery, latencyMs);
}
