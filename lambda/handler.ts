import type { Context, SQSBatchResponse } from "aws-lambda";
import { isSqsEvent } from "./events/detect-event-shape.js";
import { invocationDeadline } from "./outcome/invocation-deadline.js";
import {
  type ContextDependencies,
  createDispatchContext,
  type DispatchContext,
} from "./process/dispatch-context.js";
import { type DirectResult, processDirect } from "./process/process-direct.js";
import { processSqsBatch } from "./process/process-sqs-batch.js";

/** What the function returns: a partial batch response for SQS, the job's outcome otherwise. */
export type HandlerResult = SQSBatchResponse | DirectResult;

/** The Lambda handler's signature. */
export type DispatchHandler = (event: unknown, context?: Context) => Promise<HandlerResult>;

/**
 * Builds a handler that creates its {@link DispatchContext} from `env` on the first invocation and
 * keeps it for the container (a bad environment fails the invocation, naming every bad variable, not
 * the import). Each invocation gets a deadline from `context.getRemainingTimeInMillis()` less a
 * safety margin: no dispatch starts near it and none runs past it, so the function answers before
 * Lambda's timeout.
 */
export function createHandler(
  env: NodeJS.ProcessEnv = process.env,
  deps: ContextDependencies = {},
): DispatchHandler {
  let ctx: DispatchContext | undefined;
  return async (event, context) => {
    const deadline = invocationDeadline(performance.now(), context?.getRemainingTimeInMillis?.());
    ctx ??= createDispatchContext(env, deps);
    try {
      return isSqsEvent(event)
        ? await processSqsBatch(ctx, event.Records, context, deadline)
        : await processDirect(ctx, event, context, deadline);
    } finally {
      ctx.telemetry.flush();
    }
  };
}

/** The Lambda entry point: SQS batches, Scheduler direct invokes and EventBridge events. */
export const handler: DispatchHandler = createHandler();
