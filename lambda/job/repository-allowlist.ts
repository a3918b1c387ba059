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

  /**
   * Reads an `ALLOWED_REPOSITORIES` value (an empty or missing one allows nothing) and says why each
   * pattern that is not `owner/repo` is wrong; the allowlist keeps only the good patterns. Never throws.
   */
  static check(value: string | undefined): {
    readonly allowlist: RepositoryAllowlist;
    readonly problems: readonly string[];
  } {
    const patterns = (value ?? "")
      .split(",")
      .map((p) => p.trim())
      .filter((p) => p.length > 0);
    const good = patterns.filter((p) => /^[^/\s]+\/[^/\s]+$/.test(p));
    const problems = patterns
      .filter((p) => !good.includes(p))
      .map((p) => `"${p}" is not an owner/repo pattern; use e.g. "acme/api" or "acme/*"`);
    return { allowlist: new RepositoryAllowlist(good), problems };
  }

  /** Parses `ALLOWED_REPOSITORIES`; throws naming the first pattern that is not `owner/repo`. */
  static parse(value: string | undefined): RepositoryAllowlist {
    const { allowlist, problems } = RepositoryAllowlist.check(value);
    if (problems[0] !== undefined) throw new Error(`ALLOWED_REPOSITORIES: ${problems[0]}`);
    return allowlist;
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
