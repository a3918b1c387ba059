/**
 * The repositories the function may dispatch to, from `ALLOWED_REPOSITORIES`:
 * comma-separated `owner/repo` patterns where `*` matches any run of characters except `/`.
 * Matching is case-insensitive, as GitHub's names are.
 */
export class RepositoryAllowlist {
  private readonly patterns: readonly RegExp[];

  constructor(readonly source: readonly string[]) {
    this.patterns = source.map(
      (p) =>
        new RegExp(
          `^${p
            .split("*")
            .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
            .join("[^/]*")}$`,
          "i",
        ),
    );
  }

  /** Parses `ALLOWED_REPOSITORIES`; an empty or missing value allows nothing. */
  static parse(value: string | undefined): RepositoryAllowlist {
    const patterns = (value ?? "")
      .split(",")
      .map((p) => p.trim())
      .filter((p) => p.length > 0);
    for (const p of patterns) {
      if (!/^[^/\s]+\/[^/\s]+$/.test(p)) {
        throw new Error(
          `ALLOWED_REPOSITORIES: "${p}" is not an owner/repo pattern; use e.g. "acme/api" or "acme/*"`,
        );
      }
    }
    return new RepositoryAllowlist(patterns);
  }

  /** True when `owner/repo` matches one of the patterns. */
  allows(owner: string, repo: string): boolean {
    const name = `${owner}/${repo}`;
    return this.patterns.some((p) => p.test(name));
  }

  /** Why `owner/repo` is refused, naming the patterns and the fix: the reason a refused job is parked with. */
  refusal(owner: string, repo: string): string {
    const name = `${owner}/${repo}`;
    const patterns = this.source.length > 0 ? this.source.join(", ") : "empty: nothing is allowed";
    return `repository ${name} is not in ALLOWED_REPOSITORIES (${patterns}); add "${name}" or a pattern such as "${owner}/*" to ALLOWED_REPOSITORIES`;
  }
}
