import { useStandInEnvironment } from "../../test/support/aws-environment.js";
import { schedulerPayload } from "../../test/support/events.js";
import { GitHubStandIn } from "../../test/support/github-stand-in.js";
import { SecretsManagerStandIn } from "../../test/support/secrets-manager-stand-in.js";
import { SqsStandIn } from "../../test/support/sqs-stand-in.js";

/** The secret both handlers read, and the token it holds (GitHub accepts it). */
const BENCH_SECRET_ID = "github/bench-bot";
export const BENCH_TOKEN = "ghp_bench-token-not-a-real-secret";

/** Where the stand-ins listen; a child process hands these to its parent as JSON. */
export interface StandInUrls {
  readonly github: string;
  readonly secrets: string;
  readonly sqs: string;
  readonly dispatchQueueUrl: string;
  readonly deadLetterQueueUrl: string;
}

/** The job every benchmark dispatches. */
export const BENCH_JOB = {
  owner: "acme",
  repo: "api",
  workflow_id: "nightly.yml",
  ref: "main",
  inputs: { environment: "staging", dry_run: false },
} as const;

/**
 * The Scheduler payload of firing `n`: each firing has its own scheduled time, so an idempotency
 * store (if one is wired in) never mistakes one warm dispatch for a redelivery of another.
 */
export function benchSchedulerEvent(n: number): unknown {
  const scheduledTime = new Date(Date.UTC(2026, 0, 1) + n * 60_000).toISOString();
  return schedulerPayload(BENCH_JOB, { scheduledTime, executionId: `bench-${n}` });
}

/**
 * Points the real clients at the stand-ins (`GITHUB_API_URL`, `AWS_ENDPOINT_URL_*`, queue URLs) and
 * sets the function's own variables; `extra` overrides them. Returns `restore()`.
 */
export function useBenchEnvironment(
  urls: StandInUrls,
  extra: Record<string, string | undefined> = {},
): () => void {
  return useStandInEnvironment({
    github: { url: urls.github },
    secrets: { url: urls.secrets },
    sqs: { url: urls.sqs },
    extra: {
      DISPATCH_QUEUE_URL: urls.dispatchQueueUrl,
      DEAD_LETTER_QUEUE_URL: urls.deadLetterQueueUrl,
      GITHUB_TOKEN_SECRET: BENCH_SECRET_ID,
      ALLOWED_REPOSITORIES: "acme/*",
      POWERTOOLS_DEV: undefined,
      // The dispatcher core as issue 2 measures it: no state table, so no idempotency or pacing calls.
      STATE_TABLE_NAME: undefined,
      // Node 20 here, 22+ on Lambda: the SDK's notice about Node 20 would only add noise.
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
      ...extra,
    },
  });
}

/** The three stand-ins a dispatch can reach, started together. */
export class BenchStandIns {
  private constructor(
    readonly gitHub: GitHubStandIn,
    readonly secrets: SecretsManagerStandIn,
    readonly sqs: SqsStandIn,
  ) {}

  /** Starts GitHub (answering after `latencyMs`), Secrets Manager (holding the token) and SQS. */
  static async start(options: { latencyMs?: number } = {}): Promise<BenchStandIns> {
    return new BenchStandIns(
      await GitHubStandIn.start({ tokens: [BENCH_TOKEN], latencyMs: options.latencyMs ?? 0 }),
      await SecretsManagerStandIn.start({ secrets: { [BENCH_SECRET_ID]: BENCH_TOKEN } }),
      await SqsStandIn.start(),
    );
  }

  /** Their addresses. */
  get urls(): StandInUrls {
    return {
      github: this.gitHub.url,
      secrets: this.secrets.url,
      sqs: this.sqs.url,
      dispatchQueueUrl: this.sqs.queueUrl("workflow-dispatch"),
      deadLetterQueueUrl: this.sqs.queueUrl("workflow-dispatch-dlq"),
    };
  }

  /** Requests received so far by all three. */
  requestCount(): number {
    return this.gitHub.requests.length + this.secrets.requests.length + this.sqs.requests.length;
  }

  /** Forgets what was recorded so far (GitHub scripts too). */
  reset(): void {
    this.gitHub.reset();
    this.secrets.requests.length = 0;
    this.sqs.requests.length = 0;
  }

  /** Stops all three. */
  async close(): Promise<void> {
    await Promise.all([this.gitHub.close(), this.secrets.close(), this.sqs.close()]);
  }
}
