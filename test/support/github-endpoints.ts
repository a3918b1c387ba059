/** GitHub Enterprise Server serves the same API under `/api/v3`. */
const PREFIX = "(?:/api/v3)?";
const DISPATCH_PATH = new RegExp(
  `^${PREFIX}/repos/([^/]+)/([^/]+)/actions/workflows/([^/]+)/dispatches$`,
);
const ACCESS_TOKENS_PATH = new RegExp(`^${PREFIX}/app/installations/([^/]+)/access_tokens$`);
const INSTALLATION_PATH = new RegExp(`^${PREFIX}/app/installations/([^/]+)$`);

/** An endpoint the GitHub stand-in answers itself, with its decoded path parameters. */
export type GitHubEndpoint =
  | {
      readonly kind: "dispatch";
      readonly owner: string;
      readonly repo: string;
      readonly workflowId: string;
    }
  | { readonly kind: "access-tokens"; readonly installationId: string }
  | { readonly kind: "installation"; readonly installationId: string };

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * The endpoint `method` `pathname` (no query string) hits: `POST .../dispatches`,
 * `POST /app/installations/{id}/access_tokens` or `GET /app/installations/{id}`; undefined otherwise.
 */
export function matchGitHubEndpoint(method: string, pathname: string): GitHubEndpoint | undefined {
  const dispatch = DISPATCH_PATH.exec(pathname);
  if (method === "POST" && dispatch) {
    const [, owner = "", repo = "", workflowId = ""] = dispatch.map(decode);
    return { kind: "dispatch", owner, repo, workflowId };
  }
  const mint = ACCESS_TOKENS_PATH.exec(pathname);
  if (method === "POST" && mint) {
    return { kind: "access-tokens", installationId: decode(mint[1] ?? "") };
  }
  const installation = INSTALLATION_PATH.exec(pathname);
  if (method === "GET" && installation) {
    return { kind: "installation", installationId: decode(installation[1] ?? "") };
  }
  return undefined;
}

/** True for a workflow-dispatch path (any method), e.g. `/repos/o/r/actions/workflows/w.yml/dispatches`. */
export function isDispatchPath(pathname: string): boolean {
  return DISPATCH_PATH.test(pathname);
}
