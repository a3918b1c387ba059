import type { Context, SQSBatchResponse } from "aws-lambda";
import {
  createDispatcher,
  type Dispatcher,
  type DispatcherDependencies,
} from "./create-dispatcher.js";
import { isSqsEvent } from "./events/detect-event-shape.js";
import { fanOutDependencies } from "./fan-out/fan-out-dependencies.js";
import { invocationDeadline } from "./process/invocation-deadline.js";
import { type DirectResult, processDirect } from "./process/process-direct.js";
import { processSqsBatch } from "./process/process-sqs-batch.js";

/** What the function returns: a partial batch response for SQS, the job's outcome otherwise. */
export type HandlerResult = SQSBatchResponse | DirectResult;

/** The Lambda handler's signature. */
export type DispatchHandler = (event: unknown, context?: Context) => Promise<HandlerResult>;

/**
 * Builds a handler that creates its {@link Dispatcher} from `env` on the first invocation and keeps
 * it for the container. Tests call this after pointing the environment at the stand-ins. Each
 * invocation gets a deadline from `context.getRemainingTimeInMillis()` less a safety margin: no
 * dispatch starts near it and none runs past it, so the function answers before Lambda's timeout.
 */
export function createHandler(
  env: NodeJS.ProcessEnv = process.env,
  deps: DispatcherDependencies = {},
): DispatchHandler {
  let dispatcher: Dispatcher | undefined;
  return async (event, context) => {
    const deadline = invocationDeadline(performance.now(), context?.getRemainingTimeInMillis?.());
    dispatcher ??= createDispatcher(env, { ...fanOutDependencies(), ...deps });
    const d = dispatcher;
    try {
      return isSqsEvent(event)
        ? await processSqsBatch(d, event.Records, context, deadline)
        : await processDirect(d, event, context, deadline);
    } finally {
      d.telemetry.flush();
    }
  };
}

/** The Lambda entry point: SQS batches, Scheduler direct invokes and EventBridge events. */
export const handler: DispatchHandler = createHandler();
