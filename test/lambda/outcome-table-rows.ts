import { closedPortUrl } from "./github/closed-port.js";
import { type DispatchHarness, SECRET_ID } from "./process/dispatch-harness.js";

/** The job every row dispatches unless it names its own. */
export const job = {
  owner: "acme",
  repo: "api",
  workflow_id: "nightly.yml",
  ref: "main",
  inputs: { environment: "staging" },
};
const manyInputs = Object.fromEntries(Array.from({ length: 26 }, (_, i) => [`in_${i}`, "x"]));

/** What a row of the outcome table leads to. */
type Expected =
  | { kind: "dispatched"; runDetails: boolean }
  | {
      kind: "retry";
      cls: "transient" | "rate_limited";
      delay: number | [number, number];
      ambiguous: boolean;
    }
  | { kind: "parked"; reason: RegExp };

/** One row of DESIGN.md's outcome table, as a test case. */
export interface Row {
  name: string;
  job?: Record<string, unknown>;
  arrange?: (h: DispatchHarness) => void | Promise<void>;
  env?: () => Promise<Record<string, string>> | Record<string, string>;
  expected: Expected;
  /** Dispatch requests GitHub receives, answered or not. @default 1 */
  dispatchCalls?: number;
  /** GetSecretValue calls. @default 1 */
  secretReads?: number;
}

const inFiveMinutes = () => String(Math.floor(Date.now() / 1000) + 300);
/** Every row of DESIGN.md's outcome table. */
export const rows: Row[] = [
  {
    name: "204",
    arrange: (h) => h.gitHub.script({ status: 204 }),
    expected: { kind: "dispatched", runDetails: false },
  },
  { name: "200 with workflow_run_id", expected: { kind: "dispatched", runDetails: true } },
  {
    name: "a malformed job",
    job: { ...job, ref: undefined },
    expected: { kind: "parked", reason: /ref: is required/ },
    dispatchCalls: 0,
    secretReads: 0,
  },
  {
    name: "a repository not allowed",
    job: { ...job, owner: "evil" },
    expected: {
      kind: "parked",
      reason: /repository evil\/api is not in ALLOWED_REPOSITORIES \(acme\/\*\); add "evil\/api"/,
    },
    dispatchCalls: 0,
    secretReads: 0,
  },
  {
    name: "too many inputs",
    job: { ...job, inputs: manyInputs },
    expected: { kind: "parked", reason: /inputs: has 26 inputs but at most 25 are allowed/ },
    dispatchCalls: 0,
    secretReads: 0,
  },
  {
    name: "404",
    arrange: (h) => h.gitHub.script({ status: 404 }),
    expected: { kind: "parked", reason: /workflow nightly\.yml in acme\/api not found \(404\)/ },
  },
  {
    name: "422",
    arrange: (h) => h.gitHub.script({ status: 422, body: { message: "No ref found for: main" } }),
    expected: { kind: "parked", reason: /\(422: No ref found for: main\)/ },
  },
  {
    name: "401 once: the secret is re-read and the retry succeeds",
    arrange: (h) => h.gitHub.script({ status: 401 }),
    expected: { kind: "dispatched", runDetails: true },
    dispatchCalls: 2,
    secretReads: 2,
  },
  {
    name: "401 twice",
    arrange: (h) => h.gitHub.script({ status: 401 }, { status: 401 }),
    expected: {
      kind: "parked",
      reason: /token in secret "github\/acme-bot" was rejected \(401\); rotate it/,
    },
    dispatchCalls: 2,
    secretReads: 2,
  },
  {
    name: "403 with retry-after",
    arrange: (h) => h.gitHub.script({ status: 403, headers: { "retry-after": "30" } }),
    expected: { kind: "retry", cls: "rate_limited", delay: 30, ambiguous: false },
  },
  {
    name: "429 with retry-after",
    arrange: (h) => h.gitHub.script({ status: 429, headers: { "retry-after": "45" } }),
    expected: { kind: "retry", cls: "rate_limited", delay: 45, ambiguous: false },
  },
  {
    name: "x-ratelimit-remaining 0 with x-ratelimit-reset",
    arrange: (h) =>
      h.gitHub.script({
        status: 403,
        headers: { "x-ratelimit-remaining": "0", "x-ratelimit-reset": inFiveMinutes() },
      }),
    expected: { kind: "retry", cls: "rate_limited", delay: [298, 300], ambiguous: false },
  },
  {
    name: "403 Resource not accessible by integration",
    arrange: (h) => h.gitHub.script({ status: 403 }),
    expected: {
      kind: "parked",
      reason: /token in secret "github\/acme-bot" lacks `actions: write` on acme\/api/,
    },
  },
  {
    name: "403 without rate-limit signals",
    arrange: (h) =>
      h.gitHub.script({ status: 403, body: { message: "Must have admin rights to Repository." } }),
    expected: { kind: "parked", reason: /\(403: Must have admin rights to Repository\.\)/ },
  },
  {
    name: "502",
    arrange: (h) => h.gitHub.script({ status: 502 }),
    expected: { kind: "retry", cls: "transient", delay: 5, ambiguous: true },
  },
  {
    name: "a timeout",
    arrange: (h) => h.gitHub.script({ status: 204, fault: "hang" }),
    env: () => ({ GITHUB_REQUEST_TIMEOUT_MS: "200" }),
    expected: { kind: "retry", cls: "transient", delay: 5, ambiguous: true },
  },
  {
    name: "a connection reset",
    arrange: (h) => h.gitHub.script({ status: 204, fault: "reset" }),
    expected: { kind: "retry", cls: "transient", delay: 5, ambiguous: true },
  },
  {
    name: "a refused connection (DNS or nothing listening)",
    env: async () => ({ GITHUB_API_URL: await closedPortUrl() }),
    expected: { kind: "retry", cls: "transient", delay: 5, ambiguous: false },
    dispatchCalls: 0,
  },
  {
    name: "Secrets Manager throttling",
    arrange: (h) => h.secrets.failNext(SECRET_ID, "ThrottlingException"),
    env: () => ({ AWS_MAX_ATTEMPTS: "1" }),
    expected: { kind: "retry", cls: "transient", delay: 5, ambiguous: false },
    dispatchCalls: 0,
  },
  {
    name: "Secrets Manager 5xx",
    arrange: (h) => h.secrets.failNext(SECRET_ID, "InternalServiceError"),
    env: () => ({ AWS_MAX_ATTEMPTS: "1" }),
    expected: { kind: "retry", cls: "transient", delay: 5, ambiguous: false },
    dispatchCalls: 0,
  },
  {
    name: "a missing secret",
    arrange: (h) => h.secrets.failNext(SECRET_ID, "ResourceNotFoundException"),
    expected: { kind: "parked", reason: /secret "github\/acme-bot" not found in Secrets Manager/ },
    dispatchCalls: 0,
  },
  {
    name: "a secret access denied",
    arrange: (h) => h.secrets.failNext(SECRET_ID, "AccessDeniedException"),
    expected: { kind: "parked", reason: /access to secret "github\/acme-bot" denied/ },
    dispatchCalls: 0,
  },
  {
    name: "an unparseable secret",
    arrange: (h) => h.secrets.setSecret(SECRET_ID, '{"token": '),
    expected: { kind: "parked", reason: /secret "github\/acme-bot" is unusable/ },
    dispatchCalls: 0,
  },
];
