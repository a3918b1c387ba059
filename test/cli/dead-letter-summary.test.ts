import { describe, expect, it } from "vitest";
import type { DeadLetterMessage } from "../../cli/dead-letter-messages.js";
import { groupByReason, redriveMatcher, repositoryOf } from "../../cli/dead-letter-summary.js";

function parked(id: string, attributes: Record<string, string>, body = "{}"): DeadLetterMessage {
  return { messageId: id, receiptHandle: id, body, attributes, receiveCount: 1 };
}

describe("groupByReason", () => {
  it("puts the largest group first and collects messages without a reason apart", () => {
    const groups = groupByReason([
      parked("1", { reason: "b" }),
      parked("2", { reason: "a" }),
      parked("3", { reason: "a" }),
      parked("4", {}),
    ]);
    expect(groups.map((g) => [g.reason, g.messages.map((m) => m.messageId)])).toEqual([
      ["a", ["2", "3"]],
      ["(no reason recorded)", ["4"]],
      ["b", ["1"]],
    ]);
  });
});

describe("groupByReason across repositories", () => {
  it("groups one failure in many repositories under a reason pattern", () => {
    const rateLimited = (repo: string) =>
      parked(repo, {
        reason: `gave up after 8 attempts: GitHub rate limit (429) for workflow nightly.yml in acme/${repo}`,
        repository: `acme/${repo}`,
        workflow_id: "nightly.yml",
      });
    const groups = groupByReason([rateLimited("api"), rateLimited("web")]);
    expect(groups).toHaveLength(1);
    expect(groups[0]?.reason).toBe(
      "gave up after 8 attempts: GitHub rate limit (429) for workflow {workflow} in {repository}",
    );
  });
});

describe("repositoryOf", () => {
  it("prefers the attribute, then the job in the body, then gives up", () => {
    expect(repositoryOf(parked("1", { repository: "acme/api" }))).toBe("acme/api");
    expect(repositoryOf(parked("2", {}, '{"owner":"acme","repo":"web"}'))).toBe("acme/web");
    expect(repositoryOf(parked("3", {}, "not json"))).toBeUndefined();
  });
});

describe("redriveMatcher", () => {
  const message = parked("1", { reason: "GitHub rate limit (429)", repository: "acme/api" });
  it.each([
    [{}, true],
    [{ reason: "RATE LIMIT" }, true],
    [{ reason: "404" }, false],
    [{ repository: "acme/*" }, true],
    [{ repository: "acme/web" }, false],
    [{ reason: "rate", repository: "other/*" }, false],
  ])("with %j selects the message: %s", (filter, expected) => {
    expect(redriveMatcher(filter)(message)).toBe(expected);
  });
});
