import { describe, expect, it } from "vitest";
import {
  contextKeywordProblem,
  scheduledIdempotencyKeyProblem,
} from "../../../infra/config/scheduler-context-keywords.js";

describe("scheduledIdempotencyKeyProblem", () => {
  it.each([
    "<aws.scheduler.scheduled-time>",
    "<aws.scheduler.schedule-arn>#<aws.scheduler.scheduled-time>",
    "nightly-audit@<aws.scheduler.scheduled-time>",
  ])("accepts %s, which is the same on every delivery attempt of one firing", (key) => {
    expect(scheduledIdempotencyKeyProblem(key)).toBeUndefined();
  });

  it.each<[string, string, string]>([
    [
      "a key built from the execution id",
      "<aws.scheduler.execution-id>",
      '"<aws.scheduler.execution-id>" changes on every delivery attempt',
    ],
    [
      "a key adding the attempt number to the scheduled time",
      "<aws.scheduler.scheduled-time>-<aws.scheduler.attempt-number>",
      '"<aws.scheduler.attempt-number>" changes on every delivery attempt',
    ],
    [
      "a key with both per-attempt keywords",
      "<aws.scheduler.execution-id>/<aws.scheduler.attempt-number>",
      '"<aws.scheduler.execution-id>" and "<aws.scheduler.attempt-number>" change on every delivery attempt',
    ],
    [
      "a fixed key",
      "nightly",
      'a fixed key makes every firing after the first a duplicate: "nightly" does not contain "<aws.scheduler.scheduled-time>"',
    ],
    [
      "a key with only the schedule ARN, the same for every firing",
      "<aws.scheduler.schedule-arn>",
      'a fixed key makes every firing after the first a duplicate: "<aws.scheduler.schedule-arn>" does not contain',
    ],
    [
      "a misspelt keyword, suggesting the right one",
      "<aws.scheduler.scheduled_time>",
      '"<aws.scheduler.scheduled_time>" is not a Scheduler context keyword (did you mean "<aws.scheduler.scheduled-time>"?)',
    ],
  ])("rejects %s", (_case, key, expected) => {
    expect(scheduledIdempotencyKeyProblem(key)).toContain(expected);
  });

  it.each(["<aws.scheduler.execution-id>", "<aws.scheduler.attempt-number>", "nightly"])(
    "names the fix for %s: remove the key or build it from schedule ARN and scheduled time",
    (key) => {
      expect(scheduledIdempotencyKeyProblem(key)).toMatch(
        /; remove idempotency_key \(the stack keys each firing by schedule ARN and scheduled time\) or build it from "<aws\.scheduler\.schedule-arn>#<aws\.scheduler\.scheduled-time>"$/,
      );
    },
  );
});

describe("contextKeywordProblem", () => {
  it.each([
    "no keyword",
    "<aws.scheduler.scheduled-time>",
    "<aws.scheduler.execution-id>",
    "run <aws.scheduler.attempt-number> of <aws.scheduler.schedule-arn>",
  ])("accepts %j", (text) => {
    expect(contextKeywordProblem(text)).toBeUndefined();
  });

  it.each<[string, string]>([
    ["<aws.scheduler.scheduled-time", '"<aws.scheduler.scheduled-time" is not a Scheduler'],
    ["<aws.scheduler.nonsense>", '"<aws.scheduler.nonsense>" is not a Scheduler context keyword;'],
  ])("rejects %j", (text, expected) => {
    expect(contextKeywordProblem(text)).toContain(expected);
  });
});
