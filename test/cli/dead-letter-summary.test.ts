import { describe, expect, it } from "vitest";
import { classifyDeadLetter } from "../../cli/classify-dead-letter.js";
import type { DeadLetterMessage } from "../../cli/dead-letter-messages.js";
import { groupByReason, redriveMatcher } from "../../cli/dead-letter-summary.js";
import { destinationRecord, scheduledJob, schedulerAttributes } from "./dead-letter-fixtures.js";

function parked(id: string, attributes: Record<string, string>, body = "{}") {
  const message: DeadLetterMessage = {
    messageId: id,
    receiptHandle: id,
    body,
    attributes,
    receiveCount: 1,
  };
  return classifyDeadLetter(message);
}

describe("groupByReason", () => {
  it("puts the largest group first and collects messages without a reason apart", () => {
    const groups = groupByReason([
      parked("1", { reason: "b" }),
      parked("2", { reason: "a" }),
      parked("3", { reason: "a" }),
      parked("4", {}),
    ]);
    expect(
      groups.map((g) => [g.kind, g.reason, g.messages.map((m) => m.message.messageId)]),
    ).toEqual([
      ["parked", "a", ["2", "3"]],
      ["unrecorded", "(no reason recorded)", ["4"]],
      ["parked", "b", ["1"]],
    ]);
  });

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

  it("groups Scheduler failures and destination records of many jobs by kind and reason", () => {
    const timedOut = (repo: string, requestId: string) =>
      parked(
        repo,
        {},
        JSON.stringify(
          destinationRecord(scheduledJob(repo), {
            requestId,
            responsePayload: {
              errorType: "Sandbox.Timedout",
              errorMessage: `RequestId: ${requestId} Error: Task timed out after 30.00 seconds`,
            },
          }),
        ),
      );
    const throttled = (repo: string) =>
      parked(repo, schedulerAttributes(repo), JSON.stringify(scheduledJob(repo)));
    const groups = groupByReason([
      timedOut("api", "0b1c2d3e-aaaa-4bbb-8ccc-000000000001"),
      timedOut("web", "0b1c2d3e-aaaa-4bbb-8ccc-000000000002"),
      throttled("api"),
      throttled("web"),
      throttled("db"),
    ]);
    expect(groups.map((g) => [g.kind, g.reason, g.messages.length])).toEqual([
      [
        "scheduler",
        "EventBridge Scheduler gave up after 185 retries (MaximumRetryAttempts): TooManyRequestsException: Rate Exceeded.",
        3,
      ],
      [
        "lambda-destination",
        "asynchronous invocation failed (RetriesExhausted, 3 attempts): Sandbox.Timedout: RequestId: {request-id} Error: Task timed out after 30.00 seconds",
        2,
      ],
    ]);
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

  it("matches a destination record by the reason and repository of the job it carries", () => {
    const record = parked("2", {}, JSON.stringify(destinationRecord(scheduledJob("web"))));
    expect(redriveMatcher({ reason: "queuedoesnotexist", repository: "acme/w*" })(record)).toBe(
      true,
    );
    expect(redriveMatcher({ repository: "acme/api" })(record)).toBe(false);
  });
});
