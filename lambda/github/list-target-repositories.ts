import pLimit from "p-limit";
import type { TargetSelection } from "../job/dispatch-job.js";
import type { GitHubOctokit } from "./github-client.js";

/** The fields of GitHub's repository object that selection reads. */
export interface RepositorySummary {
  readonly full_name: string;
  readonly name: string;
  readonly archived?: boolean;
  readonly disabled?: boolean;
  readonly fork?: boolean;
  readonly visibility?: string;
  readonly private?: boolean;
  readonly topics?: readonly string[];
}

/** Why repositories were left out, counted, for the expansion log. */
export interface SelectionExclusions {
  archived: number;
  fork: number;
  disabled: number;
  visibility: number;
  topic: number;
  name: number;
  missingWorkflow: number;
}

/** The repositories a selection resolved to. */
export interface ResolvedSelection {
  /** `owner/repo`, in GitHub's order. */
  readonly repositories: string[];
  /** Repositories GitHub listed before filtering. */
  readonly listed: number;
  readonly excluded: SelectionExclusions;
}

/** Options of {@link listTargetRepositories}. */
export interface ListTargetOptions {
  /** The token, sent as `Authorization: Bearer`; never logged. */
  readonly token: string;
  /** Checked per repository when the selection sets `require_workflow_file`. */
  readonly workflowId: string | number;
  /** Workflow-file checks in flight at once. @default 8 */
  readonly concurrency?: number;
}

/** Turns a glob (`*` any run, `?` one character) into an anchored, case-insensitive pattern. */
export function globToRegExp(glob: string): RegExp {
  const body = glob
    .split("")
    .map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.+^${}()|[\]\\]/g, "\\$&")))
    .join("");
  return new RegExp(`^${body}$`, "i");
}

function visibilityOf(repo: RepositorySummary): string {
  return repo.visibility ?? (repo.private ? "private" : "public");
}

/**
 * Why `repo` is left out under `selection`, or undefined when it is kept. Pure.
 * Archived and disabled repositories and forks are left out unless the selection includes them.
 */
export function exclusionOf(
  repo: RepositorySummary,
  selection: TargetSelection,
): keyof SelectionExclusions | undefined {
  if (repo.archived && !selection.include_archived) return "archived";
  if (repo.disabled) return "disabled";
  if (repo.fork && !selection.include_forks) return "fork";
  const visibility = selection.visibility ?? "all";
  if (visibility !== "all" && visibilityOf(repo) !== visibility) return "visibility";
  const topic = selection.topic?.toLowerCase();
  if (topic !== undefined && !(repo.topics ?? []).some((t) => t.toLowerCase() === topic))
    return "topic";
  const pattern = selection.name_pattern;
  if (pattern !== undefined) {
    const subject = pattern.includes("/") ? repo.full_name : repo.name;
    if (!globToRegExp(pattern).test(subject)) return "name";
  }
  return undefined;
}

/** Every repository of the selection's source, 100 a page, through Octokit's pagination. */
async function listAll(
  octokit: GitHubOctokit,
  selection: TargetSelection,
  headers: Record<string, string>,
): Promise<RepositorySummary[]> {
  if (selection.installation) {
    return octokit.paginate<RepositorySummary>("GET /installation/repositories", {
      per_page: 100,
      headers,
    });
  }
  if (selection.org !== undefined) {
    return octokit.paginate<RepositorySummary>("GET /orgs/{org}/repos", {
      org: selection.org,
      type: "all",
      per_page: 100,
      headers,
    });
  }
  return octokit.paginate<RepositorySummary>("GET /users/{username}/repos", {
    username: selection.user ?? "",
    type: "owner",
    per_page: 100,
    headers,
  });
}

async function hasWorkflow(
  octokit: GitHubOctokit,
  fullName: string,
  workflowId: string | number,
  headers: Record<string, string>,
): Promise<boolean> {
  const [owner = "", repo = ""] = fullName.split("/");
  try {
    await octokit.request("GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}", {
      owner,
      repo,
      workflow_id: workflowId,
      headers,
    });
    return true;
  } catch (error) {
    if ((error as { status?: number }).status === 404) return false;
    throw error;
  }
}

/**
 * Resolves a fan-out selection to repositories when the job fires: lists the organization's, the
 * user's or the App installation's repositories (100 a page, through Octokit's pagination), keeps
 * those matching topic, name pattern and visibility, leaves out archived, disabled and forked ones
 * unless included, and with `require_workflow_file` keeps only repositories where
 * `GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}` answers 200 (404: left out; any other
 * failure is thrown). Errors are Octokit's `RequestError`s, for the caller to classify.
 */
export async function listTargetRepositories(
  octokit: GitHubOctokit,
  selection: TargetSelection,
  options: ListTargetOptions,
): Promise<ResolvedSelection> {
  const headers = { authorization: `Bearer ${options.token}` };
  const listed = await listAll(octokit, selection, headers);
  const excluded: SelectionExclusions = {
    archived: 0,
    fork: 0,
    disabled: 0,
    visibility: 0,
    topic: 0,
    name: 0,
    missingWorkflow: 0,
  };
  const kept: string[] = [];
  for (const repo of listed) {
    const reason = exclusionOf(repo, selection);
    if (reason === undefined) kept.push(repo.full_name);
    else excluded[reason] += 1;
  }
  if (!selection.require_workflow_file)
    return { repositories: kept, listed: listed.length, excluded };
  const limit = pLimit(options.concurrency ?? 8);
  const present = await Promise.all(
    kept.map((name) => limit(() => hasWorkflow(octokit, name, options.workflowId, headers))),
  );
  const repositories = kept.filter((_, i) => present[i]);
  excluded.missingWorkflow = kept.length - repositories.length;
  return { repositories, listed: listed.length, excluded };
}
