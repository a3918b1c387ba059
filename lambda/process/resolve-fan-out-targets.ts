import { classifyListingFailure } from "../fan-out/classify-listing-failure.js";
import { type FanOutTarget, toFanOutTarget } from "../fan-out/expand-fan-out-job.js";
import { describeRequestFailure } from "../github/describe-request-failure.js";
import {
  listTargetRepositories,
  type ResolvedSelection,
} from "../github/list-target-repositories.js";
import type { FanOutDispatchJob } from "../job/dispatch-job.js";
import type { DispatchContext } from "./dispatch-context.js";

/**
 * The targets of a fan-out job: its explicit list, or the repositories its selection names, listed
 * with the job's token when it fires. A listing failure is thrown classified (retryable or permanent).
 */
export async function resolveFanOutTargets(
  ctx: DispatchContext,
  job: FanOutDispatchJob,
  secretId: string,
  concurrency: number | undefined,
): Promise<{ targets: FanOutTarget[]; selection?: ResolvedSelection }> {
  if (Array.isArray(job.targets)) return { targets: job.targets.map(toFanOutTarget) };
  const token = await ctx.tokens.token(secretId);
  try {
    const selection = await listTargetRepositories(ctx.github.octokit, job.targets, {
      token,
      workflowId: job.workflow_id,
      concurrency,
    });
    return { targets: selection.repositories.map((repository) => ({ repository })), selection };
  } catch (error) {
    throw classifyListingFailure(
      describeRequestFailure(error),
      job.targets,
      secretId,
      ctx.clock.now(),
    );
  }
}
