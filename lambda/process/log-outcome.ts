import type { Logger } from "@aws-lambda-powertools/logger";
import { FailureClass, InvalidJobError } from "../errors.js";
import { isFanOutJob } from "../job/dispatch-job.js";
import { redactSecrets } from "../observability/redact-secrets.js";
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

/** Writes one structured line for a job's outcome: never a token, never a raw error object. */
export function logOutcome(
  logger: Logger,
  outcome: DispatchOutcome,
  delivery: DeliveryContext,
  latencyMs: number,
): void {
  // Object.assign onto fresh objects, not `{ ...a, b }`: Node 20's V8 takes a slow path for a
  // spread followed by more properties, microseconds on every dispatch. Same keys, same order.
  const common = Object.assign(jobFields(outcome.job), {
    outcome: outcome.kind,
    attempt: delivery.attempt,
    source: delivery.source,
    idempotency_key: outcome.idempotencyKey,
    latency_ms: latencyMs,
  });
  if (outcome.kind === "dispatched") {
    const [result] = outcome.results;
    logger.info(
      "workflow dispatched",
      Object.assign(common, {
        status: result?.status,
        workflow_run_id: result?.runId,
        run_url: result?.runUrl,
        html_url: result?.htmlUrl,
        github_request_id: result?.requestId,
      }),
    );
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
    failure_class: outcome.kind === "retry" ? outcome.failure.failureClass : FailureClass.Permanent,
    reason: redactSecrets(failure.message),
    error_name: failure.name,
    ...(failure instanceof InvalidJobError ? { field: failure.field } : { status: failure.status }),
    ...(outcome.kind === "retry" ? { ambiguous: outcome.failure.ambiguous } : {}),
  };
  if (outcome.kind === "retry") logger.warn("dispatch failed; retrying later", fields);
  else logger.error("dispatch failed permanently; parking the job", fields);
}
