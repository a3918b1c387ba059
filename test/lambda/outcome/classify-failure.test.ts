import { describe, expect, it } from "vitest";
import {
  classifyFailure,
  type FailureFacts,
  retryAfterFromHeaders,
} from "../../../lambda/outcome/classify-failure.js";
import { PermanentDispatchError, RetryableDispatchError } from "../../../lambda/outcome/errors.js";

const NOW = Date.parse("2026-11-24T09:00:00Z");
const dispatch = {
  phase: "dispatch",
  repository: "acme/api",
  workflowId: "nightly.yml",
  secretId: "github/acme-bot",
  now: NOW,
} as const;
const reset = String(NOW / 1000 + 120);

type Expected =
  | { permanent: RegExp }
  | { cls: "rate_limited" | "transient"; after: number | undefined; ambiguous: boolean };

const cases: [string, Partial<FailureFacts>, Expected][] = [
  [
    "404",
    { status: 404, message: "Not Found" },
    {
      permanent:
        /workflow nightly\.yml in acme\/api not found \(404\).*does not exist, or the token in secret "github\/acme-bot" lacks access/,
    },
  ],
  [
    "422 bad ref",
    { status: 422, message: "No ref found for: nope" },
    { permanent: /\(422: No ref found for: nope\)/ },
  ],
  [
    "422 no trigger",
    { status: 422, message: "Workflow does not have 'workflow_dispatch' trigger" },
    { permanent: /does not have 'workflow_dispatch' trigger/ },
  ],
  [
    "401",
    { status: 401, message: "Bad credentials" },
    { permanent: /token in secret "github\/acme-bot" was rejected \(401\); rotate it/ },
  ],
  [
    "403 not accessible",
    { status: 403, message: "Resource not accessible by integration" },
    { permanent: /lacks `actions: write` on acme\/api/ },
  ],
  [
    "403 not accessible by a fine-grained PAT",
    { status: 403, message: "Resource not accessible by personal access token" },
    {
      permanent:
        /lacks `actions: write` on acme\/api \(403: Resource not accessible by personal access token\)/,
    },
  ],
  [
    "403 without signals",
    {
      status: 403,
      message: "Must have admin rights",
      headers: { "x-ratelimit-remaining": "4999" },
    },
    { permanent: /\(403: Must have admin rights\)/ },
  ],
  [
    "400",
    { status: 400, message: "Problems parsing JSON" },
    { permanent: /refused .*\(400: Problems parsing JSON\)/ },
  ],
  [
    "403 retry-after",
    { status: 403, headers: { "retry-after": "30" } },
    { cls: "rate_limited", after: 30, ambiguous: false },
  ],
  [
    "429 retry-after",
    { status: 429, headers: { "retry-after": "7" } },
    { cls: "rate_limited", after: 7, ambiguous: false },
  ],
  [
    "429 without a time",
    { status: 429 },
    { cls: "rate_limited", after: undefined, ambiguous: false },
  ],
  [
    "403 remaining 0",
    { status: 403, headers: { "x-ratelimit-remaining": "0", "x-ratelimit-reset": reset } },
    { cls: "rate_limited", after: 120, ambiguous: false },
  ],
  [
    "403 secondary limit message",
    { status: 403, message: "You have exceeded a secondary rate limit" },
    { cls: "rate_limited", after: undefined, ambiguous: false },
  ],
  ["500", { status: 500 }, { cls: "transient", after: undefined, ambiguous: true }],
  ["502", { status: 502 }, { cls: "transient", after: undefined, ambiguous: true }],
  [
    "timeout",
    { status: 0, errorKind: "TimeoutError" },
    { cls: "transient", after: undefined, ambiguous: true },
  ],
  [
    "reset",
    { status: 0, errorKind: "ECONNRESET" },
    { cls: "transient", after: undefined, ambiguous: true },
  ],
  [
    "socket closed",
    { status: 0, errorKind: "UND_ERR_SOCKET" },
    { cls: "transient", after: undefined, ambiguous: true },
  ],
  [
    "refused",
    { status: 0, errorKind: "ECONNREFUSED" },
    { cls: "transient", after: undefined, ambiguous: false },
  ],
  [
    "DNS",
    { status: 0, errorKind: "ENOTFOUND" },
    { cls: "transient", after: undefined, ambiguous: false },
  ],
  [
    "DNS again",
    { status: 0, errorKind: "EAI_AGAIN" },
    { cls: "transient", after: undefined, ambiguous: false },
  ],
];

