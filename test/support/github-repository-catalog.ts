import { gitHubError } from "./github-responses.js";

/** One repository the GitHub stand-in lists. */
export interface CatalogRepository {
  /** `owner/repo`. */
  full_name: string;
  /** @default "public" */
  visibility?: "public" | "private" | "internal";
  /** @default false */
  archived?: boolean;
  /** @default false */
  fork?: boolean;
  /** @default false */
  disabled?: boolean;
  /** @default [] */
  topics?: string[];
  /** Workflow file names (or ids) the repository contains. @default [] */
  workflows?: (string | number)[];
}

/** A status, JSON body and headers answered by the catalog. */
export interface CatalogAnswer {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

const PREFIX = "(?:/api/v3)?";
const ORG_REPOS = new RegExp(`^${PREFIX}/orgs/([^/]+)/repos$`);
const USER_REPOS = new RegExp(`^${PREFIX}/users/([^/]+)/repos$`);
const INSTALLATION_REPOS = new RegExp(`^${PREFIX}/installation/repositories$`);
const WORKFLOW = new RegExp(`^${PREFIX}/repos/([^/]+)/([^/]+)/actions/workflows/([^/]+)$`);

/**
 * The repository-listing side of the GitHub stand-in: `GET /orgs/{org}/repos`,
 * `GET /users/{username}/repos`, `GET /installation/repositories` (paginated with `per_page`, `page`
 * and a `Link` header like GitHub's) and `GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}`
 * (200 when the repository has the workflow, else 404). Repositories are returned with GitHub's field
 * names (`full_name`, `archived`, `fork`, `visibility`, `private`, `topics`).
 */
export class GitHubRepositoryCatalog {
  constructor(readonly repositories: CatalogRepository[] = []) {}

  /** Adds repositories (e.g. generated ones for a fan-out benchmark). */
  add(...repositories: CatalogRepository[]): void {
    this.repositories.push(...repositories);
  }

  /** The answer to a GET of `pathAndQuery`, or undefined when the path is not a catalog route. */
  answer(method: string, pathAndQuery: string, baseUrl: string): CatalogAnswer | undefined {
    if (method !== "GET") return undefined;
    const url = new URL(pathAndQuery, baseUrl);
    const path = url.pathname;
    const org = ORG_REPOS.exec(path) ?? USER_REPOS.exec(path);
    if (org) {
      const owner = decodeURIComponent(org[1] ?? "").toLowerCase();
      const owned = this.repositories.filter(
        (r) => r.full_name.split("/")[0]?.toLowerCase() === owner,
      );
      if (owned.length === 0)
        return { status: 404, body: gitHubError(404, "Not Found"), headers: {} };
      const visible = USER_REPOS.test(path)
        ? owned.filter((r) => (r.visibility ?? "public") === "public")
        : owned;
      return this.page(visible, url, (items) => items);
    }
    if (INSTALLATION_REPOS.test(path)) {
      return this.page(this.repositories, url, (items, total) => ({
        total_count: total,
        repositories: items,
      }));
    }
    const workflow = WORKFLOW.exec(path);
    if (workflow) {
      const [, owner = "", repo = "", id = ""] = workflow.map((s) => decodeURIComponent(s));
      const found = this.find(`${owner}/${repo}`);
      const has = found?.workflows?.map(String).includes(id);
      if (!has) return { status: 404, body: gitHubError(404, "Not Found"), headers: {} };
      return {
        status: 200,
        body: { id: 161335, name: id, path: `.github/workflows/${id}`, state: "active" },
        headers: {},
      };
    }
    return undefined;
  }

  private find(fullName: string): CatalogRepository | undefined {
    return this.repositories.find((r) => r.full_name.toLowerCase() === fullName.toLowerCase());
  }

  private page(
    all: CatalogRepository[],
    url: URL,
    shape: (items: unknown[], total: number) => unknown,
  ): CatalogAnswer {
    const perPage = Math.min(100, Math.max(1, Number(url.searchParams.get("per_page") ?? 30)));
    const page = Math.max(1, Number(url.searchParams.get("page") ?? 1));
    const last = Math.max(1, Math.ceil(all.length / perPage));
    const items = all
      .slice((page - 1) * perPage, page * perPage)
      .map((r, i) => toGitHub(r, (page - 1) * perPage + i));
    const link = (p: number) => {
      const target = new URL(url);
      target.searchParams.set("page", String(p));
      return target.toString();
    };
    const rels: string[] = [];
    if (page < last) rels.push(`<${link(page + 1)}>; rel="next"`, `<${link(last)}>; rel="last"`);
    if (page > 1) rels.push(`<${link(1)}>; rel="first"`, `<${link(page - 1)}>; rel="prev"`);
    return {
      status: 200,
      body: shape(items, all.length),
      headers: rels.length > 0 ? { link: rels.join(", ") } : {},
    };
  }
}

function toGitHub(repo: CatalogRepository, index: number): Record<string, unknown> {
  const [owner = "", name = ""] = repo.full_name.split("/");
  const visibility = repo.visibility ?? "public";
  return {
    id: 100_000 + index,
    name,
    full_name: repo.full_name,
    owner: { login: owner },
    private: visibility !== "public",
    visibility,
    archived: repo.archived ?? false,
    disabled: repo.disabled ?? false,
    fork: repo.fork ?? false,
    topics: repo.topics ?? [],
    default_branch: "main",
  };
}
