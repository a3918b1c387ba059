import { createHash } from "node:crypto";
import {
  type ExplicitTarget,
  type FanOutDispatchJob,
  isFanOutJob,
  type SingleDispatchJob,
} from "../job/dispatch-job.js";
import { checkDispatchJob } from "../job/parse-job.js";
import type { RepositoryAllowlist } from "../job/repository-allowlist.js";

/** One target as expansion sees it: `owner/repo` with optional overrides. */
export interface FanOutTarget {
  readonly repository: string;
  readonly ref?: string;
  readonly inputs?: Readonly<Record<string, string | number | boolean>>;
}

/** A target that was not turned into a job, and why. */
interface RefusedTarget {
  readonly repository: string;
  readonly reason: string;
  /** The job it would have been, when one could be built (parked with the reason). */
  readonly job?: SingleDispatchJob;
}

/** The single jobs of one fan-out, the targets refused, and targets listed more than once. */
export interface FanOutExpansion {
  readonly jobs: SingleDispatchJob[];
  readonly refused: RefusedTarget[];
  /** Repeats of a target already expanded (dispatched once, with the first entry). */
  readonly repeated: RefusedTarget[];
}

/** What expansion needs besides the job. */
export interface ExpansionContext {
  /** The key of the firing (job key, Scheduler `schedule_arn#scheduled_time`, or message id). */
  readonly firingKey: string;
  readonly allowlist: RepositoryAllowlist;
  /** @default 25 */
  readonly maxInputs?: number;
}

/** Longest idempotency key the job schema accepts. */
const MAX_KEY_LENGTH = 512;

/** A target given as `"owner/repo"` or as an object, in one shape. */
export function toFanOutTarget(target: ExplicitTarget | string): FanOutTarget {
  return typeof target === "string" ? { repository: target } : target;
}

/**
 * The idempotency key of one target of a firing: `<firing key>#<owner/repo>` (lower-case, as GitHub
 * names are case-insensitive); a firing key too long to fit is replaced by its SHA-256.
 */
export function targetIdempotencyKey(firingKey: string, repository: string): string {
  const suffix = `#${repository.toLowerCase()}`;
  const prefix =
    firingKey.length + suffix.length <= MAX_KEY_LENGTH
      ? firingKey
      : `sha256:${createHash("sha256").update(firingKey).digest("hex")}`;
  return `${prefix}${suffix}`;
}

/**
 * Turns a fan-out job and its resolved targets into single jobs. Pure. Each job gets the fan-out's
 * workflow, token and ref (a target's own `ref` wins), the fan-out's inputs merged with the target's
 * (the target's win), and an idempotency key derived from the firing and the target, so a repeated
 * firing or a redelivered message never dispatches a target twice. Targets the allowlist does not
 * cover or with too many inputs are refused with a reason, never dropped silently; a target listed
 * twice is expanded once and the repeat reported.
 */
export function expandFanOutJob(
  job: FanOutDispatchJob,
  targets: readonly FanOutTarget[],
  context: ExpansionContext,
): FanOutExpansion {
  const jobs: SingleDispatchJob[] = [];
  const refused: RefusedTarget[] = [];
  const repeated: RefusedTarget[] = [];
  const seen = new Map<string, number>();
  targets.forEach((target, index) => {
    const name = target.repository.toLowerCase();
    const first = seen.get(name);
    if (first !== undefined) {
      repeated.push({
        repository: target.repository,
        reason: `${target.repository} is listed twice (targets[${first}] and targets[${index}]); it is dispatched once, with the first entry`,
      });
      return;
    }
    seen.set(name, index);
    const [owner = "", repo = ""] = target.repository.split("/");
    const inputs = { ...job.inputs, ...target.inputs };
    const candidate = {
      owner,
      repo,
      workflow_id: job.workflow_id,
      ref: target.ref ?? job.ref,
      ...(Object.keys(inputs).length > 0 ? { inputs } : {}),
      ...(job.token_secret === undefined ? {} : { token_secret: job.token_secret }),
      idempotency_key: targetIdempotencyKey(context.firingKey, target.repository),
    };
    // The function's own check: the schema, and the input limit on the merged inputs.
    const checked = checkDispatchJob(candidate, { maxInputs: context.maxInputs });
    // Built without `targets`, so a job that validates is a single one.
    const single = checked.job && !isFanOutJob(checked.job) ? checked.job : undefined;
    if (single === undefined || checked.problems.length > 0) {
      const problems = checked.problems.map((p) => `${p.field}: ${p.message}`);
      refused.push({
        repository: target.repository,
        ...(single === undefined ? {} : { job: single }),
        reason: `${target.repository}: ${problems.join("; ")}`,
      });
      return;
    }
    if (!context.allowlist.allows(owner, repo)) {
      refused.push({
        repository: target.repository,
        job: single,
        reason: context.allowlist.refusal(owner, repo),
      });
      return;
    }
    jobs.push(single);
  });
  return { jobs, refused, repeated };
}