const secretCases: [string, Partial<FailureFacts>, Expected][] = [
  [
    "throttling",
    { status: 400, errorKind: "ThrottlingException" },
    { cls: "transient", after: undefined, ambiguous: false },
  ],
  [
    "internal error",
    { status: 500, errorKind: "InternalServiceError" },
    { cls: "transient", after: undefined, ambiguous: false },
  ],
  [
    "unreachable",
    { status: 0, errorKind: "ECONNREFUSED" },
    { cls: "transient", after: undefined, ambiguous: false },
  ],
  [
    "missing",
    { status: 400, errorKind: "ResourceNotFoundException" },
    { permanent: /secret "github\/acme-bot" not found in Secrets Manager/ },
  ],
  [
    "denied",
    { status: 400, errorKind: "AccessDeniedException" },
    { permanent: /access to secret "github\/acme-bot" denied; grant/ },
  ],
  [
    "undecryptable",
    { status: 400, errorKind: "DecryptionFailure" },
    { permanent: /cannot be decrypted; grant .*kms:Decrypt/ },
  ],
  [
    "unparseable",
    { status: 0, errorKind: "UnparseableSecret", message: "JSON has no token" },
    { permanent: /secret "github\/acme-bot" is unusable: JSON has no token; store a token/ },
  ],
];

function check(error: PermanentDispatchError | RetryableDispatchError, expected: Expected): void {
  if ("permanent" in expected) {
    expect(error).toBeInstanceOf(PermanentDispatchError);
    expect(error.message).toMatch(expected.permanent);
    return;
  }
  expect(error).toBeInstanceOf(RetryableDispatchError);
  const retryable = error as RetryableDispatchError;
  expect({
    cls: retryable.failureClass,
    after: retryable.retryAfterSeconds,
    ambiguous: retryable.ambiguous,
  }).toEqual(expected);
}

describe("classifyFailure", () => {
  it.each(cases)("classifies a dispatch answered with %s", (_name, facts, expected) => {
    check(classifyFailure({ ...dispatch, status: 0, ...facts }), expected);
  });

  it.each(secretCases)("classifies a secret read failing with %s", (_name, facts, expected) => {
    check(classifyFailure({ ...dispatch, phase: "secret", status: 0, ...facts }), expected);
  });

  it.each([
    [401, /GitHub App credentials in secret "github\/acme-bot" were rejected \(401\)/],
    [404, /installation .* not found \(404\); check installationId/],
  ])("classifies minting failing with %s as permanent, naming the App fix", (status, reason) => {
    check(classifyFailure({ ...dispatch, phase: "mint", status }), { permanent: reason });
  });

  it("never calls a failed mint ambiguous: no dispatch was sent", () => {
    const error = classifyFailure({ ...dispatch, phase: "mint", status: 502 });
    expect(error).toMatchObject({ failureClass: "transient", ambiguous: false });
  });

  it("keeps the status on the error", () => {
    expect(classifyFailure({ ...dispatch, status: 422 }).status).toBe(422);
  });
});

describe("retryAfterFromHeaders", () => {
  it.each([
    [{ "retry-after": "30" }, 30],
    [{ "retry-after": new Date(NOW + 45_000).toUTCString() }, 45],
    [{ "x-ratelimit-remaining": "0", "x-ratelimit-reset": reset }, 120],
    [{ "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(NOW / 1000 - 5) }, 0],
    [{ "x-ratelimit-remaining": "12", "x-ratelimit-reset": reset }, undefined],
    [{}, undefined],
  ])("reads %j as %s seconds", (headers, expected) => {
    expect(retryAfterFromHeaders(headers, NOW)).toBe(expected);
  });
});
