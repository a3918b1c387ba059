import { unwrapSqsBody } from "../lambda/events/unwrap-sqs-body.js";
import { RepositoryAllowlist } from "../lambda/job/repository-allowlist.js";
import type { DeadLetterMessage } from "./dead-letter-messages.js";

/** Reason shown for a parked message that carries no `reason` attribute. */
export const UNKNOWN_REASON = "(no reason recorded)";

/** Parked messages sharing one reason. */
export interface ReasonGroup {
  readonly reason: string;
  readonly messages: readonly DeadLetterMessage[];
}

/** The `reason` attribute the function writes when it parks a job. */
export function reasonOf(message: DeadLetterMessage): string {
  return message.attributes.reason ?? UNKNOWN_REASON;
}

/**
 * `owner/repo` of a parked job: its `repository` attribute, else the owner and repo of the job in
 * the body (unwrapped from an EventBridge or SNS envelope as the function does); undefined if neither.
 */
export function repositoryOf(message: DeadLetterMessage): string | undefined {
  if (message.attributes.repository) return message.attributes.repository;
  try {
    const { job } = unwrapSqsBody(message.body);
    const { owner, repo } = (job ?? {}) as { owner?: unknown; repo?: unknown };
    return typeof owner === "string" && typeof repo === "string" ? `${owner}/${repo}` : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The reason with this job's own repository and workflow replaced by `{repository}` and `{workflow}`,
 * so the same failure in many repositories forms one group:
 * `GitHub rate limit (429) for workflow {workflow} in {repository}`.
 */
export function reasonPattern(message: DeadLetterMessage): string {
  let reason = reasonOf(message);
  const { repository, workflow_id: workflow } = message.attributes;
  if (repository) reason = reason.split(repository).join("{repository}");
  if (workflow) reason = reason.split(`workflow ${workflow} `).join("workflow {workflow} ");
  return reason;
}

/**
 * Groups parked messages by {@link reasonPattern}, the largest group first (ties by reason).
 */
export function groupByReason(messages: readonly DeadLetterMessage[]): ReasonGroup[] {
  const groups = new Map<string, DeadLetterMessage[]>();
  for (const message of messages) {
    const reason = reasonPattern(message);
    groups.set(reason, [...(groups.get(reason) ?? []), message]);
  }
  return [...groups.entries()]
    .map(([reason, grouped]) => ({ reason, messages: grouped }))
    .sort((a, b) => b.messages.length - a.messages.length || a.reason.localeCompare(b.reason));
}

/** Which parked messages to redrive. */
export interface RedriveFilter {
  /** Case-insensitive text the reason must contain. */
  readonly reason?: string;
  /** `owner/repo` pattern; `*` matches any run of characters except `/` (`acme/*`). */
  readonly repository?: string;
}

/** A predicate for {@link RedriveFilter}; no filter selects everything. */
export function redriveMatcher(filter: RedriveFilter): (message: DeadLetterMessage) => boolean {
  const reason = filter.reason?.toLowerCase();
  const repositories = filter.repository ? new RepositoryAllowlist([filter.repository]) : undefined;
  return (message) => {
    if (reason !== undefined && !reasonOf(message).toLowerCase().includes(reason)) return false;
    if (repositories) {
      const [owner = "", repo = ""] = (repositoryOf(message) ?? "").split("/");
      if (!repositories.allows(owner, repo)) return false;
    }
    return true;
  };
}
