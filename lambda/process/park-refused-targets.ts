import pLimit from "p-limit";
import type { FanOutExpansion } from "../fan-out/expand-fan-out-job.js";
import type { FanOutDispatchJob } from "../job/dispatch-job.js";
import { FailureClass } from "../outcome/errors.js";
import type { DispatchContext } from "./dispatch-context.js";
import type { DeliveryContext } from "./types.js";

/**
 * Parks each refused target of an expansion in the dead-letter queue with its reason
 * (`error_name` = `FanOutTargetRefused`), the single job it would have been as the body.
 */
export async function parkRefusedTargets(
  ctx: DispatchContext,
  expansion: FanOutExpansion,
  job: FanOutDispatchJob,
  delivery: DeliveryContext,
): Promise<void> {
  const limit = pLimit(4);
  await Promise.all(
    expansion.refused.map((target) =>
      limit(() =>
        ctx.queue.parkInDeadLetterQueue(
          JSON.stringify(target.job ?? { ...job, targets: [target.repository] }),
          {
            reason: target.reason,
            failureClass: FailureClass.Permanent,
            errorName: "FanOutTargetRefused",
            status: 0,
            source: delivery.source,
            repository: target.repository,
            workflowId: job.workflow_id,
            attempts: delivery.attempt,
            failedAt: new Date(ctx.clock.now()),
          },
        ),
      ),
    ),
  );
}
