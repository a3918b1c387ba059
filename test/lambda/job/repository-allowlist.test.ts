import { describe, expect, it } from "vitest";
import { RepositoryAllowlist } from "../../../lambda/job/repository-allowlist.js";

describe("RepositoryAllowlist", () => {
  it.each([
    ["acme/*", "acme", "api", true],
    ["acme/*", "ACME", "Api", true],
    ["acme/*", "acme-labs", "api", false],
    ["acme/api", "acme", "api", true],
    ["acme/api", "acme", "api2", false],
    ["acme/api-*", "acme", "api-gateway", true],
    ["acme/api-*", "acme", "web", false],
    ["*/docs", "globex", "docs", true],
    ["acme/a.b", "acme", "axb", false],
    ["acme/*, globex/web", "globex", "web", true],
  ])("with %j, %s/%s is allowed: %s", (patterns, owner, repo, allowed) => {
    expect(RepositoryAllowlist.parse(patterns).allows(owner, repo)).toBe(allowed);
  });

  it.each([undefined, "", " , "])("allows nothing when ALLOWED_REPOSITORIES is %j", (value) => {
    expect(RepositoryAllowlist.parse(value).allows("acme", "api")).toBe(false);
  });

  it.each(["acme", "acme/api/x", "acme /api"])(
    "throws for %j, naming the pattern and the form it needs",
    (pattern) => {
      expect(() => RepositoryAllowlist.parse(pattern)).toThrow(
        `ALLOWED_REPOSITORIES: "${pattern.trim()}" is not an owner/repo pattern; use e.g. "acme/api" or "acme/*"`,
      );
    },
  );

  it("rejects every bad pattern at once with check, keeping the good ones", () => {
    const { allowlist, problems } = RepositoryAllowlist.check("acme/*, acme, globex/web, a/b/c");

    expect(problems).toEqual([
      '"acme" is not an owner/repo pattern; use e.g. "acme/api" or "acme/*"',
      '"a/b/c" is not an owner/repo pattern; use e.g. "acme/api" or "acme/*"',
    ]);
    expect(allowlist.source).toEqual(["acme/*", "globex/web"]);
  });

  it("says why a repository is refused, naming the patterns and the fix", () => {
    expect(RepositoryAllowlist.parse("acme/*,globex/web").refusal("evil", "api")).toBe(
      'repository evil/api is not in ALLOWED_REPOSITORIES (acme/*, globex/web); add "evil/api" or a pattern such as "evil/*" to ALLOWED_REPOSITORIES',
    );
    expect(RepositoryAllowlist.parse("").refusal("acme", "api")).toContain(
      "(empty: nothing is allowed)",
    );
  });
});
