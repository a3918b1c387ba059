import { RepositoryAllowlist } from "../lambda/job/repository-allowlist.js";
import type { ClassifiedDeadLetter, DeadLetterKind } from "./classify-dead-letter.js";

/** Dead-letter messages of one kind sharing one reason pattern. */
export interface ReasonGroup {
  readonly kind: DeadLetterKind;
  readonly reason: string;
  readonly messages: readonly ClassifiedDeadLetter[];
}

/**
 * The reason with this job's own repository and workflow replaced by `{repository}` and `{workflow}`
 * (and a destination record's request id by `{request-id}`), so the same failure in many repositories
 * forms one group: `GitHub rate limit (429) for workflow {workflow} in {repository}`.
 */
function reasonPattern(message: ClassifiedDeadLetter): string {
  let reason = message.reason;
  const { repository, workflowId } = message;
  const requestId = message.details.request_id;
  if (repository) reason = reason.split(repository).join("{repository}");
  if (workflowId) reason = reason.split(`workflow ${workflowId} `).join("workflow {workflow} ");
  if (typeof requestId === "string" && requestId) {
    reason = reason.split(requestId).join("{request-id}");
  }
  return reason;
}

/**
 * Groups messages by kind and {@link reasonPattern}, the largest group first (ties by reason).
 */
export function groupByReason(messages: readonly ClassifiedDeadLetter[]): ReasonGroup[] {
  const groups = new Map<string, ReasonGroup & { messages: ClassifiedDeadLetter[] }>();
  for (const message of messages) {
    const reason = reasonPattern(message);
    const key = `${message.kind}\u0000${reason}`;
    const group = groups.get(key) ?? { kind: message.kind, reason, messages: [] };
    group.messages.push(message);
    groups.set(key, group);
  }
  return [...groups.values()].sort(
    (a, b) =>
      b.messages.length - a.messages.length ||
      a.reason.localeCompare(b.reason) ||
      a.kind.localeCompare(b.kind),
  );
}

/** Which dead-letter messages to redrive. */
export interface RedriveFilter {
  /** Case-insensitive text the reason must contain. */
  readonly reason?: string;
  /** `owner/repo` pattern; `*` matches any run of characters except `/` (`acme/*`). */
  readonly repository?: string;
}

/** A predicate for {@link RedriveFilter}; no filter selects everything. */
export function redriveMatcher(filter: RedriveFilter): (message: ClassifiedDeadLetter) => boolean {
  const reason = filter.reason?.toLowerCase();
  const repositories = filter.repository ? new RepositoryAllowlist([filter.repository]) : undefined;
  return (message) => {
    if (reason !== undefined && !message.reason.toLowerCase().includes(reason)) return false;
    if (repositories) {
      const [owner = "", repo = ""] = (message.repository ?? "").split("/");
      if (!repositories.allows(owner, repo)) return false;
    }
    return true;
  };
}
